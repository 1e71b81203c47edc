"""Production settings: `check --deploy` is clean, SECRET_KEY is required, DEBUG stays off,
and errors never show a stack trace."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from factbase import errors
from tests.reliability.conftest import PRODUCTION_ENV, child_env, manage

pytestmark = pytest.mark.urls("tests.reliability.urls")


def test_check_deploy_with_production_values_reports_nothing(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=child_env(tmp_path, **PRODUCTION_ENV))
    assert (result.returncode, result.stderr.strip()) == (0, ""), result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_without_secret_key_refuses_to_start(tmp_path):
    env = child_env(tmp_path, **{**PRODUCTION_ENV, "SECRET_KEY": ""})
    result = manage("check", env=env)
    assert result.returncode == 1
    assert "SECRET_KEY must be set when FACTBASE_ENV=production." in result.stderr


def test_production_with_debug_refuses_to_start(tmp_path):
    result = manage("check", env=child_env(tmp_path, **PRODUCTION_ENV, DEBUG="1"))
    assert result.returncode == 1
    assert "DEBUG=1 is refused when FACTBASE_ENV=production." in result.stderr


@pytest.mark.parametrize("environment", [{}, PRODUCTION_ENV], ids=["development", "production"])
def test_debug_is_off_unless_asked(tmp_path, environment):
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = manage("shell", "-v", "0", "-c", code, env=child_env(tmp_path, **environment))
    assert (result.returncode, result.stdout.strip()) == (0, "False")


def test_api_server_error_is_json_without_traceback(failing_client):
    response = failing_client.get("/api/v1/test-boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Internal server error. The error was logged."}
    assert b"secret internal detail" not in response.content


def test_admin_server_error_is_plain_page_without_traceback(failing_client):
    response = failing_client.get("/test-boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Server Error (500)</h1>" in response.content
    assert b"secret internal detail" not in response.content


def test_api_unknown_path_is_json_404(client):
    response = client.get("/api/v1/no-such-resource/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_database_error_outside_a_view_is_503(settings):
    settings.FACTBASE_DB_RETRY_AFTER = 7
    request = RequestFactory().get("/api/v1/claims/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = errors.server_error(request)
    assert (response.status_code, response["Retry-After"]) == (503, "7")
