from typing import Any

from django.apps import AppConfig
from django.core import checks


class ResearchConfig(AppConfig):
    name = "rosc.research"
    label = "research"
    verbose_name = "Community research"

    def ready(self) -> None:
        from rosc.research import permissions  # noqa: F401 - registers Community research capabilities

        checks.register(check_suppression_threshold)


def check_suppression_threshold(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from rosc.research.config import suppress_below

    try:
        threshold = suppress_below()
    except (TypeError, ValueError):
        threshold = 0
    if threshold < 2:
        return [
            checks.Error(
                "ROSC_RESEARCH_SUPPRESS_BELOW must be a whole number of 2 or more, or survey results "
                "could show single people.",
                id="research.E001",
            )
        ]
    return []
