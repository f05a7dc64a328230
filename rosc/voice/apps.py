from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "rosc.voice"
    label = "voice"
    verbose_name = "Community Voice"

    def ready(self) -> None:
        from rosc.voice import permissions  # noqa: F401 - registers Community Voice capabilities
