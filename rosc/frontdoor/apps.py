from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "rosc.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    def ready(self) -> None:
        from rosc.frontdoor import (
            permissions,  # noqa: F401 - registers Front door capabilities
            signals,  # noqa: F401 - forgets requests of erased records
        )
