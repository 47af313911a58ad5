"""What changed on a walk list since the phone last looked: the doorstep page asks for this after its own sync
instead of downloading the whole list again.

A token is opaque to the phone. It holds two parts:

- the list's *structure*: its doors and their addresses, the voters at them as on the register (all but
  do-not-contact). When it differs, the phone reloads the page;
- a *watermark* of the contacts at the list's doors (how many, and the newest id) and of its voters asking for
  no contact (a short hash of how many and the sum of their ids: no voter's id in a URL or a log).

The reason each voter is on the target list is in neither: a sync's recompute of the ward's target lists moves
reasons (the voter just spoken to, a whole street's "where we do well"), and a reload of the page, or every
door, after each of those would undo what asking for changes saves. Each door sent carries its voters' reasons
as they are now (the door just knocked among them); the others show theirs at the page's next load.

Contacts are append-only, except for an undo (a delete). So the doors whose latest contact changed are those
with a contact newer than the watermark's; when the count says more changed than that (an undo, or a sync
committed late with a lower id), every door is sent, which is still only a few hundred bytes a door. A change
in who asked for no contact sends every door too. Read before the tree, the watermark may lag what the tree
shows, never lead it: the phone may be sent a door twice, never miss one.

`correctable_records` gives, for the voters shown (`spoken_to`), the record the user may "change" at the door
(their own; an organiser's wards'), in the shape the phone sends it, so a correction supersedes it after a
reload too.
"""

import hashlib
from collections import defaultdict

from canvass.models import ContactRecord, Outcome, WalkList, WalkListHousehold
from canvass.models.contacts import FOLLOW_UP_FIELDS
from canvass.surveys.models import Answer, QuestionKind
from canvass.surveys.selectors import new_residents_at
from canvass.templatetags.doorstep import contacts_for_the_page
from canvass.walklists.selectors import VERSION_VOTER_FIELDS, tree_doors, walk_list_progress, walk_list_tree
from canvass.walklists.version import contacts_at_doors

_DNC = VERSION_VOTER_FIELDS.index("do_not_contact")
RECORD_FIELDS = (
    "client_uuid",
    "voter_id",
    "household_id",
    "contacted_at",
    "outcome",
    "local_intention",
    "local_party_id",
    "national_intention",
    "national_party_id",
    "likelihood",
    *FOLLOW_UP_FIELDS,
)


def watermark_of(contacts: tuple[int, int], streets: list[dict]) -> tuple[int, int, str]:
    """The watermark: the contacts counted at the list's doors (`version.contacts_at_doors`, or the page's validator:
    read before the tree, so it may lag the tree, never lead it) and the tree's voters asking for no contact
    (the tree's voters are those on the register at the list's doors). No query."""
    no_contact = [voter["id"] for door in tree_doors(streets) for voter in door["voters"] if voter["do_not_contact"]]
    return *contacts, _no_contact_hash(len(no_contact), sum(no_contact))


def _no_contact_hash(count: int, id_sum: int) -> str:
    return hashlib.sha256(f"{count}-{id_sum}".encode()).hexdigest()[:8]


def structure(walk_list: WalkList, rows: dict) -> str:
    """The structural part of the token, from a tree built with `rows` (either with or without contacts)."""
    voters = [voter[:_DNC] + voter[_DNC + 1 :] for voter in rows["voters"]]
    parts = (walk_list.pk, walk_list.name, walk_list.ward_id, walk_list.created_at, rows["doors"], voters)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def make_token(shape: str, mark: tuple[int, int, str]) -> str:
    return ".".join((shape, *(str(value) for value in mark)))


def _parse(token: str) -> tuple[str, tuple[int, int, str]] | None:
    parts = (token or "").split(".")
    if len(parts) != 4 or not (parts[1].isdecimal() and parts[2].isdecimal()):
        return None
    return parts[0], (int(parts[1]), int(parts[2]), parts[3])


def _changed_households(walk_list: WalkList, since: tuple[int, int, str], now: tuple[int, int, str]) -> set[int] | None:
    """The doors whose contacts changed since `since`; None for every door (an undo, a late commit, a
    do-not-contact change)."""
    count, newest, no_contact = since
    if no_contact != now[2]:
        return None
    newer = ContactRecord.objects.filter(
        household_id__in=WalkListHousehold.objects.filter(walk_list=walk_list).values("household_id"), id__gt=newest
    )
    found = list(newer.order_by().values_list("household_id", flat=True))
    if count + len(found) != now[0]:
        return None
    return set(found)


