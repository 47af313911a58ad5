"""Reading sessions: the upcoming ones a volunteer may join, a ward's, and a session's figures by volunteer."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from canvass.models import CanvassSession, ContactRecord, Outcome, Profile, SessionReply
from canvass.models.people import name_shown
from canvass.scoping import assigned_walk_list_ids


def _with_replies(queryset, user=None):
    coming = SessionReply.objects.filter(session=OuterRef("pk"), answer=SessionReply.Answer.YES).order_by()
    annotated = queryset.select_related("ward").annotate(
        coming_count=Subquery(coming.values("session").annotate(n=Count("id")).values("n")),
        rounds_count=Count("rounds", distinct=True),
    )
    if user is not None:
        mine = SessionReply.objects.filter(session=OuterRef("pk"), volunteer_id=user.pk)
        annotated = annotated.annotate(my_answer=Subquery(mine.values("answer")[:1]))
    return annotated


def sessions_upcoming_for(user):
    """Sessions from today on in the wards the volunteer canvasses, or walking a round given to them."""
    wards = Profile.wards.through.objects.filter(profile__user_id=user.pk).values("ward_id")
    theirs = CanvassSession.objects.filter(
        Q(ward_id__in=wards) | Exists(CanvassSession.rounds.through.objects.filter(
            canvasssession_id=OuterRef("pk"), walklist_id__in=assigned_walk_list_ids(user)
        ))
    )  # fmt: skip
    return _with_replies(theirs.filter(date__gte=timezone.localdate()), user).order_by("date", "starts_at", "id")


def sessions_of_ward(ward, *, upcoming_only: bool = False):
    sessions = CanvassSession.objects.filter(ward=ward)
    if upcoming_only:
        sessions = sessions.filter(date__gte=timezone.localdate())
    return _with_replies(sessions).order_by("date", "starts_at", "id")


@dataclass(frozen=True)
class VolunteerFigures:
    name: str
    answer: str
    doors: int
    contacts: int
    spoke: int


def _day(date: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(date, dt.time.min))
    return start, start + dt.timedelta(days=1)


def session_figures(session: CanvassSession) -> list[VolunteerFigures]:
    """Per volunteer who replied or canvassed: doors knocked, contacts and conversations on the session's day, at
    its rounds' doors (the whole ward when it has no rounds). Three queries."""
    start, end = _day(session.date)
    contacts = ContactRecord.objects.filter(ward_id=session.ward_id, contacted_at__gte=start, contacted_at__lt=end)
    round_ids = session.rounds.values("id")
    if session.rounds.exists():
        contacts = contacts.filter(household__walk_list_stops__walk_list_id__in=round_ids)
    rows = (
        contacts.filter(volunteer__isnull=False)
        .order_by()
        .values("volunteer_id", "volunteer__first_name", "volunteer__last_name", "volunteer__username")
        .annotate(
            doors=Count("household_id", distinct=True),
            contacts=Count("id", distinct=True),
            spoke=Count("id", distinct=True, filter=Q(outcome=Outcome.SPOKE)),
        )
    )
    replies = {
        reply["volunteer_id"]: reply
        for reply in session.replies.values(
            "volunteer_id", "answer", "volunteer__first_name", "volunteer__last_name", "volunteer__username"
        )
    }
    figures: dict[int, VolunteerFigures] = {}
    for row in rows:
        reply = replies.get(row["volunteer_id"])
        answer = reply["answer"] if reply else ""
        figures[row["volunteer_id"]] = VolunteerFigures(_name(row), answer, row["doors"], row["contacts"], row["spoke"])
    for volunteer_id, reply in replies.items():
        figures.setdefault(volunteer_id, VolunteerFigures(_name(reply), reply["answer"], 0, 0, 0))
    return sorted(figures.values(), key=lambda f: (-f.contacts, f.name))


def _name(row) -> str:
    return name_shown(
        first_name=row["volunteer__first_name"], last_name=row["volunteer__last_name"],
        username=row["volunteer__username"],
    )  # fmt: skip
