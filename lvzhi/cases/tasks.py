"""Background tasks for the worker (`manage.py db_worker`); cron can call the commands instead."""

from __future__ import annotations

from django_tasks import task

from lvzhi.cases.sweep import sweep


@task()
def sweep_deadlines_task() -> dict[str, int]:
    r = sweep()
    return {"overdue": r.overdue, "reminded": r.reminded, "closed": r.closed}
