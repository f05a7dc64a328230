from django.apps import AppConfig


class FundConfig(AppConfig):
    name = "rosc.fund"
    label = "fund"
    verbose_name = "Recovery Fund"

    def ready(self) -> None:
        from rosc.fund import permissions  # noqa: F401 - registers Recovery Fund capabilities
