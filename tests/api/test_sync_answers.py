"""Survey answers travel with the contact in the phone's sync: each bad answer is its item's error alone."""

import datetime as dt

import pytest
from django.utils import timezone

from canvass.models import Answer, ContactRecord, QuestionKind
from canvass.surveys.services import question_create, question_update
from tests.api.test_contact_sync import item
from tests.api.test_sync_bad_items import post
from wards.models import Reason, Segment, TargetListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def poster(popley, olivia):
    return question_create(
        council=popley.council, kind=QuestionKind.YES_NO, wording="May we put up a poster?", by=olivia
    )


@pytest.fixture
def priority(popley, olivia):
    return question_create(
        council=popley.council,
        kind=QuestionKind.SINGLE,
        wording="What matters most here?",
        choices=["Buses", "Housing", "Potholes"],
        by=olivia,
    )


@pytest.fixture
def children(popley, olivia):
    return question_create(
        council=popley.council,
        kind=QuestionKind.NUMBER,
        wording="Children at school?",
        min_value=0,
        max_value=10,
        by=olivia,
    )


def answer(question, value, version=1):
    return {"question": question.pk, "version": version, "value": value}


def test_answers_are_stored_with_their_contact_once_even_when_replayed(
    as_user, vera, veras_list, popley_voters, poster, priority, children
):
    sent = item(popley_voters[0], answers=[answer(poster, True), answer(priority, "Housing"), answer(children, 2)])
    api = as_user(vera)
    assert post(api, [sent]).json()["results"][0]["status"] == "ok"
    assert post(api, [sent]).json()["results"][0]["status"] == "ok"
    contact = ContactRecord.objects.get()
    stored = {(a.question_id, a.choice, a.number) for a in Answer.objects.filter(contact=contact)}
    assert stored == {(poster.pk, "Yes", None), (priority.pk, "Housing", None), (children.pk, "", 2)}


def test_a_multiple_choice_answer_stores_each_choice_ticked(as_user, vera, veras_list, popley_voters, popley, olivia):
    wants = question_create(
        council=popley.council, kind=QuestionKind.MULTIPLE, wording="Which?", choices=["A", "B", "C"], by=olivia
    )
    post(as_user(vera), [item(popley_voters[0], answers=[answer(wants, ["A", "C"])])])
    assert sorted(Answer.objects.values_list("choice", flat=True)) == ["A", "C"]


def _bad_and_good(api, voters, bad_answers, good_answers=()):
    bad = item(voters[0], answers=bad_answers)
    good = item(voters[1], answers=list(good_answers))
    bad_result, good_result = post(api, [bad, good]).json()["results"]
    assert good_result["status"] == "ok"
    assert bad_result["status"] == "error"
    assert list(bad_result["errors"]) == ["answers"]
    assert ContactRecord.objects.get().client_uuid.hex == good["client_uuid"].replace("-", "")
    return bad_result["errors"]["answers"]


def test_a_choice_that_does_not_exist_is_that_items_error(as_user, vera, veras_list, popley_voters, priority):
    (error,) = _bad_and_good(as_user(vera), popley_voters, [answer(priority, "Trams")], [answer(priority, "Buses")])
    assert error.startswith(f'Answer 1 (question {priority.pk}): "Trams" is not one of its choices')
    assert Answer.objects.get().choice == "Buses"


def test_a_number_out_of_range_is_that_items_error(as_user, vera, veras_list, popley_voters, children):
    (error,) = _bad_and_good(as_user(vera), popley_voters, [answer(children, 11)], [answer(children, 10)])
    assert "11 is out of its range (0 to 10)" in error


def test_an_answer_to_an_old_version_is_that_items_error(as_user, vera, veras_list, popley_voters, poster, olivia):
    api = as_user(vera)
    post(api, [item(popley_voters[1], answers=[answer(poster, "Yes")])])
    question_update(question=poster, wording="May we put up a board in your garden?", by=olivia)
    ContactRecord.objects.all().delete()
    (error,) = _bad_and_good(api, popley_voters, [answer(poster, "Yes", version=1)], [answer(poster, "No", version=2)])
    assert "answers version 1, but the question is now version 2" in error
    assert "May we put up a board in your garden?" in error


def test_a_question_limited_to_another_ward_does_not_apply_to_this_voter(
    as_user, vera, veras_list, popley_voters, popley, south_ham, olivia
):
    south_only = question_create(
        council=popley.council, kind=QuestionKind.YES_NO, wording="Ferry?", wards=[south_ham], by=olivia
    )
    (error,) = _bad_and_good(as_user(vera), popley_voters, [answer(south_only, "Yes")])
    assert "is not asked in this voter's ward" in error


def test_a_question_for_a_target_segment_applies_only_to_its_voters(
    as_user, vera, veras_list, popley_voters, popley, olivia
):
    postal = question_create(
        council=popley.council,
        kind=QuestionKind.YES_NO,
        wording="Has your postal pack arrived?",
        segments=[Segment.POSTAL_SUPPORTER],
        by=olivia,
    )
    on_list = popley_voters[1]
    TargetListEntry.objects.create(
        ward=popley, segment=Segment.POSTAL_SUPPORTER, reason=Reason.POSTAL_VOTE, position=1, voter=on_list,
        household=on_list.household, built_at=timezone.now(),
    )  # fmt: skip
    (error,) = _bad_and_good(as_user(vera), popley_voters, [answer(postal, "No")], [answer(postal, "Yes")])
    assert "is asked only of voters on the target list(s): Supporters with a postal vote" in error


def test_a_question_out_of_its_dates_does_not_apply(as_user, vera, veras_list, popley_voters, popley, olivia):
    today = timezone.localdate()
    later = question_create(
        council=popley.council,
        kind=QuestionKind.TEXT,
        wording="Why?",
        starts_on=today + dt.timedelta(days=3),
        by=olivia,
    )
    (error,) = _bad_and_good(as_user(vera), popley_voters, [answer(later, "Because")])
    assert "is asked only from" in error


def test_an_answer_on_a_whole_door_contact_is_refused(as_user, vera, veras_list, popley_voters, poster):
    bad = item(household=popley_voters[0].household, outcome="not_in", answers=[answer(poster, "Yes")])
    (result,) = post(as_user(vera), [bad]).json()["results"]
    assert result["errors"] == {"answers": ["Answers go with a contact with a voter, not a whole door."]}
    assert not ContactRecord.objects.exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("yes", 'Expected a list of answers but got type "str".'),
        ([{"question": 1}], "Answer 1: give question, version and value."),
        ([{"question": "x", "version": 1, "value": "Yes"}], "Answer 1: A valid integer is required."),
    ],
)
def test_a_malformed_answers_field_is_that_items_error(as_user, vera, veras_list, popley_voters, answers, message):
    bad = item(popley_voters[0], answers=answers)
    good = item(popley_voters[1])
    bad_result, good_result = post(as_user(vera), [bad, good]).json()["results"]
    assert bad_result["errors"] == {"answers": [message]}
    assert good_result["status"] == "ok"
