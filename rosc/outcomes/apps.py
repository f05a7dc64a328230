from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "rosc.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self) -> None:
        from rosc.outcomes import (
            permissions,  # noqa: F401 - registers Outcome measures capabilities
            signals,  # noqa: F401 - forgets measurements of erased records
        )
