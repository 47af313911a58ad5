"""Leaflet delivery rounds: cut over every household of chosen streets, marked per door from the phone (a replay
changes nothing), and each leaflet's coverage on the ward dashboard."""

import datetime as dt
import json
import uuid

from django.urls import reverse
from django.utils import timezone

from canvass.models import Delivery, Household, Leaflet, WalkList, WalkListKind
from canvass.walklists.deliveries import _item
from canvass.walklists.services import leaflet_rounds_cut
from tests.login import client_for


def cut(ward, by, **extra):
    return leaflet_rounds_cut(ward=ward, created_by=by, name="Focus, spring", **extra)


def mark(client, walk_list, *marks):
    body = json.dumps({"marks": list(marks)})
    return client.post(reverse("doorstep-delivery-marks", args=[walk_list.pk]), body, content_type="application/json")


def item(household, status="delivered", at=None, client_uuid=None):
    at = at or timezone.now()
    return {"client_uuid": str(client_uuid or uuid.uuid4()), "household": household, "status": status,
            "delivered_at": at.isoformat()}  # fmt: skip


def test_a_leaflet_takes_every_household_of_the_chosen_streets(campaign, as_olivia, popley):
    as_olivia.post(
        reverse("wards:leaflet-new", args=[popley.pk]),
        {"name": "Focus", "streets": ["Popley Way", "Abbey Road"], "round_size": 20},
    )
    leaflet = Leaflet.objects.get()
    rounds = list(leaflet.rounds.all())
    assert all(r.kind == WalkListKind.DELIVERY and r.stops.count() <= 20 for r in rounds)
    doors = Household.objects.filter(polling_district__ward=popley, street__in=["Popley Way", "Abbey Road"])
    assert sum(r.stops.count() for r in rounds) == doors.count()


def test_without_streets_the_whole_ward_is_covered(campaign, olivia, popley):
    leaflet = cut(popley, olivia, size=500)
    assert sum(r.stops.count() for r in leaflet.rounds.all()) == Household.objects.in_ward(popley).count()


def test_a_volunteer_marks_doors_and_a_replay_changes_nothing(campaign, olivia, popley, vera):
    walk_list = cut(popley, olivia, streets=["Popley Way"], size=500).rounds.get()
    walk_list.assigned_to.set([vera])
    first, second = walk_list.stops.order_by("position").values_list("household_id", flat=True)[:2]
    marks = [item(first), item(second, "no_letterbox")]
    client = client_for(vera)
    assert [r["status"] for r in mark(client, walk_list, *marks).json()["results"]] == ["ok", "ok"]
    mark(client, walk_list, *marks)
    assert dict(Delivery.objects.values_list("household_id", "status")) == {first: "delivered", second: "no_letterbox"}


def test_an_older_mark_arriving_late_does_not_replace_a_newer_one(campaign, olivia, popley, vera):
    walk_list = cut(popley, olivia, streets=["Popley Way"], size=500).rounds.get()
    walk_list.assigned_to.set([vera])
    door = walk_list.stops.first().household_id
    client = client_for(vera)
    mark(client, walk_list, item(door, "inaccessible"))
    mark(client, walk_list, item(door, "delivered", at=timezone.now() - dt.timedelta(hours=1)))
    assert Delivery.objects.get().status == "inaccessible"


def test_a_bad_mark_is_refused_alone_with_the_reason(campaign, olivia, popley, vera):
    walk_list = cut(popley, olivia, streets=["Popley Way"], size=500).rounds.get()
    walk_list.assigned_to.set([vera])
    door = walk_list.stops.first().household_id
    elsewhere = Household.objects.exclude(street="Popley Way").first().pk
    results = mark(client_for(vera), walk_list, item(door), item(elsewhere), item(door, "lost"))
    assert [r["error"] for r in results.json()["results"]] == [
        "", "This door is not on the round.", "The mark is delivered, no_letterbox or inaccessible.",
    ]  # fmt: skip
    assert Delivery.objects.count() == 1


