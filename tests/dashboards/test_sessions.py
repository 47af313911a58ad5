"""Sessions: planned by an organiser, answered by volunteers on their phone, then its figures by volunteer."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from canvass.models import CanvassSession, Outcome, SessionReply
from canvass.sessions.services import session_plan
from tests.factories import (
    ContactRecordFactory,
    HouseholdFactory,
    PollingDistrictFactory,
    VoterFactory,
    WalkListFactory,
)
from tests.login import client_for

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def plan(ward, by, **extra):
    fields = {"date": TOMORROW, "starts_at": dt.time(10), "meeting_point": "The library", **extra}
    return session_plan(ward=ward, created_by=by, **fields)


def test_an_organiser_plans_a_session_with_rounds(db, olivia, popley):
    walk_list = WalkListFactory(ward=popley)
    data = {"date": TOMORROW.isoformat(), "starts_at": "10:00", "ends_at": "12:00", "meeting_point": "The library",
            "rounds": [walk_list.pk]}  # fmt: skip
    response = client_for(olivia).post(reverse("wards:session-new", args=[popley.pk]), data)
    session = CanvassSession.objects.get()
    assert response.url == reverse("wards:session", args=[session.pk])
    assert list(session.rounds.all()) == [walk_list] and session.meeting_point == "The library"


def test_a_session_in_the_past_is_refused(db, olivia, popley):
    data = {"date": "2020-01-01", "starts_at": "10:00", "meeting_point": "The library"}
    response = client_for(olivia).post(reverse("wards:session-new", args=[popley.pk]), data)
    assert "The date has passed" in response.content.decode() and not CanvassSession.objects.exists()


def test_a_session_ending_before_it_starts_is_refused(db, olivia, popley):
    data = {"date": TOMORROW.isoformat(), "starts_at": "10:00", "ends_at": "09:00", "meeting_point": "Here"}
    response = client_for(olivia).post(reverse("wards:session-new", args=[popley.pk]), data)
    assert "ends before it starts" in response.content.decode()


def test_a_volunteer_sees_sessions_in_the_wards_they_canvass_and_answers(db, olivia, popley, south_ham, vera):
    vera.profile.wards.set([popley])
    mine, other = plan(popley, olivia), plan(south_ham, olivia)
    client = client_for(vera)
    assert list(client.get(reverse("doorstep-sessions")).context["sessions"]) == [mine]
    client.post(reverse("doorstep-session-answer", args=[mine.pk]), {"answer": "yes"})
    client.post(reverse("doorstep-session-answer", args=[mine.pk]), {"answer": "maybe"})
    assert SessionReply.objects.get().answer == "maybe"
    assert client.post(reverse("doorstep-session-answer", args=[other.pk]), {"answer": "yes"}).status_code == 404


def test_a_volunteer_sees_a_session_walking_a_round_given_to_them(db, olivia, popley, victor):
    walk_list = WalkListFactory(ward=popley, assigned_to=[victor])
    session = plan(popley, olivia, rounds=[walk_list])
    assert list(client_for(victor).get(reverse("doorstep-sessions")).context["sessions"]) == [session]


def test_past_sessions_are_not_offered(db, olivia, popley, vera):
    vera.profile.wards.set([popley])
    session = plan(popley, olivia)
    CanvassSession.objects.filter(pk=session.pk).update(date=timezone.localdate() - dt.timedelta(days=1))
    assert not client_for(vera).get(reverse("doorstep-sessions")).context["sessions"]


def test_afterwards_the_session_shows_its_figures_by_volunteer(db, olivia, popley, vera, victor):
    district = PollingDistrictFactory(ward=popley)
    doors = [HouseholdFactory(polling_district=district) for _ in range(3)]
    voters = [VoterFactory(household=door) for door in doors]
    walk_list = WalkListFactory(ward=popley, households=doors)
    session = plan(popley, olivia, rounds=[walk_list])
    CanvassSession.objects.filter(pk=session.pk).update(date=timezone.localdate())
    SessionReply.objects.create(session=session, volunteer=victor, answer="yes")
    now = timezone.now()
    for voter, outcome in zip(voters, [Outcome.SPOKE, Outcome.SPOKE, Outcome.NOT_IN], strict=True):
        ContactRecordFactory(voter=voter, volunteer=vera, contacted_at=now, outcome=outcome)
    elsewhere = VoterFactory(household=HouseholdFactory(polling_district=district))
    ContactRecordFactory(voter=elsewhere, volunteer=vera, contacted_at=now)  # not on the session's rounds
    figures = client_for(olivia).get(reverse("wards:session", args=[session.pk])).context["figures"]
    assert [(f.name, f.answer, f.doors, f.contacts, f.spoke) for f in figures] == [
        ("vera", "", 3, 3, 2),
        ("victor", "yes", 0, 0, 0),
    ]


def test_an_organiser_cannot_open_another_wards_session(db, olivia, oscar, south_ham):
    session = plan(south_ham, oscar)
    assert client_for(olivia).get(reverse("wards:session", args=[session.pk])).status_code == 404


def test_the_volunteers_session_page_costs_the_same_queries_for_more_sessions(
    db, olivia, popley, vera, django_assert_num_queries
):
    vera.profile.wards.set([popley])
    client = client_for(vera)
    plan(popley, olivia)
    # Session, user, the sessions with their counts and the volunteer's answer.
    with django_assert_num_queries(3):
        client.get(reverse("doorstep-sessions"))
    for _ in range(4):
        plan(popley, olivia)
    with django_assert_num_queries(3):
        client.get(reverse("doorstep-sessions"))
