import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from canvass.models import CanvassSession, SessionReply, WalkList


class SessionError(ValueError):
    """The session cannot be planned as asked; the message says why."""


@transaction.atomic
def session_plan(
    *,
    ward,
    created_by,
    date: dt.date,
    starts_at: dt.time,
    meeting_point: str,
    ends_at: dt.time | None = None,
    notes: str = "",
    rounds: Iterable[WalkList] = (),
) -> CanvassSession:
    rounds = list(rounds)
    if any(walk_list.ward_id != ward.pk for walk_list in rounds):
        raise SessionError("A session's rounds are in its ward: choose rounds of this ward only.")
    if ends_at is not None and ends_at <= starts_at:
        raise SessionError("The session ends before it starts: check the times.")
    session = CanvassSession.objects.create(
        ward=ward, created_by=created_by, date=date, starts_at=starts_at, ends_at=ends_at,
        meeting_point=meeting_point, notes=notes,
    )  # fmt: skip
    session.rounds.set(rounds)
    return session


def session_reply(*, session: CanvassSession, volunteer, answer: str) -> SessionReply:
    """A volunteer's answer (coming, maybe, not coming); a later answer replaces the earlier one."""
    if answer not in SessionReply.Answer.values:
        raise SessionError(f"“{answer[:20]}” is not an answer: coming, maybe or not coming.")
    reply, _ = SessionReply.objects.update_or_create(session=session, volunteer=volunteer, defaults={"answer": answer})
    return reply
