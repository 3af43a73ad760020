"""The search document table, and the index each database searches it with: an FTS5 virtual
table kept in step by triggers on SQLite, a GIN index over to_tsvector('simple', …) on
PostgreSQL (DESIGN.md: indexed by the database's own engine)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_searchdocument', "
    "content_rowid='case_id', tokenize='unicode61')",
    "CREATE TRIGGER search_doc_ai AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.case_id, new.tokens); END",
    "CREATE TRIGGER search_doc_ad AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.case_id, old.tokens); END",
    "CREATE TRIGGER search_doc_au AFTER UPDATE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.case_id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.case_id, new.tokens); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS search_doc_au", "DROP TRIGGER IF EXISTS search_doc_ad",
               "DROP TRIGGER IF EXISTS search_doc_ai", "DROP TABLE IF EXISTS search_fts"]
POSTGRES_UP = ["CREATE INDEX search_doc_tsv_gin ON search_searchdocument "
               "USING GIN (to_tsvector('simple'::regconfig, tokens))"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS search_doc_tsv_gin"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("case", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                              related_name="search_document", serialize=False,
                                              to="cases.case", verbose_name="案件")),
                ("tokens", models.TextField(verbose_name="检索词")),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="更新时间")),
            ],
            options={"verbose_name": "检索文档", "verbose_name_plural": "检索文档"},
        ),
        migrations.RunPython(_run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
                             _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})),
    ]
