"""Settings: production refuses a missing or weak secret, and passes the deploy checks."""

import os
import secrets
import subprocess
import sys

import pytest


def run_stocktake(*args, **env_overrides):
    inherited = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env.update(DJANGO_SETTINGS_MODULE="stocktake.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "stocktake.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_a_secret_stops_with_a_clear_message():
    result = run_stocktake("check")
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "weak",
    [
        "short",
        "django-insecure-" + "x" * 60,
        "a" * 60,
        "abcde" * 10,  # long enough, but only 5 different characters
        "0123456789abcdefghi" * 3,  # 19 different characters
    ],
)
def test_production_with_a_weak_secret_stops(weak):
    result = run_stocktake("check", SECRET_KEY=weak)
    assert result.returncode == 2
    assert "SECRET_KEY is too weak" in result.stderr
    assert "20 of them different" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_accepts_a_generated_secret(tmp_path):
    result = run_stocktake(
        "check",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = run_stocktake(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k3y-" + "Zq8vN2xLr5Tb7Wm1Hc4Jd6Fg9Ks0Py3Ua" * 2,
        ALLOWED_HOSTS="stocktake.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_unsupported_database_url_is_refused():
    result = run_stocktake(
        "check",
        SECRET_KEY="k3y-" + "Zq8vN2xLr5Tb7Wm1Hc4Jd6Fg9Ks0Py3Ua" * 2,
        DATABASE_URL="mysql://root@localhost/stocktake",
    )
    assert result.returncode == 2
    assert "SQLite and PostgreSQL" in result.stderr


def test_an_unknown_language_is_refused():
    result = run_stocktake(
        "check",
        SECRET_KEY="k3y-" + "Zq8vN2xLr5Tb7Wm1Hc4Jd6Fg9Ks0Py3Ua" * 2,
        LANGUAGES="en,xx",
    )
    assert result.returncode == 2
    assert "xx" in result.stderr


@pytest.mark.parametrize(
    "url", ["sqlite:///{tmp}/conn.sqlite3", "postgres://postgres@127.0.0.1:5432/unused"]
)
def test_production_keeps_database_connections_on_both_databases(tmp_path, url):
    result = run_stocktake(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=url.format(tmp=tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60"]
