"""Exports: a target segment or a walk list as CSV, and the printable walk sheet, each audited."""

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse

from canvass.models import AuditAction, AuditEvent, Voter
from tests.factories import WalkListFactory
from wards.exports import csv_text
from wards.models import Segment, TargetListEntry


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def popley_list(campaign, popley, vera):
    doors = list(popley.polling_districts.get(code="PA1").households.in_walking_order()[:6])
    return WalkListFactory(ward=popley, households=doors, assigned_to=[vera])


def test_segment_csv_holds_the_segments_voters_in_walking_order(campaign, as_olivia, popley):
    response = as_olivia.post(reverse("wards:segment-csv", args=[popley.pk, Segment.PERSUADABLE]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = rows_of(response)
    entries = TargetListEntry.objects.filter(ward=popley, segment=Segment.PERSUADABLE).order_by("position")
    assert [row["elector"] for row in rows] == [entry.voter.reference for entry in entries]
    assert [int(row["position"]) for row in rows] == sorted(int(row["position"]) for row in rows)
    first = entries.first()
    assert rows[0]["surname"] == first.voter.surname and rows[0]["reason"] == first.get_reason_display()


def test_segment_csv_leaves_out_a_voter_who_asked_not_to_be_contacted_since_the_last_rebuild(
    campaign, as_olivia, popley
):
    entry = TargetListEntry.objects.filter(ward=popley, segment=Segment.PERSUADABLE).first()
    Voter.objects.filter(pk=entry.voter_id).update(do_not_contact=True)
    rows = rows_of(as_olivia.post(reverse("wards:segment-csv", args=[popley.pk, Segment.PERSUADABLE])))
    assert entry.voter.reference not in {row["elector"] for row in rows}


def test_segment_csv_export_is_recorded_in_the_audit_trail(campaign, as_olivia, olivia, popley):
    as_olivia.post(reverse("wards:segment-csv", args=[popley.pk, Segment.PERSUADABLE]))
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    voter_ids = set(TargetListEntry.objects.filter(ward=popley, segment="persuadable").values_list("voter", flat=True))
    assert event.user == olivia and event.resource == "target_list"
    assert set(event.object_ids) == voter_ids and event.count == len(voter_ids)


def test_seeing_a_segments_voters_is_recorded_as_a_listing(campaign, as_olivia, olivia, popley):
    as_olivia.get(reverse("wards:segment", args=[popley.pk, Segment.PERSUADABLE]))
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.resource) == (olivia, AuditAction.LIST, "target_list")
    assert event.count == TargetListEntry.objects.filter(ward=popley, segment=Segment.PERSUADABLE).count()


def test_exports_are_posts_so_a_link_cannot_trigger_one(campaign, as_olivia, popley, popley_list):
    assert as_olivia.get(reverse("wards:segment-csv", args=[popley.pk, "persuadable"])).status_code == 405
    assert as_olivia.get(reverse("wards:walk-list-csv", args=[popley_list.pk])).status_code == 405
    assert not AuditEvent.objects.exists()


def test_walk_list_csv_lists_each_contactable_voter_door_by_door(campaign, as_olivia, popley_list):
    quiet = Voter.objects.filter(household__walk_list_stops__walk_list=popley_list).order_by("id").first()
    Voter.objects.filter(pk=quiet.pk).update(do_not_contact=True)
    rows = rows_of(as_olivia.post(reverse("wards:walk-list-csv", args=[popley_list.pk])))
    expected = Voter.objects.filter(household__walk_list_stops__walk_list=popley_list, do_not_contact=False)
    assert sorted(row["elector"] for row in rows) == sorted(v.reference for v in expected)
    assert quiet.reference not in {row["elector"] for row in rows}
    assert [int(row["position"]) for row in rows] == sorted(int(row["position"]) for row in rows)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.resource == "walk_list.voters" and event.count == len(rows)


def test_walk_sheet_groups_doors_by_street_in_walking_order_with_tick_boxes(campaign, as_olivia, popley_list):
    response = as_olivia.get(reverse("wards:walk-sheet", args=[popley_list.pk]))
    sheets = response.context["streets"]
    doors = [door for sheet in sheets for door in sheet["doors"]]
    assert [door["position"] for door in doors] == sorted(door["position"] for door in doors)
    assert all(door["street"] == sheet["name"] for sheet in sheets for door in sheet["doors"])
    content = response.content.decode()
    for voter in (voter for door in doors for voter in door["voters"]):
        assert voter["reference"] in content
    assert content.count('class="box" role="img" aria-label="Not in"') == sum(len(door["voters"]) for door in doors)
    assert "walk_sheet.css" in content and response["Cache-Control"].startswith("max-age=0")
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).count == sum(len(door["voters"]) for door in doors)


def test_walk_sheet_print_css_is_a4():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("wards/css/walk_sheet.css")).read_text(encoding="utf-8")
    assert "@page { size: A4" in css and "@media print" in css


def test_export_urls_carry_no_personal_data(campaign, as_olivia, popley, popley_list):
    page = as_olivia.get(reverse("wards:walk-list", args=[popley_list.pk])).content.decode()
    assert f'action="/campaign/walk-lists/{popley_list.pk}/export.csv"' in page
    assert f'href="/campaign/walk-lists/{popley_list.pk}/sheet/"' in page


def test_csv_cells_that_look_like_formulas_are_neutralised():
    text = csv_text(["surname"], [["=HYPERLINK(1)"], ["Smith"]])
    assert text.splitlines()[1:] == ["'=HYPERLINK(1)", "Smith"]
