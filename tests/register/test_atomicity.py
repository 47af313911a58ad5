"""An import applies whole or not at all: a failure half-way leaves the database as it was."""

import pytest

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
