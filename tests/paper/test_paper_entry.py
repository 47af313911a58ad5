"""Keying in paper returns: each entry stored once through the contact sync, refused alone with the reason."""

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from canvass.models import AuditEvent, ContactRecord, Intention, Outcome
from canvass.paper.codes import CodeError, codes_parse
from tests.factories import HouseholdFactory, PartyFactory, PollingDistrictFactory, VoterFactory
from tests.login import client_for


@pytest.fixture
def sheet(db, popley, south_ham, our_party):
    con = PartyFactory(code="CON", name="Conservative")
    pa1, sh1 = PollingDistrictFactory(ward=popley, code="PA1"), PollingDistrictFactory(ward=south_ham, code="SH1")
    mine = VoterFactory(
        household=HouseholdFactory(polling_district=pa1), elector_number=12, forenames="Ann", surname="Able"
    )
    theirs = VoterFactory(household=HouseholdFactory(polling_district=sh1), elector_number=7)
    return {"mine": mine, "theirs": theirs, "lab": our_party, "con": con}


KEYED_AT = timezone.now().isoformat()


def enter(client, reference, codes, client_uuid=None):
    payload = {"client_uuid": str(client_uuid or uuid.uuid4()), "reference": reference, "codes": codes}
    payload["keyed_at"] = KEYED_AT
    response = client.post(reverse("paper-entry"), json.dumps(payload), content_type="application/json")
    is_json = response["Content-Type"] == "application/json"
    return response, response.json() if is_json else None


def test_an_entry_stores_the_contact_with_its_codes(sheet, olivia):
    response, body = enter(client_for(olivia), "PA1-12", "s lab con 4 pv")
    assert response.status_code == 201 and body["name"] == "Ann Able"
    contact = ContactRecord.objects.get()
    assert (contact.voter, contact.outcome, contact.likelihood) == (sheet["mine"], Outcome.SPOKE, 4)
    assert (contact.local_intention, contact.local_party, contact.national_party) == (
        Intention.PARTY, sheet["lab"], sheet["con"],
    )  # fmt: skip
    assert contact.wants_postal_vote and contact.volunteer == olivia


def test_a_double_submit_stores_one_contact(sheet, olivia):
    client, entry = client_for(olivia), uuid.uuid4()
    first, _ = enter(client, "PA1-12", "N", entry)
    again, body = enter(client, "PA1-12", "N", entry)
    assert (first.status_code, again.status_code, body["created"]) == (201, 200, False)
    assert ContactRecord.objects.count() == 1


def test_an_unknown_number_is_refused_with_the_reason(sheet, olivia):
    response, body = enter(client_for(olivia), "PA1-999", "N")
    assert response.status_code == 400
    assert body["errors"] == {"reference": ["No elector PA1-999 on the register: check the number on the sheet."]}


def test_a_voter_outside_the_organisers_wards_is_refused(sheet, olivia):
    _, body = enter(client_for(olivia), "SH1-7", "N")
    assert body["errors"] == {"reference": ["Elector SH1-7 is outside your wards."]}
    assert not ContactRecord.objects.exists()


def test_a_malformed_number_is_refused(sheet, olivia):
    _, body = enter(client_for(olivia), "twelve", "N")
    assert "is not an elector number" in body["errors"]["reference"][0]


@pytest.mark.parametrize(
    ("codes", "reason"),
    [
        ("", "Type the outcome first"),
        ("Q", "“Q” is not an outcome"),
        ("S XYZ", "“XYZ” is not a local intention"),
        ("S LAB ZZZ", "“ZZZ” is not a national intention"),
        ("S LAB CON 7", "“7” is not a likelihood"),
        ("N 4", "a likelihood goes only with S"),
        ("R LAB", "“LAB” is not a flag"),
    ],
)
def test_an_impossible_code_is_refused_with_the_reason(sheet, olivia, codes, reason):
    response, body = enter(client_for(olivia), "PA1-12", codes)
    assert response.status_code == 400 and reason in body["errors"]["codes"][0]
    assert not ContactRecord.objects.exists()


def test_one_bad_entry_loses_nothing_else(sheet, olivia):
    client = client_for(olivia)
    enter(client, "PA1-12", "N")
    enter(client, "PA1-12", "Q")
    assert ContactRecord.objects.count() == 1


def test_undo_removes_the_entry(sheet, olivia):
    client, entry = client_for(olivia), uuid.uuid4()
    enter(client, "PA1-12", "N", entry)
    payload = json.dumps({"client_uuid": str(entry)})
    assert client.post(reverse("paper-undo"), payload, content_type="application/json").status_code == 200
    assert not ContactRecord.objects.exists()


def test_finding_an_elector_shows_the_name_and_is_audited(sheet, olivia):
    payload = json.dumps({"reference": "pa1 12"})
    response = client_for(olivia).post(reverse("paper-lookup"), payload, content_type="application/json")
    assert response.json()["name"] == "Ann Able"
    event = AuditEvent.objects.get()
    assert (event.action, event.resource, event.object_ids) == ("view", "voter", [sheet["mine"].pk])


def test_the_elector_number_is_never_in_the_lookup_url(sheet, olivia):
    """An elector number is personal data: it goes in the body, and a query string is not read."""
    client = client_for(olivia)
    assert client.get(reverse("paper-lookup"), {"reference": "PA1-12"}).status_code == 405
    assert client.post(reverse("paper-lookup") + "?reference=PA1-12").status_code == 404
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("call", ["paper-lookup", "paper-entry", "paper-undo"])
def test_a_body_nested_too_deeply_for_the_json_parser_is_refused(sheet, olivia, call):
    """json.loads raises RecursionError (not ValueError) for deep nesting: it was a 500."""
    response = client_for(olivia).post(reverse(call), "[" * 100_000, content_type="application/json")
    assert response.status_code in (400, 404) and response.json()["status"] == "error"


def test_volunteers_cannot_key_paper_returns(sheet, vera):
    assert client_for(vera).get(reverse("paper-returns")).status_code == 403
    assert enter(client_for(vera), "PA1-12", "N")[0].status_code == 403


def test_the_codes_read_left_to_right():
    parties = {"LAB": 1, "CON": 2}
    assert codes_parse("S LAB 4 DNK", parties=parties) == {
        "outcome": Outcome.SPOKE, "local_intention": Intention.PARTY, "local_party": 1, "likelihood": 4,
        "do_not_knock": True,
    }  # fmt: skip
    assert codes_parse("s - u", parties=parties) == {"outcome": Outcome.SPOKE, "national_intention": "undecided"}
    with pytest.raises(CodeError):
        codes_parse("S LAB CON 4 5", parties=parties)


def test_the_entry_page_costs_a_fixed_number_of_queries(sheet, olivia, django_assert_num_queries):
    client = client_for(olivia)
    # Session, user, profile, the parties for the codes legend.
    with django_assert_num_queries(4):
        client.get(reverse("paper-returns"))
