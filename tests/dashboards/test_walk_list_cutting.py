"""Cutting a walk list from a target segment or from streets, and assigning it to volunteers."""

from django.urls import reverse

from canvass.models import Household, Voter, WalkList
from wards.models import Segment, TargetListEntry


def cut(client, ward, **data):
    return client.post(reverse("wards:walk-list-new", args=[ward.pk]), {"name": "Saturday round", **data})


def test_cutting_from_a_segment_takes_its_doors_in_walking_order_and_assigns_them(campaign, as_olivia, popley, vera):
    response = cut(as_olivia, popley, segment=Segment.PERSUADABLE, volunteers=[vera.pk])
    walk_list = WalkList.objects.get()
    assert response.url == reverse("wards:walk-list", args=[walk_list.pk])
    expected = set(
        TargetListEntry.objects.filter(ward=popley, segment=Segment.PERSUADABLE).values_list("household", flat=True)
    )
    stops = list(walk_list.stops.order_by("position").values_list("household", flat=True))
    assert set(stops) == expected and len(stops) == len(expected)
    walking = list(Household.objects.filter(pk__in=expected).in_walking_order().values_list("pk", flat=True))
    assert stops == walking
    assert list(walk_list.assigned_to.all()) == [vera]
    assert walk_list.ward == popley and walk_list.created_by.username == "olivia"
    assert "Persuadables" in walk_list.source


def test_cutting_from_streets_takes_every_door_in_them(campaign, as_olivia, popley):
    cut(as_olivia, popley, streets=["Popley Way", "Abbey Road"])
    walk_list = WalkList.objects.get()
    in_streets = Household.objects.filter(polling_district__ward=popley, street__in=["Popley Way", "Abbey Road"])
    assert walk_list.stops.count() == in_streets.count() > 0


def test_a_segment_and_streets_together_keep_only_the_segments_doors_in_those_streets(campaign, as_olivia, popley):
    cut(as_olivia, popley, segment=Segment.PERSUADABLE, streets=["Popley Way"])
    streets = set(WalkList.objects.get().stops.values_list("household__street", flat=True))
    assert streets == {"Popley Way"}


def test_a_door_whose_segment_voters_all_asked_not_to_be_contacted_is_left_out(campaign, as_olivia, popley):
    entry = TargetListEntry.objects.filter(ward=popley, segment=Segment.PERSUADABLE).first()
    Voter.objects.filter(household=entry.household).update(do_not_contact=True)
    cut(as_olivia, popley, segment=Segment.PERSUADABLE)
    assert not WalkList.objects.get().stops.filter(household=entry.household).exists()


def test_the_form_asks_for_a_segment_or_streets(campaign, as_olivia, popley):
    response = cut(as_olivia, popley)
    assert response.status_code == 200
    assert "Choose a target segment, one or more streets, or both." in response.content.decode()
    assert not WalkList.objects.exists()


def test_an_empty_segment_is_explained_rather_than_cut(campaign, as_olivia, popley):
    TargetListEntry.objects.filter(ward=popley, segment=Segment.POSTAL_SUPPORTER).delete()
    response = cut(as_olivia, popley, segment=Segment.POSTAL_SUPPORTER)
    assert "No household matches this cut." in response.content.decode()


def test_the_form_offers_only_the_wards_streets_and_volunteers(campaign, as_olivia, popley, vera, olivia):
    form = as_olivia.get(reverse("wards:walk-list-new", args=[popley.pk])).context["form"]
    streets = {value for value, _ in form.fields["streets"].choices}
    assert "Popley Way" in streets and "Sullivan Road" not in streets  # Sullivan Road is in South Ham
    assert vera in form.fields["volunteers"].queryset and olivia not in form.fields["volunteers"].queryset


def test_an_organiser_cannot_cut_a_list_in_another_ward(campaign, as_olivia, south_ham):
    assert cut(as_olivia, south_ham, streets=["Sullivan Road"]).status_code == 404
    assert not WalkList.objects.exists()


def test_the_segment_link_preselects_the_segment(campaign, as_olivia, popley):
    url = reverse("wards:walk-list-new", args=[popley.pk]) + "?segment=persuadable"
    assert as_olivia.get(url).context["form"]["segment"].value() == "persuadable"


def test_an_organiser_reassigns_a_list_from_its_page(campaign, as_olivia, popley, vera, victor):
    cut(as_olivia, popley, streets=["Popley Way"], volunteers=[vera.pk])
    walk_list = WalkList.objects.get()
    as_olivia.post(reverse("wards:walk-list", args=[walk_list.pk]), {"volunteers": [victor.pk]})
    assert list(walk_list.assigned_to.all()) == [victor]
