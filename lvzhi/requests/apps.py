from django.apps import AppConfig


class RequestsConfig(AppConfig):
    """The people's side of deputies' work: citizens' requests by QR code (kind citizen_request),
    hotline orders deputies supervise (kind hotline_order), petitions and mediation."""

    name = "lvzhi.requests"
    label = "requests"
    verbose_name = "群众诉求"

    def ready(self) -> None:
        from lvzhi.requests import citizen_setup, hotline_setup, petition_setup

        citizen_setup.register()
        hotline_setup.register()
        petition_setup.register()
