"""Background retraining for the worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def retrain_task(model_id: int) -> dict:
    from lvzhi.assist.services import run_training

    model = run_training(model_id)
    return {"model": model.pk, "version": model.version, "status": model.status, "message": model.message}
