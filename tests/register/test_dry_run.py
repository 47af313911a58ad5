from canvass.models import Household, TurnoutRecord, Voter
from canvass.register import generator
from canvass.register.services import file_import, register_import, register_update_apply
from tests.register.conftest import marked_register_bytes


def test_dry_run_reports_what_a_full_import_would_do_without_doing_it(council, register):
    report = register_import(file=generator.register_bytes(register), council=council, dry_run=True)

    assert report.counts["new"] == len(register)
    assert report.outcome == "dry_run" and not report.applied
    assert not Voter.objects.exists() and not Household.objects.exists()


def test_dry_run_of_a_renumbered_register_reports_matched_new_and_gone(council, register):
    register_import(file=generator.register_bytes(register), council=council)
    before = sorted(Voter.objects.values_list("id", "elector_number"))
    republished = generator.renumbered(register, seed=4, leavers=3, joiners=6)

    report = register_import(file=generator.register_bytes(republished), council=council, dry_run=True)

    assert (report.counts["matched"], report.counts["new"], report.counts["gone"]) == (len(register) - 3, 6, 3)
    assert sorted(Voter.objects.values_list("id", "elector_number")) == before


def test_dry_run_of_an_update_changes_nothing(council, register):
    register_import(file=generator.register_bytes(register), council=council)
    changes = generator.monthly_changes(register, seed=6, adds=2, deletes=2)

    report = register_update_apply(file=generator.update_bytes(changes), council=council, dry_run=True)

    assert (report.counts["added"], report.counts["deleted"]) == (2, 2)
    assert Voter.objects.on_register().count() == len(register)


def test_dry_run_of_a_marked_register_writes_no_turnout(council, register):
    register_import(file=generator.register_bytes(register), council=council)

    report = file_import(
        kind="marked", file=marked_register_bytes(register), council=council, election_date="2024-05-02", dry_run=True
    )

    assert report.counts["voted in person"] > 0
    assert not TurnoutRecord.objects.exists()
