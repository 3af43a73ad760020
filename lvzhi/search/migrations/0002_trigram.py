"""Near-duplicate titles on PostgreSQL: pg_trgm and a GIN trigram index on the case title, which
answers `title % '…'` (search.query.near_duplicate_titles) without reading every title.

pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it without
superuser rights, so a role with CREATEDB (CI, the test database) can. Nothing on SQLite.
"""

from django.db import migrations

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS cases_case_title_trgm ON cases_case USING GIN (title gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS cases_case_title_trgm"]  # the extension may serve others


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
