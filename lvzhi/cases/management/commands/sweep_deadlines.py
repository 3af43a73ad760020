from django.core.management.base import BaseCommand
from django.utils import timezone

from lvzhi.cases.sweep import sweep
from lvzhi.core.sections import all_sections


class Command(BaseCommand):
    help = "每日期限巡检：超期事件（一次性）、临期提醒、评价期满自动办结；法规施行、征求意见截止等各板块事项"

    def handle(self, *args, **options):
        r = sweep()
        self.stdout.write(f"超期 {r.overdue} 项，临期提醒 {r.reminded} 项，逾期未评价办结 {r.closed} 件")
        today = timezone.localdate()
        for section in all_sections():
            if section.sweep is not None:
                self.stdout.write(f"{section.label}：{section.sweep(today)}")
