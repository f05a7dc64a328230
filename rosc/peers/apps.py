from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "rosc.peers"
    label = "peers"
    verbose_name = "Peer mentoring"

    def ready(self) -> None:
        from rosc.peers import permissions, signals  # noqa: F401 - registers capabilities and receivers
