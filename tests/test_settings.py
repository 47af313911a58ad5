import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from canvass.config.env import cache_from_url, env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent
OUR_VARIABLES = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' fixture, never in production
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "REQUIRE_SERVICES",
}


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in OUR_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "canvass.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def production_env(tmp_path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "SECRET_KEY": "k3J9f0aQ2mX8vB1nL7pR4tY6wE5uI0oP9sD3fG7hJ2kL8zX4cV1bN6mQ0wE3rT5y",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "canvass.example.org",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }


def test_with_no_environment_the_app_runs_embedded():
    result = run_django(
        "import json; print(json.dumps([settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER,"
        " settings.CACHES['default']['BACKEND'], settings.DEBUG]))"
    )
    assert result.returncode == 0, result.stderr
    engine, eager, cache, debug = json.loads(result.stdout)
    assert engine == "django.db.backends.sqlite3"
    assert eager is True
    assert cache == "django.core.cache.backends.db.DatabaseCache"
    assert debug is True


def test_a_broker_url_turns_off_in_process_tasks(tmp_path):
    result = run_django("print(settings.CELERY_TASK_ALWAYS_EAGER)", **production_env(tmp_path))
    assert result.stdout.strip() == "False", result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run_django("print(settings.SECRET_KEY)", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_values(tmp_path):
    clean = {key: value for key, value in os.environ.items() if key not in OUR_VARIABLES}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **production_env(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize("raw", ["maybe", "2", "tru"])
def test_env_bool_refuses_a_value_that_is_not_a_boolean(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_env_int_refuses_a_value_that_is_not_a_number(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "a.example.org, b.example.org,")
    assert env_list("SOME_HOSTS", []) == ["a.example.org", "b.example.org"]


def test_a_file_variant_supplies_a_secret(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert env_str("SOME_SECRET") == "from-a-file"


def test_an_unknown_cache_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1")


def test_cache_urls_name_a_cache_shared_between_processes():
    assert cache_from_url("redis://127.0.0.1:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
    assert cache_from_url("db://django_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
