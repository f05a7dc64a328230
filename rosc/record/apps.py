from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "rosc.record"
    label = "record"
    verbose_name = "Shared recovery record"

    def ready(self) -> None:
        from rosc.record import permissions  # noqa: F401 - registers Shared recovery record capabilities
