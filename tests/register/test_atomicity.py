"""An import applies whole or not at all: a failure half-way leaves the database as it was."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from canvass.models import Household, Voter
from canvass.register import apply, generator
from canvass.register.services import register_import, register_update_apply


class Crash(RuntimeError):
    pass


def test_failure_after_households_are_written_leaves_nothing(council, register, monkeypatch):
    def crash(where):
        assert Household.objects.exists()  # half-way: the households are already in
        raise Crash

    monkeypatch.setattr(apply, "voters_insert", crash)

    with pytest.raises(Crash):
        register_import(file=generator.register_bytes(register), council=council)

    assert not Household.objects.exists()
    assert not Voter.objects.exists()


def test_failure_half_way_through_a_reimport_keeps_the_previous_register(council, register, monkeypatch):
    register_import(file=generator.register_bytes(register), council=council)
    before = sorted(Voter.objects.values_list("id", "elector_number", "on_register", "surname"))
    republished = generator.renumbered(register, seed=8, leavers=20, joiners=20)

    def crash(where):
        assert Voter.objects.on_register().count() == len(register) - 20  # the leavers are already retired
        raise Crash

    monkeypatch.setattr(apply, "voters_insert", crash)

    with pytest.raises(Crash):
        register_import(file=generator.register_bytes(republished), council=council)

    assert sorted(Voter.objects.values_list("id", "elector_number", "on_register", "surname")) == before


def test_failure_half_way_through_an_update_keeps_the_register(council, register, monkeypatch):
    register_import(file=generator.register_bytes(register), council=council)
    changes = generator.monthly_changes(register, seed=3, adds=5, amends=5, deletes=5)

    def crash(where):
        assert Voter.objects.filter(on_register=False).count() == 5  # the deletions are already applied
        raise Crash

    monkeypatch.setattr(apply, "voters_insert", crash)

    with pytest.raises(Crash):
        register_update_apply(file=generator.update_bytes(changes), council=council)

    assert Voter.objects.on_register().count() == len(register)


@pytest.mark.postgres
def test_killed_import_process_leaves_the_database_as_it_was(transactional_db, council, tmp_path):
    """A real kill: the command is SIGKILLed while its transaction is writing, then its connection dies."""
    path = tmp_path / "register.csv"
    path.write_bytes(generator.register_bytes(generator.electors(districts=("AB1", "AB2"), count=40_000, seed=3)))
    db = settings.DATABASES["default"]
    name = f"kill-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PGAPPNAME": name,
    }
    command = [sys.executable, "manage.py", "import_register", str(path), "--council", council.name]
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parents[2], stdout=subprocess.DEVNULL)
    with connection.cursor() as cursor:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            cursor.execute(
                "SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND query ILIKE %s",
                [name, "%INSERT INTO canvass_household%"],
            )
            if cursor.fetchone():
                break
            time.sleep(0.05)
        assert process.poll() is None, "the import finished before it could be killed"
        process.kill()
        process.wait()
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", [name])
        while time.monotonic() < deadline:
            cursor.execute("SELECT 1 FROM pg_stat_activity WHERE application_name = %s", [name])
            if not cursor.fetchone():
                break
            time.sleep(0.1)

    assert not Household.objects.exists()
    assert not Voter.objects.exists()
