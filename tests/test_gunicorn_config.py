"""The web container's gunicorn configuration (canvass/config/gunicorn.py), as gunicorn itself reads it."""

import importlib

import pytest
from gunicorn.app.base import Application

import canvass.config.gunicorn


class _Loaded(Application):
    """gunicorn's own reading of the file, as `gunicorn -c python:canvass.config.gunicorn` does it."""

    def __init__(self):
        super().__init__(usage="")

    def load_config(self):
        self.load_config_from_module_name_or_filename("python:canvass.config.gunicorn")

    def load(self):  # pragma: no cover - never serves
        raise AssertionError


def test_sync_workers_two_per_core_plus_one_by_default(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = importlib.reload(canvass.config.gunicorn)
    settings = _Loaded().cfg
    assert settings.worker_class_str == "sync"
    assert settings.workers == config.workers == 2 * config._cores() + 1
    assert settings.address and settings.bind == ["0.0.0.0:8000"]
    assert settings.backlog == 2048
    assert settings.logger_class.__name__ == "GunicornLogger"


def test_web_concurrency_sets_the_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    try:
        assert importlib.reload(canvass.config.gunicorn).workers == 7
        assert _Loaded().cfg.workers == 7
    finally:
        monkeypatch.delenv("WEB_CONCURRENCY")
        importlib.reload(canvass.config.gunicorn)


def test_web_concurrency_must_be_a_number(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    try:
        with pytest.raises(ImproperlyConfigured):
            importlib.reload(canvass.config.gunicorn)
    finally:
        monkeypatch.delenv("WEB_CONCURRENCY")
        importlib.reload(canvass.config.gunicorn)
