"""docker-compose.yml cannot be run here (no Docker engine), so its services' commands are checked
against what the project really has, and run natively against this machine's PostgreSQL and Redis."""

import importlib
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = {name: service for name, service in SERVICES.items() if "build" in service}


def test_the_stack_has_database_broker_web_worker_and_beat():
    assert {"db", "redis", "web", "worker", "beat"} <= set(SERVICES)


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker", "beat"])
def test_every_long_running_service_has_a_health_check(name):
    assert SERVICES[name]["healthcheck"]["test"]


def test_data_lives_in_named_volumes():
    assert {"postgres-data", "redis-data"} <= set(COMPOSE["volumes"])
    assert any("postgres-data:" in volume for volume in SERVICES["db"]["volumes"])


def test_app_services_are_built_from_the_projects_dockerfile():
    assert (ROOT / "Dockerfile").exists()
    assert {"migrate", "web", "worker", "beat"} <= set(APP_SERVICES)


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_each_app_service_runs_a_command_the_project_has(name):
    command = APP_SERVICES[name]["command"]
    program = command[0]
    if program == "python":
        assert command[1] == "manage.py" and command[2] in get_commands()
    elif program == "gunicorn":
        assert command[1:3] == ["-c", "python:canvass.config.gunicorn"]
        importlib.import_module(command[2].removeprefix("python:"))
        module, attribute = command[3].split(":")
        assert callable(getattr(importlib.import_module(module), attribute))
    elif program == "celery":
        assert command[1:3] == ["-A", "canvass"] and command[3] in {"worker", "beat"}
        assert importlib.import_module("canvass").celery_app.main == "canvass"
    else:
        pytest.fail(f"{name}: unknown program {program!r}")


def test_the_images_default_command_is_the_web_services():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd_line = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    assert yaml.safe_load(cmd_line[4:]) == SERVICES["web"]["command"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def native(command: list[str]) -> list[str]:
    """The compose command as run on this machine: the venv's programs, loopback instead of 0.0.0.0."""
    program = str(Path(sys.executable).parent / command[0]) if command[0] != "python" else sys.executable
    return [program, *command[1:]]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_web_command_serves_the_health_check_natively():
    port = free_port()
    # The command line overrides the configuration file's address and workers.
    command = native(SERVICES["web"]["command"]) + ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    web = subprocess.Popen(command, cwd=ROOT, env={**subprocess_env(), "SECURE_SSL_REDIRECT": "false"})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert web.poll() is None and time.monotonic() < deadline, "gunicorn did not come up"
                time.sleep(0.3)
    finally:
        stop(web)


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_starts_a_worker_that_answers_pings():
    from canvass.config.celery import app

    name = f"compose-check-{free_port()}@{socket.gethostname()}"
    worker = subprocess.Popen(
        native(SERVICES["worker"]["command"]) + ["-n", name, "-Q", f"compose-check-{id(name)}"],
        cwd=ROOT,
        env=subprocess_env(),
    )
    try:
        deadline = time.monotonic() + 30
        while not app.control.inspect(timeout=0.5, destination=[name]).ping():
            assert worker.poll() is None and time.monotonic() < deadline, "the worker did not answer"
    finally:
        stop(worker)


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_beat_command_starts_and_writes_its_schedule(tmp_path):
    command = native(SERVICES["beat"]["command"])
    schedule = tmp_path / "celerybeat-schedule"
    command[command.index("--schedule") + 1] = str(schedule)
    beat = subprocess.Popen(command, cwd=ROOT, env=subprocess_env())
    try:
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob("celerybeat-schedule*")):
            assert beat.poll() is None and time.monotonic() < deadline, "beat did not start"
            time.sleep(0.3)
    finally:
        stop(beat)


def test_compose_commands_are_argument_lists_not_shell_strings():
    for name, service in APP_SERVICES.items():
        assert isinstance(service["command"], list), f"{name}: {shlex.join(service['command'])}"
