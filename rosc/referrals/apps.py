from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "rosc.referrals"
    label = "referrals"
    verbose_name = "Closed-loop referrals"

    def ready(self) -> None:
        from rosc.referrals import checks, permissions, signals  # noqa: F401 - registers capabilities, checks, receivers
