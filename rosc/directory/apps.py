from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "rosc.directory"
    label = "directory"
    verbose_name = "Service directory"

    def ready(self) -> None:
        from rosc.directory import permissions  # noqa: F401 - registers directory capabilities
