import csv
import io

import pytest
from django.urls import reverse

from canvass.api.views.register import EXPORT_HEADER
from canvass.models import AuditEvent
from tests.factories import ContactRecordFactory

pytestmark = pytest.mark.django_db


def test_listing_voters_records_who_saw_which_voters(as_user, olivia, popley_voters, south_ham_voter):
    as_user(olivia).get("/api/v1/voters/")
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.resource, event.count) == (olivia, "list", "voter", 3)
    assert sorted(event.object_ids) == sorted(v.pk for v in popley_voters)
    assert event.request_id


def test_audit_events_hold_ids_not_personal_data(as_user, olivia, popley_voters):
    as_user(olivia).get(f"/api/v1/voters/{popley_voters[0].pk}/")
    stored = str(AuditEvent.objects.values().get())
    for voter in popley_voters:
        assert voter.surname not in stored
        assert voter.household.address.splitlines()[0] not in stored


def test_viewing_a_voter_is_recorded(as_user, vera, veras_list, popley_voters):
    as_user(vera).get(f"/api/v1/voters/{popley_voters[0].pk}/")
    event = AuditEvent.objects.get()
    assert (event.action, event.object_ids) == ("view", [popley_voters[0].pk])


def test_the_request_id_is_the_servers_not_the_clients(as_user, olivia, popley_voters):
    response = as_user(olivia).get("/api/v1/voters/", HTTP_X_REQUEST_ID="req-42")
    event = AuditEvent.objects.get()
    assert event.request_id != "req-42"
    assert event.request_id == response["X-Request-ID"]


def test_setting_do_not_contact_is_audited_as_it_shows_the_voter(as_user, olivia, popley_voters):
    voter = popley_voters[0]
    assert as_user(olivia).post(f"/api/v1/voters/{voter.pk}/do-not-contact/").status_code == 200
    event = AuditEvent.objects.get()
    assert (event.action, event.resource, event.object_ids) == ("view", "voter", [voter.pk])


def test_a_deleted_users_audit_rows_still_say_who_they_were(as_user, olivia, popley_voters):
    as_user(olivia).get("/api/v1/voters/")
    olivia.delete()
    assert AuditEvent.objects.get().username == "olivia"


def test_exported_cells_that_a_spreadsheet_would_run_are_written_as_text(as_user, olivia, popley_voters):
    for voter, start in zip(popley_voters, ("=", "+", "@"), strict=True):
        voter.surname = f"{start}HYPERLINK(1)"
        voter.save()
    rows = list(csv.reader(io.StringIO(as_user(olivia).get("/api/v1/voters/export/").content.decode())))
    surnames = {row[EXPORT_HEADER.index("surname")] for row in rows[1:]}
    assert surnames == {"'=HYPERLINK(1)", "'+HYPERLINK(1)", "'@HYPERLINK(1)"}


def test_listing_households_and_contacts_is_recorded(as_user, olivia, popley_voters):
    ContactRecordFactory(voter=popley_voters[0])
    api = as_user(olivia)
    api.get("/api/v1/households/")
    api.get("/api/v1/contact-records/")
    assert set(AuditEvent.objects.values_list("resource", flat=True)) == {"household", "contact_record"}


def test_exporting_voters_is_recorded_as_an_export(as_user, olivia, popley_voters):
    response = as_user(olivia).get("/api/v1/voters/export/")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["id", "polling_district", "elector_number"]
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(v.pk for v in popley_voters)
    event = AuditEvent.objects.get()
    assert (event.action, event.count) == ("export", 3)


def test_volunteers_cannot_export(as_user, vera, veras_list):
    assert as_user(vera).get("/api/v1/voters/export/").status_code == 403


def test_admins_read_the_audit_trail_in_the_api(as_user, alice, olivia, popley_voters):
    as_user(olivia).get("/api/v1/voters/")
    rows = as_user(alice).get("/api/v1/audit-events/").json()["results"]
    assert [(row["user"], row["resource"]) for row in rows] == [(olivia.pk, "voter")]


def test_the_audit_admin_lists_events_but_cannot_change_them(client, alice, olivia, as_user, popley_voters):
    as_user(olivia).get("/api/v1/voters/")
    event = AuditEvent.objects.get()
    client.force_login(alice)
    assert client.get(reverse("admin:canvass_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:canvass_auditevent_change", args=[event.pk])).status_code == 200
    assert client.get(reverse("admin:canvass_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:canvass_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
