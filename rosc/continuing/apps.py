from django.apps import AppConfig


class ContinuingConfig(AppConfig):
    name = "rosc.continuing"
    label = "continuing"
    verbose_name = "Continuing care"

    def ready(self) -> None:
        from rosc.continuing import permissions, signals  # noqa: F401 - registers capabilities and receivers
