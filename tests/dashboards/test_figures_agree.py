"""The ward page's figures agree with each other: electors, doors and promises counted one way."""

from django.urls import reverse
from django.utils import timezone

from canvass.models import ContactRecord, Household, Outcome, Voter
from tests.factories import VillageFactory, VoterFactory
from wards.models import PollingDistrict, Segment, Village
from wards.selectors import with_elector_counts
from wards.services import ward_statistics_recompute
from wards.services.targets import target_lists_rebuild


def page(as_olivia, popley):
    return as_olivia.get(reverse("wards:ward", args=[popley.pk])).context


def test_the_places_electors_and_doors_add_up_to_the_header(campaign, as_olivia, popley):
    overseas = Voter.objects.filter(polling_district__ward=popley).first()
    overseas.markers = "F"  # on the register, not a council elector: in neither figure
    overseas.save()
    ward_statistics_recompute(ward_ids=[popley.pk])
    context = page(as_olivia, popley)
    districts = context["polling_districts"]
    assert sum(p.electors for p in districts) == context["stats"].electors
    assert sum(p.households for p in districts) == context["stats"].households


def test_the_pages_places_are_counted_as_the_api_counts_them(campaign, as_olivia, popley):
    """One statement reads the dashboard's districts and villages; each place's figures are those of
    `with_elector_counts` (the API's): council electors on the register and their doors, empty places at 0."""
    village, _empty = VillageFactory(ward=popley, name="Aldworth"), VillageFactory(ward=popley, name="Bramley")
    doors = Household.objects.filter(polling_district__ward=popley).order_by("id")[:3]
    Household.objects.filter(id__in=[d.id for d in doors]).update(village=village)
    left, overseas = Voter.objects.filter(household__in=doors).order_by("id")[:2]
    left.on_register = False
    left.save()
    overseas.markers = "f"
    overseas.save()
    VoterFactory(household=doors[0], markers="", elector_number=99_999)
    context = page(as_olivia, popley)
    for key, model, voter_field, label in (
        ("polling_districts", PollingDistrict, "polling_district", "code"),
        ("villages", Village, "household__village", "name"),
    ):
        expected = with_elector_counts(model.objects.filter(ward=popley).order_by(label), voter_field=voter_field)
        shown = [(p.name, p.electors, p.households) for p in context[key]]
        assert shown == [(getattr(p, label), p.n_electors, p.n_households) for p in expected]
    assert context["villages"][1].electors == 0 and context["villages"][1].households == 0
    assert 0 < context["villages"][0].electors < Voter.objects.filter(household__in=doors).count()


def test_promises_in_the_header_reconcile_with_the_promises_segment(campaign, as_olivia, popley):
    promised = ContactRecord.objects.filter(ward=popley, outcome=Outcome.SPOKE, likelihood=5).values("voter")
    refuser, mover = Voter.objects.filter(id__in=promised).order_by("id")[:2]
    refuser.do_not_contact = True
    refuser.save()
    ContactRecord.objects.create(
        voter=mover, household=mover.household, ward=popley, outcome=Outcome.MOVED_AWAY, contacted_at=timezone.now()
    )
    ward_statistics_recompute(ward_ids=[popley.pk])
    target_lists_rebuild(ward=popley)
    context = page(as_olivia, popley)
    listed = next(s.voters for s in context["segments"] if s.segment == Segment.PROMISE)
    stats = context["stats"]
    assert stats.promises_do_not_contact == 1
    assert listed == stats.promises - 2
    assert context["promises_note"] == f"{listed} in the promises segment; 1 asked for no contact; 1 off the lists"


def test_the_same_ward_shows_the_same_electors_and_households_on_every_page_and_in_the_api(
    campaign, as_olivia, popley, olivia
):
    from rest_framework.test import APIClient

    # Figures that could be counted two ways: an overseas elector (on the register, no council vote), a
    # voter off the register, and a door with only such voters.
    voters = list(Voter.objects.filter(polling_district__ward=popley).order_by("id"))
    voters[0].markers = "F"
    voters[0].save()
    voters[1].on_register = False
    voters[1].save()
    ward_statistics_recompute(ward_ids=[popley.pk])
    dashboard = page(as_olivia, popley)
    header = (dashboard["stats"].electors, dashboard["stats"].households)
    places = (
        sum(p.electors for p in dashboard["polling_districts"]),
        sum(p.households for p in dashboard["polling_districts"]),
    )
    overview_row = next(row for row in as_olivia.get(reverse("wards:overview")).context["rows"] if row.ward == popley)
    overview = (overview_row.stats.electors, overview_row.stats.households)
    api = APIClient()
    api.force_authenticate(olivia)
    ward = api.get(f"/api/v1/wards/{popley.pk}/").json()
    statistics = api.get("/api/v1/ward-statistics/", {"ward": popley.pk}).json()["results"][0]
    districts = api.get("/api/v1/polling-districts/", {"ward": popley.pk}).json()["results"]
    in_api = [
        (ward["council_electors"], ward["households"]),
        (statistics["electors"], statistics["households"]),
        (sum(d["council_electors"] for d in districts), sum(d["households"] for d in districts)),
    ]
    council_electors = Voter.objects.filter(polling_district__ward=popley).on_register().council_electors()
    expected = (council_electors.count(), council_electors.values("household").distinct().count())
    assert header == places == overview == expected
    html = as_olivia.get(reverse("wards:ward", args=[popley.pk])).content.decode()
    assert f"<dt>Council electors on the register</dt><dd>{expected[0]}<small> {expected[1]} households</small>" in html
    assert in_api == [expected] * 3
    assert expected[0] < Voter.objects.filter(polling_district__ward=popley).count()


def test_the_pages_say_which_electors_they_count(campaign, as_olivia, popley):
    dashboard = as_olivia.get(reverse("wards:ward", args=[popley.pk])).content.decode()
    overview = as_olivia.get(reverse("wards:overview")).content.decode()
    assert "Council electors on the register" in dashboard
    assert "(council electors on the register, and the doors where they live)" in dashboard
    assert "Council electors: on the register with a council vote" in overview
