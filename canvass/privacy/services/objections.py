"""Objections: 'never contact me', recorded with who and when, honoured through `Voter.do_not_contact`."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from canvass.models import Voter
from canvass.models.people import Role
from canvass.privacy.models import CarriedObjection, Objection
from canvass.scoping import role_of


class TooManyMarks(Exception):
    """A volunteer marked more voters 'do not contact' in the last hour than the campaign allows."""


class CannotWithdraw(Exception):
    pass


def marks_in_last_hour(*, user) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return Objection.objects.filter(
        recorded_by_id=user.pk, source=Objection.Source.DOORSTEP, recorded_at__gte=since
    ).count()


def objections_record(*, voter_ids, by, source: str = Objection.Source.DOORSTEP, strict: bool = False) -> int:
    """Record an objection for each voter (none twice) and set their do-not-contact flag.

    A volunteer's marks past `PRIVACY_DNC_PER_HOUR` are flagged for an organiser; with `strict` (the one-voter
    API action) they are refused instead. Marks from the doorstep sync are never dropped: the voter asked.
    """
    voter_ids = set(voter_ids)
    if not voter_ids:
        return 0
    now = timezone.now()
    is_volunteer = by is not None and role_of(by) == Role.VOLUNTEER
    with transaction.atomic():
        already = set(Objection.objects.active().filter(voter_id__in=voter_ids).values_list("voter_id", flat=True))
        new = sorted(voter_ids - already)
        over = False
        if is_volunteer and source == Objection.Source.DOORSTEP:
            over = marks_in_last_hour(user=by) + len(new) > settings.PRIVACY_DNC_PER_HOUR
            if over and strict:
                raise TooManyMarks(
                    f"more than {settings.PRIVACY_DNC_PER_HOUR} voters marked 'do not contact' in an hour; "
                    "ask an organiser"
                )
        Objection.objects.bulk_create(
            Objection(voter_id=pk, source=source, recorded_by=by, recorded_at=now, flagged=over) for pk in new
        )
        Voter.objects.filter(pk__in=voter_ids, do_not_contact=False).update(
            do_not_contact=True, do_not_contact_since=now
        )
    return len(new)


def objection_withdraw(*, objection: Objection, by) -> Objection:
    """An organiser (or admin) reverses a volunteer's mark; a voter's own request stands for good."""
    if role_of(by) not in (Role.ORGANISER, Role.ADMIN):
        raise CannotWithdraw("only an organiser or admin may reverse a do-not-contact mark")
    if objection.source != Objection.Source.DOORSTEP:
        raise CannotWithdraw("the voter asked not to be contacted; that objection is kept for good")
    if objection.withdrawn_at:
        return objection
    with transaction.atomic():
        objection.withdrawn_at = timezone.now()
        objection.withdrawn_by = by
        objection.save(update_fields=["withdrawn_at", "withdrawn_by"])
        if not Objection.objects.active().filter(voter_id=objection.voter_id).exists():
            Voter.objects.filter(pk=objection.voter_id, erasure__isnull=True).update(
                do_not_contact=False, do_not_contact_since=None
            )
    return objection


def voter_marks_withdraw(*, voter: Voter, by) -> int:
    """An organiser (or admin) reverses every volunteer's mark on one voter; how many were reversed. Refused
    when the voter's own request stands: that is kept for good."""
    active = list(Objection.objects.active().filter(voter=voter))
    if any(objection.source != Objection.Source.DOORSTEP for objection in active):
        raise CannotWithdraw("the voter asked not to be contacted; that objection is kept for good")
    with transaction.atomic():
        for objection in active:
            objection_withdraw(objection=objection, by=by)
    return len(active)


def carried_objections_restore(*, new_voters: list[tuple[int, str]]) -> int:
    """New register rows (voter id, register key) that are erased people who had objected: their objection
    (who, when, how) comes back on the new row, which is do not contact; the carried row is deleted. Namesakes
    at one address share a key: each is marked, rather than contacting the one who objected."""
    carried = {row.key: row for row in CarriedObjection.objects.filter(key__in={key for _, key in new_voters})}
    found = [(pk, carried[key]) for pk, key in new_voters if key in carried]
    if not found:
        return 0
    Objection.objects.bulk_create(
        Objection(voter_id=pk, source=row.source, recorded_by_id=row.recorded_by_id, recorded_at=row.recorded_at)
        for pk, row in found
    )
    voter_ids = [pk for pk, _ in found]
    Voter.objects.filter(pk__in=voter_ids).update(do_not_contact=True, do_not_contact_since=timezone.now())
    CarriedObjection.objects.filter(pk__in={row.pk for _, row in found}).delete()
    return len(found)