def test_a_mark_naming_its_door_as_true_is_refused():
    """JSON's true is an int to Python (True == 1): it marked door 1, had it been on the round."""
    mark, error = _item(item(True), doors={1})
    assert (mark, error) == (None, "This door is not on the round.")
    assert _item(item(1), doors={1})[0]["household"] == 1


def test_marks_nested_too_deeply_for_the_json_parser_are_a_400(campaign, olivia, popley, vera):
    """json.loads raises RecursionError (not ValueError) for deep nesting: it was a 500."""
    walk_list = cut(popley, olivia, streets=["Popley Way"], size=500).rounds.get()
    walk_list.assigned_to.set([vera])
    url = reverse("doorstep-delivery-marks", args=[walk_list.pk])
    response = client_for(vera).post(url, "[" * 100_000, content_type="application/json")
    assert response.status_code == 400 and "Send a list" in response.json()["error"]


def test_a_volunteer_cannot_mark_a_round_not_given_to_them(campaign, olivia, popley, victor):
    walk_list = cut(popley, olivia, streets=["Popley Way"], size=500).rounds.get()
    door = walk_list.stops.first().household_id
    assert mark(client_for(victor), walk_list, item(door)).status_code == 404


def test_the_ward_dashboard_shows_each_leaflets_coverage(campaign, as_olivia, olivia, popley, vera):
    walk_list = cut(popley, olivia, streets=["Popley Way"], size=500).rounds.get()
    walk_list.assigned_to.set([vera])
    doors = list(walk_list.stops.values_list("household_id", flat=True))
    mark(client_for(vera), walk_list, *(item(d) for d in doors[:4]), item(doors[4], "inaccessible"))
    (leaflet,) = as_olivia.get(reverse("wards:ward", args=[popley.pk])).context["leaflets"]
    ward_doors = Household.objects.in_ward(popley).count()
    assert (leaflet.doors, leaflet.delivered, leaflet.inaccessible) == (len(doors), 4, 1)
    assert leaflet.coverage == round(400 / ward_doors)


def test_delivery_rounds_stay_off_the_canvass_progress(campaign, as_olivia, olivia, popley):
    cut(popley, olivia, streets=["Popley Way"], size=500)
    listed = as_olivia.get(reverse("wards:ward", args=[popley.pk])).context["walk_lists"]
    assert not [wl for wl in listed if wl.kind == WalkListKind.DELIVERY]


def test_the_phone_page_lists_the_doors_by_street_with_their_marks(campaign, olivia, popley, vera):
    walk_list = cut(popley, olivia, streets=["Popley Way", "Abbey Road"], size=500).rounds.get()
    walk_list.assigned_to.set([vera])
    door = walk_list.stops.order_by("position").first().household_id
    Delivery.objects.create(walk_list=walk_list, household_id=door, status="delivered", client_uuid=uuid.uuid4(),
                            delivered_at=timezone.now())  # fmt: skip
    response = client_for(vera).get(reverse("doorstep-delivery", args=[walk_list.pk]))
    streets = response.context["streets"]
    assert {s["name"] for s in streets} == {"Abbey Road", "Popley Way"}
    assert streets[0]["doors"][0]["status"] == "delivered"
    assert WalkList.objects.get(pk=walk_list.pk).kind == "delivery"


def test_a_deliverer_sees_addresses_not_the_voters_behind_them(campaign, olivia, popley, victor):
    from canvass.models import Voter

    walk_list = cut(popley, olivia, streets=["Popley Way"], size=500).rounds.get()
    walk_list.assigned_to.set([victor])
    assert not Voter.objects.visible_to(victor).exists()
    response = client_for(victor).get(reverse("doorstep-list", args=[walk_list.pk]))
    assert response.url == reverse("doorstep-delivery", args=[walk_list.pk])
