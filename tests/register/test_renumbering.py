"""Re-import after the annual canvass: numbers change, people and their contact history stay."""

import pytest

from canvass.models import ContactRecord, Voter
from canvass.register import generator, rebuild
from canvass.register.services import register_import
from canvass.sql import is_postgres
from tests.factories import ContactRecordFactory
from tests.register.conftest import XPRESS_HEADER, csv_bytes


@pytest.fixture(autouse=True, params=["indexes kept up", "indexes rebuilt"])
def apply_path(request, monkeypatch):
    """Both ways a renumbered register is applied: row by row, and (on PostgreSQL) as a whole-register load
    whose voters swap numbers in one statement while the unique index is dropped."""
    if request.param == "indexes rebuilt":
        monkeypatch.setattr(rebuild, "MIN_ROWS", 1)
    return request.param


def _contacted(register, count):
    voters = []
    for elector in [e for e in register if e.surname][:count]:
        voter = Voter.objects.get(
            polling_district__code=elector.pd, elector_number=elector.number, elector_suffix=elector.suffix
        )
        ContactRecordFactory(voter=voter)
        voters.append((voter.pk, elector))
    return voters


def test_renumbered_register_keeps_each_voters_contact_history(council, register):
    register_import(file=generator.register_bytes(register), council=council)
    contacted = _contacted(register, 20)
    republished = generator.renumbered(register, seed=5, leavers=10, joiners=15)

    report = register_import(file=generator.register_bytes(republished), council=council)

    assert report.applied
    for voter_id, elector in contacted:
        voter = Voter.objects.get(pk=voter_id)
        same_person = [
            e
            for e in republished
            if (e.surname, e.forenames, e.address) == (elector.surname, elector.forenames, elector.address)
        ]
        if same_person:
            assert voter.on_register
            assert voter.elector_number == same_person[0].number
        assert ContactRecord.objects.filter(voter_id=voter_id).exists()


def test_renumbering_reports_matched_new_and_gone(council, register, apply_path):
    register_import(file=generator.register_bytes(register), council=council)
    republished = generator.renumbered(register, seed=5, leavers=10, joiners=15)

    report = register_import(file=generator.register_bytes(republished), council=council)

    assert report.indexes_rebuilt == (apply_path == "indexes rebuilt" and is_postgres())

    assert report.counts["matched"] == len(register) - 10
    assert report.counts["new"] == 15
    assert report.counts["gone"] == 10
    assert report.counts["renumbered"] > 0
    assert Voter.objects.on_register().count() == len(republished)
    assert Voter.objects.filter(on_register=False, left_register_on__isnull=False).count() == 10


def test_voter_who_left_keeps_history_and_leaves_the_register(council, register):
    register_import(file=generator.register_bytes(register), council=council)
    (voter_id, elector), *_ = _contacted(register, 1)
    without_them = [e for e in register if e is not elector]

    report = register_import(file=generator.register_bytes(without_them), council=council)

    assert elector.reference in report.samples["gone"]
    assert not Voter.objects.get(pk=voter_id).on_register
    assert ContactRecord.objects.filter(voter_id=voter_id).count() == 1


def test_reimporting_the_same_register_changes_nothing(council, register):
    data = generator.register_bytes(register)
    register_import(file=data, council=council)
    before = sorted(Voter.objects.values_list("id", "elector_number", "household_id"))

    report = register_import(file=data, council=council)

    assert report.counts == {"matched": len(register), "renumbered": 0, "new": 0, "gone": 0, "rejected rows": 0}
    assert sorted(Voter.objects.values_list("id", "elector_number", "household_id")) == before


def test_punctuation_and_spacing_in_a_name_do_not_break_the_match(council):
    first = csv_bytes(XPRESS_HEADER, "AB1,1,0,,,O'NEIL Ann-Marie,RG21 7AB,1 Foo Road,,,,,")
    register_import(file=first, council=council)
    voter = Voter.objects.get()
    republished = csv_bytes(XPRESS_HEADER, "AB1,7,0,,,ONEIL Ann Marie,RG21 7AB,1 Foo Road,,,,,")

    report = register_import(file=republished, council=council)

    assert (report.counts["matched"], report.counts["renumbered"], report.counts["new"]) == (1, 1, 0)
    assert Voter.objects.get(on_register=True).pk == voter.pk
