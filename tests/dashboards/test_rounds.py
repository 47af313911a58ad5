"""Cutting a ward's segment or streets into rounds: the preview, the rounds saved, assigned and their progress."""

import datetime as dt
import uuid

from django.urls import reverse
from django.utils import timezone

from canvass.models import ContactRecord, Outcome, Voter, WalkList, WalkListCut
from canvass.services.contacts import contact_records_sync
from tests.factories import ProfileFactory
from wards.models import Segment

STREETS = ["Popley Way", "Abbey Road", "Carpenters Down"]


def post(client, ward, **data):
    return client.post(reverse("wards:walk-list-new", args=[ward.pk]), {"name": "Saturday", **data})


def test_the_preview_counts_the_doors_and_saves_nothing(campaign, as_olivia, popley):
    response = post(as_olivia, popley, streets=STREETS, round_size=10, preview="1")
    rounds = response.context["preview"]
    assert response.context["preview_doors"] == sum(r.size for r in rounds) > 10
    assert all(r.size <= 10 for r in rounds) and not WalkList.objects.exists()
    assert f"{response.context['preview_doors']} doors in {len(rounds)} rounds" in response.content.decode()


def test_cutting_makes_one_walk_list_per_round_with_every_door_once(campaign, as_olivia, popley):
    response = post(as_olivia, popley, segment=Segment.PERSUADABLE, round_size=8)
    cut = WalkListCut.objects.get()
    assert response.url == reverse("wards:walk-list-cut", args=[cut.pk])
    rounds = list(cut.rounds.all())
    assert len(rounds) > 1 and all(r.stops.count() <= 8 for r in rounds)
    doors = [h for r in rounds for h in r.stops.values_list("household", flat=True)]
    assert len(doors) == len(set(doors))
    assert all(r.name and r.name.split(" (")[0].split(",")[0] in r.name for r in rounds)


def test_a_round_is_walked_up_the_odd_side_and_down_the_even(campaign, as_olivia, popley):
    post(as_olivia, popley, streets=["Popley Way"], round_size=200)
    numbers = list(WalkList.objects.get().stops.order_by("position").values_list("household__house_number", flat=True))
    odd = [n for n in numbers if n % 2]
    assert numbers == odd + [n for n in numbers if not n % 2] and odd == sorted(odd)
    assert numbers[len(odd) :] == sorted(numbers[len(odd) :], reverse=True)


def test_an_empty_size_cuts_one_list_as_before(campaign, as_olivia, popley):
    post(as_olivia, popley, streets=STREETS)
    assert WalkList.objects.count() == 1 and not WalkListCut.objects.exists()


def test_each_round_is_assigned_its_own_volunteer(campaign, as_olivia, popley, vera, victor):
    post(as_olivia, popley, streets=STREETS, round_size=10)
    cut = WalkListCut.objects.get()
    first, second, *rest = cut.rounds.order_by("pk")
    url = reverse("wards:walk-list-cut", args=[cut.pk])
    as_olivia.post(url, {f"round-{first.pk}": vera.pk, f"round-{second.pk}": victor.pk})
    assert list(first.assigned_to.all()) == [vera] and list(second.assigned_to.all()) == [victor]
    assert all(not r.assigned_to.exists() for r in rest)


def test_volunteers_who_canvass_the_ward_are_offered_first(campaign, as_olivia, popley, vera, victor):
    zoe = ProfileFactory(user__username="zoe", user__first_name="Zoe", wards=[popley]).user
    post(as_olivia, popley, streets=STREETS, round_size=10)
    cut = WalkListCut.objects.get()
    form = as_olivia.get(reverse("wards:walk-list-cut", args=[cut.pk])).context["form"]
    choices = next(iter(form.fields.values())).choices
    assert choices[1] == (zoe.pk, "Zoe · canvasses Popley")


def test_an_organiser_cannot_open_another_wards_cut(campaign, as_olivia, south_ham, oscar):
    from canvass.walklists.services import walk_list_rounds_cut

    cut = walk_list_rounds_cut(ward=south_ham, created_by=oscar, name="Theirs", streets=["Sullivan Road"], size=10)
    assert as_olivia.get(reverse("wards:walk-list-cut", args=[cut.pk])).status_code == 404


def test_progress_shows_as_soon_as_a_sync_lands(campaign, as_olivia, popley, vera):
    post(as_olivia, popley, streets=STREETS, round_size=10, volunteers=[vera.pk])
    cut = WalkListCut.objects.get()
    first = cut.rounds.order_by("pk").first()
    voter = Voter.objects.filter(household=first.stops.first().household).first()
    contact_records_sync(
        user=vera,
        items=[
            {"client_uuid": uuid.uuid4(), "voter": voter.pk,
             "household": voter.household_id, "contacted_at": timezone.now(), "outcome": Outcome.SPOKE},
        ],
    )  # fmt: skip
    row = next(r for r, _ in as_olivia.get(reverse("wards:walk-list-cut", args=[cut.pk])).context["rows"] if r == first)
    assert (row.knocked_count, row.contacts_count, row.last_sync_by) == (1, 1, "vera")
    dashboard = as_olivia.get(reverse("wards:ward", args=[popley.pk])).context["walk_lists"]
    assert next(wl for wl in dashboard if wl.pk == first.pk).knocked_count == 1


def test_contacts_before_the_cut_are_not_progress(campaign, as_olivia, popley):
    post(as_olivia, popley, streets=STREETS, round_size=10)
    first = WalkListCut.objects.get().rounds.order_by("pk").first()
    WalkList.objects.filter(pk=first.pk).update(created_at=timezone.now() + dt.timedelta(minutes=1))
    assert ContactRecord.objects.filter(household__walk_list_stops__walk_list=first).exists()
    row = as_olivia.get(reverse("wards:walk-list", args=[first.pk])).context["progress"]
    assert (row.knocked_count, row.contacts_count, row.last_sync_at) == (0, 0, None)


def test_the_cut_page_costs_the_same_queries_for_few_rounds_as_for_many(campaign, as_olivia, popley):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (200, 5):
        post(as_olivia, popley, streets=STREETS, round_size=size)
        cut = WalkListCut.objects.order_by("-pk").first()
        with CaptureQueriesContext(connection) as queries:
            as_olivia.get(reverse("wards:walk-list-cut", args=[cut.pk]))
        counts.append((cut.rounds.count(), len(queries)))
    assert counts[0][0] == 1 and counts[1][0] > 5
    # Session, user, profile; the cut in scope; the rounds, their assignees; the volunteers (once for every
    # round's choice); the rounds' progress (one statement).
    assert counts[0][1] == counts[1][1] == 8


def test_previewing_without_a_size_shows_one_list_and_saves_nothing(campaign, as_olivia, popley):
    response = post(as_olivia, popley, streets=STREETS, preview="1")
    assert len(response.context["preview"]) == 1 and not WalkList.objects.exists()
