"""智能交办: a model trained from the congress's own assignments routes new cases; a worse one
is rejected and the old one stays in use."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from lvzhi.assist import services
from lvzhi.assist.models import ModelStatus, RoutingModel
from lvzhi.assist.tests.conftest import build_history, deputies, make_case, real_messages
from lvzhi.assist.training import Recipe

pytestmark = pytest.mark.django_db

PER_LABEL = 12  # history: 5 units × 12 cases


def login(client, user) -> None:
    client.force_login(user)


def test_no_model_falls_back_to_the_field_mapping(world, client):
    units = build_history(world, 1)
    held = real_messages(1, skip=1)["交通运输"][0]
    case = make_case(world, world.deputy_user, held, "registered")
    got = services.suggest_units(case)
    assert [u for u, _ in got] == [units["交通运输"]] and got[0][1] is None
    login(client, world.clerk)
    page = client.get(reverse("assist_case_units", args=[case.pk])).content.decode()
    assert "市交通运输局" in page and "尚无可用的智能交办模型" in page
    # Too little history: the training fails with the reason, nothing is activated.
    model = services.run_training(services.start_retraining(world.congress.pk).pk)
    assert model.status == ModelStatus.FAILED and "历史交办案件不足" in model.message
    assert services.active_model(world.congress.pk) is None


def test_retrain_suggests_the_right_unit_and_rejects_a_worse_model(world, client):
    units = build_history(world, PER_LABEL)
    out = io.StringIO()
    call_command("retrain_models", "--congress", str(world.congress.pk), "--folds", "3", stdout=out)
    model = RoutingModel.objects.get(congress=world.congress)
    assert model.status == ModelStatus.READY and model.is_active, model.message
    assert model.progress == 100 and "已启用" in out.getvalue()
    assert model.figures["n_rows"] == 5 * PER_LABEL and model.figures["n_unit_labels"] == 5
    assert model.figures["accuracy"] > 0.4  # cross-validated; chance is 0.2

    # Held-out real messages (not in the history): the right unit first far more often than chance.
    held = real_messages(4, skip=PER_LABEL)
    who = deputies(world)
    cases = [(make_case(world, next(who), m, "registered"), units[label])
             for label, msgs in held.items() for m in msgs]
    hits = sum(services.suggest_units(c)[0][0] == unit for c, unit in cases)
    assert hits / len(cases) > 0.5, f"{hits}/{len(cases)}"
    top = services.suggest_units(cases[0][0])
    assert len(top) == 3 and all(0 <= s <= 1 for _, s in top) and top[0][1] >= top[1][1]

    # The clerk sees the suggestion above the assign form, clickable, and in batch assignment.
    login(client, world.clerk)
    case, unit = next((c, u) for c, u in cases if services.suggest_units(c)[0][0] == u)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("assist_case_units", args=[case.pk]) in detail
    hint = client.get(reverse("assist_case_units", args=[case.pk])).content.decode()
    assert "智能交办建议" in hint and f'data-assist-lead="{unit.pk}"' in hint and f"第{model.version}版" in hint
    # Scores in words, never raw numbers (issue 8).
    assert "推荐度" in hint and not re.search(r"\b0\.\d\d\b", hint)
    batch = client.get(reverse("cases:batch_assign")).content.decode()
    row = batch[batch.index(f'name="lead_{case.pk}"'):]
    row = row[: row.index("</td>")]
    assert f"<option value=\"{unit.pk}\" selected>" in row and re.search(r"推荐度 [高中低]<", row)
    assert not re.search(r"\b[01]\.\d\d\b", row)

    # A candidate that learned nothing (shuffled labels) is compared on the same folds and rejected.
    bad = services.start_retraining(world.congress.pk, recipe=Recipe(shuffle_labels=True))
    bad = services.run_training(bad.pk, folds=3)
    assert bad.status == ModelStatus.REJECTED and not bad.is_active
    assert "不如当前启用的版本" in bad.message and "未予采用" in bad.message
    assert bad.baseline["version"] == model.version
    assert bad.figures["accuracy"] < bad.baseline["accuracy"]
    assert services.active_model(world.congress.pk) == model
    assert services.suggest_units(case)[0][0] == unit  # still the old model's answer

    # The models page shows both, side by side; the task is refused while one is training.
    page = client.get(reverse("assist_models")).content.decode()
    assert f"第{model.version}版" in page and f"第{bad.version}版" in page and "未采用" in page and "启用中" in page
    # The clerk's page speaks of hit rates in per cent, without model jargon.
    for jargon in ("宏平均", "F1", "交叉验证", "折上", "容差"):
        assert jargon not in page, jargon
    response = client.post(reverse("assist_retrain"), follow=True)
    assert "已开始训练" in response.content.decode()
    queued = RoutingModel.objects.filter(congress=world.congress).order_by("-version").first()
    assert queued.status == ModelStatus.TRAINING and queued.created_by == world.clerk
    table = client.get(reverse("assist_models_table")).content.decode()
    assert 'hx-trigger="every 2s"' in table and "<progress" in table
    again = client.post(reverse("assist_retrain"), follow=True).content.decode()
    assert "已有模型正在训练" in again
    assert RoutingModel.objects.filter(congress=world.congress).count() == 3
