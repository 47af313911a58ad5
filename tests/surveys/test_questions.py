"""Survey questions: versioning, the organiser's pages, the ward's results, the CSV export and the API."""

import csv
import io

import pytest
from django.urls import reverse

from canvass.models import Answer, AuditEvent, Question, QuestionKind, QuestionVersion, Script
from canvass.surveys.selectors import ward_survey_results
from canvass.surveys.services import QuestionError, question_create, question_update
from tests.factories import ContactRecordFactory, HouseholdFactory, VoterFactory
from tests.login import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(popley, olivia):
    return question_create(
        council=popley.council,
        kind=QuestionKind.SINGLE,
        wording="What matters most here?",
        choices=["Buses", "Housing"],
        by=olivia,
    )


def answered(question, choice, district, **fields):
    voter = VoterFactory(household=HouseholdFactory(polling_district=district))
    contact = ContactRecordFactory(voter=voter, **fields)
    version = question.versions.order_by("-number").first()
    Answer.objects.create(contact=contact, question=question, version=version, choice=choice)
    return contact


def test_editing_the_wording_before_any_answer_corrects_version_one(priority, olivia):
    version = question_update(question=priority, wording="What matters most?", choices=["Buses", "Housing"], by=olivia)
    assert version.number == 1
    assert QuestionVersion.objects.get(question=priority).wording == "What matters most?"


def test_editing_the_wording_after_answers_makes_a_new_version_and_old_answers_keep_theirs(
    priority, olivia, popley_district
):
    answered(priority, "Buses", popley_district)
    version = question_update(
        question=priority, wording="What matters most to you?", choices=["Buses", "Housing"], by=olivia
    )
    assert version.number == 2
    assert Answer.objects.get().version.wording == "What matters most here?"


def test_changing_only_the_order_keeps_the_version(priority, olivia, popley_district):
    answered(priority, "Buses", popley_district)
    version = question_update(
        question=priority, wording="What matters most here?", choices=["Buses", "Housing"], order=3, by=olivia
    )
    assert (version.number, Question.objects.get().order) == (1, 3)


def test_a_choice_question_needs_two_choices(popley, olivia):
    with pytest.raises(QuestionError, match="at least two choices"):
        question_create(council=popley.council, kind=QuestionKind.SINGLE, wording="Which?", choices=["A"], by=olivia)


def test_an_organiser_adds_a_question_on_their_page(olivia, popley):
    response = client_for(olivia).post(
        reverse("wards:question-new"),
        {"wording": "May we put up a poster?", "kind": "yes_no", "order": 1, "choices": ""},
    )
    assert response.status_code == 302
    version = QuestionVersion.objects.get()
    assert (version.wording, version.choices, version.question.council) == (
        "May we put up a poster?",
        ["Yes", "No"],
        popley.council,
    )


def test_a_number_question_with_its_range_upside_down_is_refused_with_the_field_named(olivia, popley):
    response = client_for(olivia).post(
        reverse("wards:question-new"),
        {"wording": "How many?", "kind": "number", "order": 0, "min_value": 10, "max_value": 1},
    )
    assert response.status_code == 200
    assert "The highest number is below the lowest (10)." in response.content.decode()
    assert not Question.objects.exists()


def test_a_number_range_beyond_what_is_stored_is_refused_with_the_field_named(olivia, popley):
    """An IntegerField holds 32 bits: a bigger lowest or highest number was a 500 when saved."""
    response = client_for(olivia).post(
        reverse("wards:question-new"),
        {"wording": "How many?", "kind": "number", "order": 0, "min_value": 0, "max_value": 2**63},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["max_value"] == ["Ensure this value is less than or equal to 2147483647."]
    assert not Question.objects.exists()


def test_a_volunteer_may_not_open_the_questions_page(vera):
    assert client_for(vera).get(reverse("wards:questions")).status_code == 403


def test_the_organiser_sets_the_campaign_script(olivia, popley):
    client_for(olivia).post(reverse("wards:questions"), {"text": "Hello, I'm calling for the local party."})
    assert Script.objects.get(council=popley.council).text == "Hello, I'm calling for the local party."


def test_the_ward_results_count_and_share_each_choice(priority, popley, popley_district):
    for choice in ("Buses", "Buses", "Housing"):
        answered(priority, choice, popley_district)
    (result,) = ward_survey_results(ward=popley)
    assert result["answered"] == 3
    assert [(row["choice"], row["count"], row["share"]) for row in result["choices"]] == [
        ("Buses", 2, 66.7),
        ("Housing", 1, 33.3),
    ]
    assert sum(n for _, n in result["weeks"]) == 3


def test_the_ward_dashboard_shows_the_answers(olivia, priority, popley, popley_district):
    answered(priority, "Housing", popley_district)
    page = client_for(olivia).get(reverse("wards:ward", args=[popley.pk])).content.decode()
    assert "What matters most here?" in page
    assert "1 answer" in page


def test_the_answers_csv_has_one_row_per_answer_and_is_audited(olivia, priority, popley, popley_district):
    contact = answered(priority, "Housing", popley_district)
    response = client_for(olivia).post(reverse("wards:survey-csv", args=[popley.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["contact", "contacted_at", "question", "version", "wording", "answer"]
    assert rows[1][0] == str(contact.pk) and rows[1][4:] == ["What matters most here?", "Housing"]
    assert AuditEvent.objects.filter(resource="contact_record.answers", user=olivia).exists()


def test_the_contacts_api_includes_each_contacts_answers(olivia, popley, popley_district, priority):
    wants = question_create(
        council=popley.council, kind=QuestionKind.MULTIPLE, wording="Which?", choices=["A", "B"], by=olivia
    )
    contact = answered(priority, "Buses", popley_district)
    version = wants.versions.get()
    for choice in ("A", "B"):
        Answer.objects.create(contact=contact, question=wants, version=version, choice=choice)
    body = client_for(olivia).get("/api/v1/contact-records/", HTTP_ACCEPT="application/json").json()
    (row,) = body["results"]
    assert row["answers"] == [
        {"question": priority.pk, "version": 1, "wording": "What matters most here?", "value": "Buses"},
        {"question": wants.pk, "version": 1, "wording": "Which?", "value": ["A", "B"]},
    ]
