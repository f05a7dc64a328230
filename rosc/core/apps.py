from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rosc.core"
    label = "core"
    verbose_name = "Open ROSC core"

    def ready(self) -> None:
        from rosc.core import (  # noqa: F401 - registers capabilities and sign-in auditing
            permissions,
            signals,
        )
