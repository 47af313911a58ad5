import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import OurPartyFactory, WardFactory
from wards.models import Candidate, Contest, Election, WardResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def popley(db):
    OurPartyFactory()
    return WardFactory(name="Popley")


def upload(client, popley, text: str):
    return client.post(
        reverse("admin:wards_election_import"),
        {
            "council": popley.council.pk,
            "kind": "thirds",
            "results": SimpleUploadedFile("results.csv", text.encode(), content_type="text/csv"),
        },
    )


def test_the_admin_imports_a_results_file(client, alice, popley):
    client.force_login(alice)
    response = upload(
        client,
        popley,
        "date,ward,candidate,party,votes,elected,ballots,electorate\n"
        "2024-05-02,Popley,Ann Able,LAB,1200,yes,2400,8000\n",
    )
    assert response.status_code == 302
    assert Contest.objects.get().turnout is not None


def test_the_admin_import_lists_the_bad_lines_and_writes_nothing(client, alice, popley):
    client.force_login(alice)
    response = upload(client, popley, "date,ward,candidate,party,votes\n2024-05-02,Popley,Ann,LAB,lots\n")
    assert response.status_code == 200
    assert "results.csv line 2: votes &#x27;lots&#x27; is not a whole number" in response.content.decode()
    assert not Election.objects.exists()


def test_entering_a_contest_by_hand_refreshes_the_wards_last_result(client, alice, popley):
    client.force_login(alice)
    election = Election.objects.create(council=popley.council, date="2024-05-02", kind="thirds")
    response = client.post(
        reverse("admin:wards_contest_add"),
        {
            "election": election.pk,
            "ward": popley.pk,
            "seats_contested": 1,
            "ballots_issued": 2400,
            "electorate": 8000,
            "candidates-TOTAL_FORMS": 1,
            "candidates-INITIAL_FORMS": 0,
            "candidates-0-name": "Ann Able",
            "candidates-0-party": OurPartyFactory().pk,
            "candidates-0-votes": 1200,
            "candidates-0-elected": "on",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Candidate.objects.get().elected
    assert list(WardResult.objects.values_list("ward", "votes")) == [(popley.pk, 1200)]
