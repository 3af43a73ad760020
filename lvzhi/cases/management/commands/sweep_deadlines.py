from django.core.management.base import BaseCommand

from lvzhi.cases.sweep import sweep


class Command(BaseCommand):
    help = "每日期限巡检：超期事件（一次性）、临期提醒、评价期满自动办结"

    def handle(self, *args, **options):
        r = sweep()
        self.stdout.write(f"超期 {r.overdue} 项，临期提醒 {r.reminded} 项，逾期未评价办结 {r.closed} 件")
