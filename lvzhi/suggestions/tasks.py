"""Background imports for the worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_task(job_id: int) -> dict:
    """Run (or continue) one secretariat import job; its outcome is recorded on the job."""
    from lvzhi.suggestions.importing import run_import_job

    job, _ = run_import_job(job_id)
    if job is None:
        return {"job": job_id, "state": "missing"}
    return {"job": job.pk, "state": job.state, "done": job.done, "total": job.total}
