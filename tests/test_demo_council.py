import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q

from canvass.demo.build import demo_council_build
from canvass.models import ContactRecord, Household, Voter
from wards.models import Council, Party, Ward, Zone

pytestmark = pytest.mark.django_db

SMALL = 600


def register_fingerprint() -> str:
    rows = Voter.objects.order_by("polling_district__code", "elector_number").values_list(
        "polling_district__code", "elector_number", "surname", "forenames", "household__address"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_demo_builds_the_eighteen_wards_of_basingstoke_in_their_zones():
    demo_council_build(electors=SMALL, seed=1)
    council = Council.objects.get()
    assert (council.total_seats, council.majority) == (54, 28)
    zones = dict(Ward.objects.values_list("name", "zone"))
    assert len(zones) == 18
    assert zones["Popley"] == Zone.NORTH
    assert zones["South Ham"] == Zone.SOUTH
    assert zones["Bramley"] == Zone.VILLAGES
    assert all(ward.polling_districts.exists() and ward.villages.exists() for ward in Ward.objects.all())


def test_demo_builds_about_the_number_of_electors_asked_for():
    demo_council_build(electors=SMALL, seed=1)
    assert SMALL * 0.95 <= Voter.objects.count() <= SMALL
    assert Household.objects.count() < Voter.objects.count()


def test_running_the_demo_twice_adds_nothing():
    demo_council_build(electors=SMALL, seed=1)
    counts = (Ward.objects.count(), Household.objects.count(), Voter.objects.count(), ContactRecord.objects.count())
    summary = demo_council_build(electors=SMALL, seed=1)
    assert (summary.households_created, summary.voters_created, summary.contacts_created) == (0, 0, 0)
    assert counts == (
        Ward.objects.count(),
        Household.objects.count(),
        Voter.objects.count(),
        ContactRecord.objects.count(),
    )


def test_the_same_seed_builds_the_same_register():
    demo_council_build(electors=SMALL, seed=7)
    first = register_fingerprint()
    ContactRecord.objects.all().delete()
    Voter.objects.all().delete()
    Household.objects.all().delete()
    demo_council_build(electors=SMALL, seed=7)
    assert register_fingerprint() == first


def test_another_seed_builds_another_register():
    demo_council_build(electors=SMALL, seed=7)
    first = register_fingerprint()
    ContactRecord.objects.all().delete()
    Voter.objects.all().delete()
    Household.objects.all().delete()
    demo_council_build(electors=SMALL, seed=8)
    assert register_fingerprint() != first


def test_demo_canvass_returns_include_split_ticket_voters():
    demo_council_build(electors=3000, seed=1)
    ours = Party.objects.get(is_ours=True)
    local_supporters = ContactRecord.objects.filter(local_party=ours)
    split = local_supporters.filter(~Q(national_party=ours))
    assert 0.15 < split.count() / local_supporters.count() < 0.45


def test_demo_contacts_belong_to_the_voters_ward():
    demo_council_build(electors=SMALL, seed=1)
    assert ContactRecord.objects.exists()
    assert not ContactRecord.objects.exclude(ward=F("voter__polling_district__ward")).exists()


def test_demo_logins_work(client):
    demo_council_build(electors=0, seed=1)
    for username, password in [
        ("admin", "demo-admin-pass"),
        ("olivia", "demo-organiser-pass"),
        ("vera", "demo-volunteer-pass"),
    ]:
        assert client.login(username=username, password=password), username


def test_organiser_olivia_runs_popley_and_norden():
    demo_council_build(electors=0, seed=1)
    olivia = Ward.objects.filter(organisers__user__username="olivia").values_list("name", flat=True)
    assert sorted(olivia) == ["Norden", "Popley"]


def test_command_prints_the_demo_logins(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo", "--electors", "100", "--seed", "3")
    out = capsys.readouterr().out
    assert "olivia" in out and "demo-organiser-pass" in out


def test_command_refuses_a_production_database_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", "--electors", "10")
