"""The walk list as the door needs it, sent once: `GET /api/v1/walk-lists/{id}/?view=door`.

The full detail repeats, for some 700 voters, every field name and every field the register and the contact
records have (255 KB for 300 doors). This view carries what a volunteer reads at the door and nothing twice:
field names once (`voter_fields`, `contact_fields`), the street once for its doors, the polling district
once per door, and a field only when it says something. On the register only, like the tree it is from.

    {"id", "name", "ward": {"id", "name"}, "created_at", "progress": {...},
     "voter_fields": [...], "contact_fields": [...],
     "streets": [{"name", "postcode", "district" (of its voters' references), "doors": [door, ...]}, ...]}
    door:    {"id", "address", "voters": [voter, ...], in walking order,
              and when they apply: "pos" (its position, if not the one after the door before), "district" and
              "postcode" (if not the street's),
              "no_knock": 1 (everyone here asked for no contact), "knocked": contacts since the list was cut,
              "done": 1 (answered since the cut), "visit": the door's newest contact since the cut (or, when it
              is the last contact of one of the door's voters, that voter's index in "voters"), "last": the
              door's own last contact (with the household, no voter)}; still to do = neither no_knock nor done
    voter:   [id, elector number ("123/1" with a suffix), name, last contact or null, extras] where extras,
             only when any applies, is {"title", "markers", "postal": 1, "dnc": 1, "reason": target reason}
    contact: [at (UTC, to the minute), outcome, local, national, likelihood 1-5], cut after its last recorded
             field ([at, outcome] if not spoken); local and national are a party's code (upper case) where the
             intention is that party, else the intention ("undecided", "wont_say", ...), or null
"""

import datetime as dt

from rest_framework import serializers

from canvass.models import Intention


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


VOTER_FIELDS = ["id", "no", "name", "last", "extras"]
CONTACT_FIELDS = ["at", "outcome", "local", "national", "likelihood"]


def _reading(intention: str, party_code: str | None) -> str | None:
    """A party's code (upper case) for 'party', else the intention itself (lower case), or None."""
    if intention == Intention.PARTY and party_code:
        return party_code
    return intention or None


def _contact(row: dict | None) -> list | None:
    if row is None:
        return None
    shown = [
        _at(row["contacted_at"]),
        row["outcome"],
        _reading(row["local_intention"], row["local_party__code"]),
        _reading(row["national_intention"], row["national_party__code"]),
        row["likelihood"],
    ]
    while shown[-1] in ("", None):
        shown.pop()
    return shown


def _voter(voter: dict) -> list:
    number = voter["reference"].rsplit("-", 1)[-1]
    shown = [
        voter["id"],
        int(number) if number.isdigit() else number,
        voter["full_name"],
        _contact(voter.get("last_contact")),
    ]
    extras: dict = {}
    if voter["title"]:
        extras["title"] = voter["title"]
    if voter["markers"]:
        extras["markers"] = voter["markers"]
    if voter["is_postal_voter"]:
        extras["postal"] = 1
    if voter["do_not_contact"]:
        extras["dnc"] = 1
    if voter["target_reason"]:
        extras["reason"] = voter["target_reason"]
    if extras:
        shown.append(extras)
    return shown


def _district(door: dict) -> str:
    return door["voters"][0]["reference"].rsplit("-", 1)[0] if door["voters"] else ""


def _door(door: dict, street: dict, after: int) -> dict:
    shown: dict = {"id": door["id"], "address": door["address_line"]}
    if door["position"] != after + 1:
        shown["pos"] = door["position"]
    if door["voters"] and _district(door) != street["district"]:
        shown["district"] = _district(door)
    if door["postcode"] != street["postcode"]:
        shown["postcode"] = door["postcode"]
    if not door["knockable"]:
        shown["no_knock"] = 1
    if door["contacts"]:
        shown["knocked"] = door["contacts"]
    if door["answered"]:
        shown["done"] = 1
    if door["visit"]:
        # Sent once: most often the visit is a voter's last contact, named by the voter's place at the door.
        same = [i for i, voter in enumerate(door["voters"]) if voter.get("last_contact") is door["visit"]]
        shown["visit"] = same[0] if same else _contact(door["visit"])
    if door["last_contact"]:
        shown["last"] = _contact(door["last_contact"])
    shown["voters"] = [_voter(voter) for voter in door["voters"]]
    return shown


def door_view(walk_list) -> dict:
    """`walk_list` as `walk_list_detail` leaves it (its streets and progress read)."""
    streets, after = [], 0
    for street in walk_list.streets:
        first = street["doors"][0] if street["doors"] else None
        shown = {"name": street["name"], "postcode": first["postcode"] if first else "", "district": ""}
        shown["district"] = next((_district(door) for door in street["doors"] if door["voters"]), "")
        shown["doors"] = []
        for door in street["doors"]:
            shown["doors"].append(_door(door, shown, after))
            after = door["position"]
        streets.append(shown)
    return {
        "id": walk_list.pk,
        "name": walk_list.name,
        "ward": {"id": walk_list.ward_id, "name": walk_list.ward.name},
        "created_at": _at(walk_list.created_at),
        "progress": walk_list.progress,
        "voter_fields": VOTER_FIELDS,
        "contact_fields": CONTACT_FIELDS,
        "streets": streets,
    }


class WalkListDoorViewSerializer(serializers.Serializer):
    """The schema of `door_view` (written by hand there, for its size): documented, never used to write."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    ward = serializers.DictField(help_text='{"id", "name"}')
    created_at = serializers.CharField(help_text="UTC, to the minute: 2026-05-02T09:30Z")
    progress = serializers.DictField(child=serializers.IntegerField())
    voter_fields = serializers.ListField(child=serializers.CharField())
    contact_fields = serializers.ListField(child=serializers.CharField())
    streets = serializers.ListField(
        child=serializers.DictField(), help_text="Each street with its doors (see docs/api.md, `?view=door`)."
    )
