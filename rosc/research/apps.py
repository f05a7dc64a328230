from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "rosc.research"
    label = "research"
    verbose_name = "Community research"

    def ready(self) -> None:
        from rosc.research import permissions  # noqa: F401 - registers Community research capabilities
