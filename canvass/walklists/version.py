"""A walk list's validator: what its tree is made of, read without building it, and the ids of its voters.

On PostgreSQL the structural part is the list's `version` column, raised by the database's triggers
(migration `0030_rate4_walk_list_version`) whenever a statement changes the list's row, its doors, the
households or voters at them (a register import, an erasure, a "do not contact", an admin edit), a polling
district's code or the ward's target entries (a target rebuild). It comes with the list's row, so an unchanged
list costs one more query: the contacts at its doors, how many and the newest, counted as they are read (a new
contact or a correction raises the newest, an undo lowers the count, a sync committed late with a lower id
raises the count). Contacts raise no version, so a sync never waits on a walk list's row. The voters' ids, for
the audit of an unchanged answer, are kept in the cache under the version that made them.

Elsewhere (SQLite) the rows themselves are read and digested here: each door and its address joined to the
voters at it, with the same contacts count and the ward's target entries (how many, the newest generation).

Read it before the tree: a change landing in between then gives an older validator to a newer body (asked
again, it is rebuilt), never a newer one to an older body. A contact edited in place without a new one (only
the admin, and the retention's blanking of leavers' records, do) shows at the next contact there.
"""

import hashlib
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import CharField, F, FilteredRelation, Func, Q, Subquery

from canvass import sql
from canvass.models import ContactRecord, Voter, WalkList, WalkListHousehold
from canvass.sql import is_postgres
from canvass.walklists.selectors import DOOR_FIELDS, VERSION_VOTER_FIELDS
from wards.models import TargetListEntry

# The voters' ids of one version of a list: a version is never reused, so the entry never goes stale.
VOTER_IDS_CACHE_SECONDS = 24 * 3600


class _CountAndNewest(Func):
    """How many rows and the largest value, in one pass: `COUNT(*) || '-' || MAX(column)`."""

    template = "(COUNT(*) || '-' || COALESCE(MAX(%(expressions)s), 0))"
    output_field = CharField()


class Validator(NamedTuple):
    version: str  # the tag
    voter_ids: list[int]  # in walking order, to audit an unchanged answer too
    contacts: tuple[int, int]  # at the list's doors: how many, the newest's id (`changes.watermark_of`)


def walk_list_version(walk_list: WalkList) -> tuple[str, list[int]]:
    """A validator for the list's tree, and the ids of its voters (to audit an unchanged answer too)."""
    validator = walk_list_validator(walk_list)
    return validator.version, validator.voter_ids


def walk_list_validator(walk_list: WalkList) -> Validator:
    """The list's validator, with what it read of the contacts at its doors: one query (on PostgreSQL)."""
    head = repr((walk_list.pk, walk_list.name, walk_list.ward_id, walk_list.created_at))
    if not is_postgres():
        return _version_from_rows(walk_list, head)
    # The voters' ids of this version from the cache, or read with the contacts: one query either way.
    key = f"walk-list-voters:{walk_list.pk}:{walk_list.created_at.timestamp()}:{walk_list.version}"
    voter_ids = cache.get(key)
    if voter_ids is None:
        contacts, voter_ids = sql.fetch(_CONTACTS_AND_VOTERS_SQL, [walk_list.pk, walk_list.pk])[0]
        cache.set(key, voter_ids, VOTER_IDS_CACHE_SECONDS)
    else:
        contacts = sql.scalar(_CONTACTS_SQL, [walk_list.pk])
    version = hashlib.sha256(f"{head}{walk_list.version}.{contacts}".encode()).hexdigest()[:32]
    return Validator(version, voter_ids, _count_and_newest(contacts))


def contacts_at_doors(walk_list: WalkList) -> tuple[int, int]:
    """How many contacts the list's doors have had and the newest's id, counted as the validator counts them (the
    changes call's watermark): one query, on any database."""
    return _count_and_newest(sql.scalar(_CONTACTS_SQL, [walk_list.pk]))


def _count_and_newest(text: str) -> tuple[int, int]:
    count, newest = text.split("-")
    return int(count), int(newest)


def _statements() -> tuple[str, str]:
    contact, stop, voter = (model._meta.db_table for model in (ContactRecord, WalkListHousehold, Voter))
    contacts = (
        f"SELECT COUNT(*) || '-' || COALESCE(MAX(c.id), 0) FROM {contact} c"
        f" WHERE c.household_id IN (SELECT household_id FROM {stop} WHERE walk_list_id = %s)"
    )
    # The voters on the register at the list's doors, in walking order (as the tree lists them).
    voters = (
        f"SELECT COALESCE(array_agg(v.id ORDER BY s.position, v.elector_number, v.elector_suffix, v.id), '{{}}')"
        f" FROM {stop} s JOIN {voter} v ON v.household_id = s.household_id AND v.on_register"
        " WHERE s.walk_list_id = %s"
    )
    return contacts, f"SELECT ({contacts}), ({voters})"


_CONTACTS_SQL, _CONTACTS_AND_VOTERS_SQL = _statements()


def _version_from_rows(walk_list: WalkList, head: str) -> Validator:
    stops = WalkListHousehold.objects.filter(walk_list=walk_list)
    at_doors = ContactRecord.objects.filter(household_id__in=stops.values("household_id")).order_by()
    in_ward = TargetListEntry.objects.filter(ward_id=walk_list.ward_id).order_by()
    rows = list(
        stops.annotate(
            voter=FilteredRelation("household__voters", condition=Q(household__voters__on_register=True)),
            contacts=Subquery(at_doors.annotate(n=_CountAndNewest(F("id"))).values("n")),
            targets=Subquery(in_ward.annotate(n=_CountAndNewest(F("generation"))).values("n")),
        )
        .order_by("position", "voter__elector_number", "voter__elector_suffix", "voter__id")
        .values_list(
            "household_id",
            "position",
            *(f"household__{n}" for n in DOOR_FIELDS),
            *(f"voter__{n}" for n in VERSION_VOTER_FIELDS),
            "contacts",
            "targets",
        )  # fmt: skip
    )
    first_voter = 2 + len(DOOR_FIELDS)
    return Validator(
        hashlib.sha256(f"{head}{rows!r}".encode()).hexdigest()[:32],
        [row[first_voter] for row in rows if row[first_voter] is not None],
        _count_and_newest(rows[0][-2]) if rows else (0, 0),  # the same contacts on every row
    )
