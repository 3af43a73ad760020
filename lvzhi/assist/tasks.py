"""Background retraining for the worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def retrain_task(model_id: int) -> dict:
    from lvzhi.assist.services import run_training

    model = run_training(model_id)
    return {"model": model.pk, "version": model.version, "status": model.status, "message": model.message}


@task()
def embed_cases_task(congress_id: int | None = None) -> dict:
    """Fill in missing/stale case vectors (of one congress, or all)."""
    from lvzhi.assist.vectors import embed_cases, embeddable

    result = embed_cases(embeddable(congress_id))
    return {"congress": congress_id, "cases": result.total, "computed": result.computed,
            "seconds": result.seconds}
