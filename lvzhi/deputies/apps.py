from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "lvzhi.deputies"
    label = "deputies"
    verbose_name = "代表"

    def ready(self) -> None:
        # Each part registers its sections, figures and record sources (lvzhi.deputies.record).
        from lvzhi.deputies import activity_setup, performance_setup

        activity_setup.register()
        performance_setup.register()
