import pytest
from django.utils import timezone

from canvass.models import AuditEvent, WalkList
from wards.models import AreaStatistics, Reason, Scope, Segment, TargetListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def persuadables(popley, popley_voters):
    return [
        TargetListEntry.objects.create(
            ward=popley,
            segment=Segment.PERSUADABLE,
            reason=Reason.UNDECIDED,
            position=position,
            voter=voter,
            household=voter.household,
            built_at=timezone.now(),
        )
        for position, voter in enumerate(popley_voters, start=1)
    ]


def url(ward, segment=Segment.PERSUADABLE):
    return f"/api/v1/target-lists/?ward={ward.pk}&segment={segment}"


def test_organiser_reads_their_wards_target_list_in_walking_order(as_user, olivia, popley, persuadables):
    rows = as_user(olivia).get(url(popley)).json()["results"]
    assert [row["voter"] for row in rows] == [entry.voter_id for entry in persuadables]


def test_another_wards_target_list_is_not_found(as_user, oscar, popley, persuadables):
    assert as_user(oscar).get(url(popley)).status_code == 404


def test_volunteers_do_not_read_target_lists(as_user, vera, veras_list, popley, persuadables):
    assert as_user(vera).get(url(popley)).status_code == 403


def test_target_list_needs_a_ward_and_a_known_segment(as_user, olivia, popley):
    errors = as_user(olivia).get("/api/v1/target-lists/?segment=nonsense").json()
    assert set(errors) == {"ward", "segment"}


def test_a_ward_id_that_is_a_digit_but_not_a_number_is_a_400(as_user, olivia, popley):
    """ "²" passes str.isdigit() but not int(): it was a 500."""
    response = as_user(olivia).get("/api/v1/target-lists/", {"ward": "²", "segment": "promise"})
    assert (response.status_code, set(response.json())) == (400, {"ward"})


def test_do_not_contact_drops_a_voter_from_the_target_list_at_once(as_user, olivia, popley, persuadables):
    api = as_user(olivia)
    api.post(f"/api/v1/voters/{persuadables[0].voter_id}/do-not-contact/")
    rows = api.get(url(popley)).json()["results"]
    assert persuadables[0].voter_id not in [row["voter"] for row in rows]
    assert len(rows) == 2


def test_reading_a_target_list_is_audited(as_user, olivia, popley, persuadables):
    as_user(olivia).get(url(popley))
    event = AuditEvent.objects.get(resource="target_list")
    assert (event.user, event.action, event.count) == (olivia, "list", 3)


def test_organiser_cuts_a_walk_list_from_a_target_list(as_user, olivia, popley, persuadables):
    response = as_user(olivia).post(
        "/api/v1/walk-lists/",
        {"name": "Persuadables", "ward": popley.pk, "target_segment": Segment.PERSUADABLE},
        format="json",
    )
    assert response.status_code == 201, response.json()
    walk_list = WalkList.objects.get(pk=response.json()["id"])
    assert set(walk_list.households.values_list("pk", flat=True)) == {e.household_id for e in persuadables}


def test_ward_statistics_are_scoped_to_the_callers_wards(as_user, olivia, popley, south_ham):
    for ward in (popley, south_ham):
        AreaStatistics.objects.create(scope=Scope.WARD, council=ward.council, ward=ward, computed_at=timezone.now())
    rows = as_user(olivia).get("/api/v1/ward-statistics/").json()["results"]
    assert [row["ward"] for row in rows] == [popley.pk]
