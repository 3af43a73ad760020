"""Retrain the unit-routing model of one congress (or of every congress with assignments)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lvzhi.assist import services
from lvzhi.assist.models import RoutingModel
from lvzhi.cases.models import Assignment
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import Congress


class Command(BaseCommand):
    help = "用各人大自己的历史交办数据重新训练智能交办模型；新模型不比原模型差才启用"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--congress", type=int, help="人大ID；不指定则训练所有有交办记录的人大")
        parser.add_argument("--folds", type=int, default=5, help="交叉验证折数（默认5）")
        parser.add_argument("--if-missing", action="store_true",
                            help="只为还没有启用模型的人大训练（make demo 用）")

    def handle(self, *args, congress: int | None = None, folds: int = 5, if_missing: bool = False,
               **opts) -> None:
        if congress is not None:
            if not Congress.objects.filter(pk=congress).exists():
                raise CommandError(f"人大ID {congress} 不存在")
            ids = [congress]
        else:
            ids = sorted(set(Assignment.objects.values_list("case__congress_id", flat=True)))
            if not ids:
                self.stdout.write("没有任何交办记录，无需训练。")
                return
        if if_missing:
            have = set(RoutingModel.objects.filter(congress_id__in=ids, is_active=True)
                       .values_list("congress_id", flat=True))
            if have:
                self.stdout.write(f"已有启用中的智能交办模型，跳过 {len(have)} 个人大。")
            ids = [cid for cid in ids if cid not in have]
        for cid in ids:
            name = Congress.objects.get(pk=cid).name
            try:
                model = services.start_retraining(cid)
            except InvalidInput as exc:
                self.stderr.write(f"{name}：{exc.message}")
                continue
            model = services.run_training(model.pk, folds=folds)
            f = model.figures
            line = f"{name} v{model.version} {model.get_status_display()}：{model.message}"
            if f:
                line += (f"\n  {f['n_rows']} 件、{f['n_labels']} 个标签（其中承办单位 {f['n_unit_labels']} 个）；"
                         f"{f['folds']} 折交叉验证 首选准确率 {f['accuracy']:.3f} 前三命中 {f['top3']:.3f} "
                         f"宏平均F1 {f['macro_f1']:.3f}；训练 {f['train_seconds']} 秒，共 {f['total_seconds']} 秒")
            self.stdout.write(line)