def _door_answer(door: dict, records: dict, newcomers: dict) -> dict:
    """One door as the page shows it (canvass.templatetags.doorstep._door_item reads the same fields)."""
    visit, last = door["visit"], door["last_contact"]
    state = visit["summary"] if visit else ("" if door["knockable"] else "Do not knock")
    return {
        "id": door["id"],
        "at": last["at"] if last else "",
        "state": state,
        "knocked": door["knocked"],
        "to_do": door["to_do"],
        "knockable": door["knockable"],
        "not_in": bool(visit and visit["outcome"] == Outcome.NOT_IN and not visit["voter_id"]),
        # People met here who are not on the register yet (canvass.surveys.selectors.new_residents_at).
        "newcomers": [newcomer["name"] for newcomer in newcomers.get(door["id"], ())],
        "voters": [
            {
                "id": voter["id"],
                "at": voter["last_contact"]["at"] if voter["last_contact"] else "",
                "summary": voter["last_contact"]["summary"] if voter["last_contact"] else "",
                "do_not_contact": voter["do_not_contact"],
                "why": voter["target_reason_text"],  # why they are on the target list, in words ("" if not)
                "record": records.get(voter["id"]),
            }
            for voter in door["voters"]
        ],
    }


def spoken_to(walk_list: WalkList, doors: list[dict]) -> list[int]:
    """The ids of the last contacts, since the list was cut, in which the voters at these doors (of a tree read
    with contacts) were spoken to: those `correctable_records` may give back. No query: the tree's summaries say
    when and how (a few hundred ids sent that cannot pass cost PostgreSQL more to parse than the lookup)."""
    return sorted(
        last["id"]
        for door in doors
        for voter in door["voters"]
        if (last := voter["last_contact"])
        and last["outcome"] == Outcome.SPOKE
        and last["contacted_at"] >= walk_list.created_at
    )


def correctable_records(user, walk_list: WalkList, contact_ids: list[int]) -> dict[int, dict]:
    """For each voter whose last contact is one of `contact_ids` (`spoken_to`) that `user` may correct (their
    own; an organiser's wards'), that record as the phone sends it (fields left at their default left out), with
    its survey answers: two queries at most. Since the cut, so an organiser's page carries this round's records,
    not the ward's history."""
    if not contact_ids:
        return {}
    found = list(
        ContactRecord.objects.correctable_by(user)
        .filter(id__in=contact_ids, voter__isnull=False, contacted_at__gte=walk_list.created_at)
        .order_by()
        .values("id", *RECORD_FIELDS)
    )
    answers: dict[int, dict] = defaultdict(dict)
    if found:
        rows = Answer.objects.filter(contact_id__in=[row["id"] for row in found]).values_list(
            "contact_id", "question_id", "version_id", "version__question__kind", "choice", "number", "text"
        )
        for contact_id, question, version, kind, choice, number, text in rows.order_by(
            "contact_id", "question_id", "id"
        ):
            value = number if number is not None else (choice or text)
            if kind == QuestionKind.MULTIPLE:
                given = answers[contact_id].setdefault(
                    question, {"question": question, "version": version, "value": []}
                )
                given["value"].append(value)
            else:
                answers[contact_id][question] = {"question": question, "version": version, "value": value}
    records = {}
    for row in found:
        record = {
            "client_uuid": str(row["client_uuid"]),
            "voter": row["voter_id"],
            "household": row["household_id"],
            "contacted_at": row["contacted_at"].isoformat(),
            "outcome": row["outcome"],
        }
        optional = {
            "local_party": row["local_party_id"],
            "national_party": row["national_party_id"],
            "answers": list(answers.get(row["id"], {}).values()),
            **{name: row[name] for name in ("local_intention", "national_intention", "likelihood", *FOLLOW_UP_FIELDS)},
        }
        record.update((name, value) for name, value in optional.items() if value)
        records[row["voter_id"]] = record
    return records


def walk_list_changes(walk_list: WalkList, *, user, since: str) -> dict:
    """The doors (with their voters) whose contacts or do-not-contact changed since the token `since`, the
    list's figures and a new token; or `structure_changed` when the phone must load the list again.

    Unchanged: four queries (the list, its contacts' count, then its doors and voters to check the structure and
    who asks for no contact). Changed: the tree's three, one to find the doors, two for the records the user may
    correct, one for the new residents at the doors sent.
    """
    parsed = _parse(since)
    contacts = contacts_at_doors(walk_list)
    same_contacts = parsed is not None and parsed[1][:2] == contacts
    rows: dict = {}
    streets = walk_list_tree(walk_list, with_contacts=not same_contacts, rows=rows)
    shape = structure(walk_list, rows)
    now = watermark_of(contacts, streets)
    token = make_token(shape, now)
    if parsed is None or parsed[0] != shape:
        return {"token": token, "structure_changed": True, "doors": [], "progress": None}
    if parsed[1] == now:
        return {"token": token, "structure_changed": False, "doors": [], "progress": None}
    if same_contacts:  # only who asks for no contact changed: the doors with their contacts
        streets = walk_list_tree(walk_list)
    households = _changed_households(walk_list, parsed[1], now)
    doors = [door for door in tree_doors(streets) if households is None or door["id"] in households]
    contacts_for_the_page([{"doors": doors}])
    records = correctable_records(user, walk_list, spoken_to(walk_list, doors))
    newcomers = new_residents_at(household_ids=[door["id"] for door in doors])
    return {
        "token": token,
        "structure_changed": False,
        "doors": [_door_answer(door, records, newcomers) for door in doors],
        "progress": walk_list_progress(streets),
    }
