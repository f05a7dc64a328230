from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "rosc.family"
    label = "family"
    verbose_name = "Family support"

    def ready(self) -> None:
        from rosc.family import permissions, signals  # noqa: F401 - registers capabilities and the erasure hook
