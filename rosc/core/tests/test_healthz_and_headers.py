import pytest


def test_healthz_reports_the_database_and_task_queue(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["tasks"] == "ok"
    assert body["task_backend"] == "DummyBackend"


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    class DownDatabase:
        def cursor(self):
            raise OSError("connection refused")

    monkeypatch.setattr("rosc.core.views.connection", DownDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.parametrize("path", ["/", "/healthz", "/accounts/login/"])
def test_every_response_carries_the_security_headers(client, db, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_load_nothing_from_other_sites(client, db):
    html = client.get("/").content.decode()
    for marker in ('src="http', 'src="//', 'href="//', '<link rel="stylesheet" href="http'):
        assert marker not in html
    assert "<script>" not in html
    assert " style=" not in html


def test_signed_in_pages_are_not_cached(client, person_in_recovery):
    from rosc.core.testing import sign_in

    sign_in(client, person_in_recovery, with_mfa=False)
    assert "no-store" in client.get("/home/")["Cache-Control"]
