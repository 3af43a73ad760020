from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "lvzhi.supervision"
    label = "supervision"
    verbose_name = "监督工作"

    def ready(self) -> None:
        from lvzhi.reports.registry import register_figures
        from lvzhi.supervision import activity_figures, duty, figures, plan_figures, workflow

        workflow.register()
        duty.register()  # its lines of each deputy's 履职档案
        # planned (the plan's topics, the joint ones), then done (each form's own records), then
        # the 审议意见; the problems are the `problem` kind's figures.
        planned = {f.code: f for f in plan_figures.FIGURES}
        register_figures("supervision", "监督工作", (
            planned["topics_planned"], planned["topics_joint"], *activity_figures.FIGURES,
            *figures.OPINION_FIGURES))
