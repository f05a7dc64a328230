from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "rosc.family"
    label = "family"
    verbose_name = "Family support"

    def ready(self) -> None:
        from rosc.family import permissions  # noqa: F401 - registers Family support capabilities
