"""Settings come from the environment and production refuses unsafe ones."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from rosc.core.env import ImproperlyConfiguredSetting, env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]
GOOD_PRODUCTION = {
    "ROSC_PRODUCTION": "1",
    "SECRET_KEY": "k" * 20 + "a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "rosc.example.org",
    "DATABASE_URL": "postgres://rosc@127.0.0.1:5432/rosc",
    "ROSC_SITE_URL": "https://rosc.example.org",
}


def load_settings(env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ROSC_", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATABASE_URL"))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import rosc.settings as s; print(s.SESSION_COOKIE_NAME, s.SECURE_HSTS_SECONDS)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_good_settings_and_host_only_secure_cookies():
    result = load_settings(GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0].startswith("__Host-")
    assert int(result.stdout.split()[1]) >= 31536000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DEBUG": "1"}, "DEBUG must be off"),
        ({"ROSC_DEMO": "1"}, "ROSC_DEMO must be off"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": ""}, "DATABASE_URL"),
        ({"ROSC_SITE_URL": "http://rosc.example.org"}, "ROSC_SITE_URL"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(change, message):
    env = {**GOOD_PRODUCTION, **change}
    env = {k: v for k, v in env.items() if v != "" or k in ("ALLOWED_HOSTS",)}
    result = load_settings(env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Refusing to start" in result.stderr


def test_a_malformed_setting_stops_the_process_with_its_name():
    result = load_settings({"ROSC_STAFF_IDLE_SECONDS": "fifteen minutes"})
    assert result.returncode != 0
    assert "ROSC_STAFF_IDLE_SECONDS must be a whole number" in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 60 + "\n")
    env = {**GOOD_PRODUCTION, "SECRET_KEY_FILE": str(secret)}
    env.pop("SECRET_KEY")
    assert load_settings(env).returncode == 0


def test_the_strict_parsers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", " 42 ")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST", []) == ["a", "b", "c"]
    assert env_str("X_MISSING", "default") == "default"
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfiguredSetting, match="X_BOOL"):
        env_bool("X_BOOL", False)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite tuning")
def test_sqlite_is_set_up_for_a_web_process_and_a_worker_at_once(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
