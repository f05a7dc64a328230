"""The Redis (RQ) task backend, for scale: a real Redis and a real RQ worker."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("ROSC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def queue_to_ourselves():
    """Hold a Redis lock for the test, so that two test runs on one machine (CI runs the SQLite and the
    PostgreSQL suites at once, on the same Redis) never have one run's worker take the other's job."""
    import redis

    lock = redis.Redis.from_url(REDIS_URL).lock("rosc-test:rq-backend", timeout=600, blocking_timeout=600)
    assert lock.acquire(), "another test run held the RQ test lock for ten minutes"
    try:
        yield
    finally:
        lock.release()


def run(args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.skipif(not redis_is_up() and not os.environ.get("CI"), reason="no Redis on 127.0.0.1:6379")
def test_the_rq_backend_delivers_a_queued_message_through_an_rq_worker(tmp_path, queue_to_ourselves):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rosc.settings",
        "ROSC_VAR_DIR": str(tmp_path),
        "ROSC_TASKS_BACKEND": "rq",
        "REDIS_URL": REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    env.pop("DATABASE_URL", None)
    assert run(["migrate", "-v0"], env).returncode == 0
    flush = "import django_rq; [django_rq.get_queue(q).empty() for q in ('default', 'notifications')]"
    assert run(["shell", "-v", "0", "-c", flush], env).returncode == 0
    queue = (
        "from django.db import transaction\n"
        "from rosc.core.notifications import notification_queue\n"
        "with transaction.atomic():\n"
        "    n = notification_queue(channel='email', to='a@example.com', body='Hello', reason='test')\n"
        "print(n.pk)\n"
    )
    queued = run(["shell", "-v", "0", "-c", queue], env)
    assert queued.returncode == 0, queued.stderr
    worker = run(["rqworker", "notifications", "--burst", "--job-class", "django_tasks_rq.Job"], env)
    assert worker.returncode == 0, worker.stderr
    check = (
        "from rosc.core.models import Notification; n = Notification.objects.get(); print(n.status, n.attempts.count())"
    )
    result = run(["shell", "-v", "0", "-c", check], env)
    assert result.stdout.split() == ["sent", "1"], result.stderr
    assert any((tmp_path / "mail").iterdir())
