"""Monthly update files: additions, amendments and deletions in each supplier's notation."""

import datetime as dt

import pytest
from django.utils import timezone

from canvass.models import ContactRecord, Voter
from canvass.register import generator
from canvass.register.services import register_import, register_update_apply
from tests.factories import ContactRecordFactory


@pytest.fixture
def loaded(council, register):
    register_import(file=generator.register_bytes(register), council=council)
    return register


def _voter(elector):
    return Voter.objects.get(
        polling_district__code=elector.pd, elector_number=elector.number, elector_suffix=elector.suffix
    )


@pytest.mark.parametrize("layout", ["xpress13", "xpress14", "idox", "halarose"])
def test_update_adds_amends_and_deletes_in_each_layout(council, loaded, layout):
    changes = generator.monthly_changes(loaded, seed=11, adds=4, amends=3, deletes=2)

    report = register_update_apply(file=generator.update_bytes(changes, layout=layout), council=council)

    assert report.applied and report.rejected_total == 0
    assert (report.counts["added"], report.counts["amended"], report.counts["deleted"]) == (4, 3, 2)
    assert Voter.objects.on_register().count() == len(loaded) + 4 - 2
    for change, elector in changes:
        voter = Voter.objects.filter(
            polling_district__code=elector.pd, elector_number=elector.number, elector_suffix=elector.suffix
        ).get()
        assert voter.on_register == (change != "delete")
        if change in ("add", "amend"):
            assert (voter.surname, voter.forenames) == (elector.surname, elector.forenames)


def test_deleted_elector_leaves_the_register_but_keeps_contact_history(council, loaded):
    elector = next(e for e in loaded if e.surname)
    contact = ContactRecordFactory(voter=_voter(elector))
    update = generator.update_bytes([("delete", elector)])

    register_update_apply(file=update, council=council, effective_date=dt.date(2026, 12, 1))

    voter = Voter.objects.get(pk=contact.voter_id)
    assert not voter.on_register
    assert voter.left_register_on == dt.date(2026, 12, 1)
    assert ContactRecord.objects.filter(voter=voter).count() == 1


def test_row_created_and_deleted_in_the_same_xpress_file_is_skipped(council, loaded):
    changes = generator.monthly_changes(loaded, seed=12, adds=1, skips=1)
    skipped = next(elector for change, elector in changes if change == "skip")

    report = register_update_apply(file=generator.update_bytes(changes), council=council)

    assert report.counts["created and deleted in this file"] == 1
    assert report.counts["added"] == 1
    assert not Voter.objects.filter(
        polling_district__code=skipped.pd, elector_number=skipped.number, elector_suffix=skipped.suffix
    ).exists()


def test_amendment_that_moves_house_moves_the_voter_to_the_new_household(council, loaded):
    elector = next(e for e in loaded if e.surname and e.address)
    moved = generator.replace(elector, address=("99 New Street", "Basingstoke"), postcode="RG21 9ZZ")

    register_update_apply(file=generator.update_bytes([("amend", moved)]), council=council)

    assert _voter(elector).household.address == "99 New Street\nBasingstoke"


def test_deleting_an_elector_not_on_the_register_is_rejected_with_its_line(council, loaded):
    ghost = generator.replace(loaded[0], number=9999)

    report = register_update_apply(file=generator.update_bytes([("delete", ghost)]), council=council)

    assert not report.applied
    assert [(r.line, r.reason) for r in report.rejections] == [
        (2, f"cannot delete elector {ghost.reference}: not on the register")
    ]


def test_adding_an_elector_already_on_the_register_is_rejected(council, loaded):
    report = register_update_apply(file=generator.update_bytes([("add", loaded[0])]), council=council)

    assert report.rejections[0].reason == f"cannot add elector {loaded[0].reference}: already on the register"
    assert Voter.objects.count() == len(loaded)


def test_update_file_without_change_columns_is_refused_with_a_clear_error(council, loaded):
    from canvass.register.reader import RegisterFileError

    with pytest.raises(RegisterFileError, match="no update columns"):
        register_update_apply(file=generator.register_bytes(loaded[:3]), council=council)


def test_two_thousand_change_update_applies_in_one_go(council, loaded):
    """Size, not speed: the timing is in bench/register_import.py."""
    changes = generator.monthly_changes(loaded, seed=13, adds=50, amends=100, deletes=100)

    report = register_update_apply(file=generator.update_bytes(changes), council=council)

    assert report.counts["added"] + report.counts["amended"] + report.counts["deleted"] == 250
    assert Voter.objects.filter(left_register_on=timezone.localdate()).count() == 100


def test_update_whose_rows_all_cancel_out_is_nothing_to_change(council, loaded):
    changes = generator.monthly_changes(loaded, seed=12, adds=0, skips=2)
    assert {change for change, _ in changes} == {"skip"}

    report = register_update_apply(file=generator.update_bytes(changes), council=council)

    assert report.counts["created and deleted in this file"] == 2
    assert report.outcome == "nothing to change" and not report.applied
