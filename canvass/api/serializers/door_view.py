"""The walk list as the door needs it, sent once: `GET /api/v1/walk-lists/{id}/?view=door`.

The full detail repeats, for some 700 voters, every field name and every field the register and the contact
records have (255 KB for 300 doors). This view carries what a volunteer reads at the door and nothing twice:
field names once (`voter_fields`, `contact_fields`), every repeated word once (`values`: outcomes, readings,
target reasons, titles, markers, each named by its index there), times as minutes from the list's cut, the
street once for its doors, the polling district once per street, and a field only when it says something.
On the register only, like the tree it is from.

    {"id", "name", "ward": {"id", "name"}, "created_at", "progress": {...},
     "voter_fields": [...], "contact_fields": [...], "values": [word, ...],
     "streets": [{"name", "postcode", "district" (of its voters' references), "doors": [door, ...]}, ...]}
    door:    {"id", "a": its address, "v": [voter, ...] in walking order,
              and when they apply: "pos" (its position, if not the one after the door before), "district" and
              "postcode" (if not the street's),
              "no_knock": 1 (everyone here asked for no contact), "knocked": contacts since the list was cut,
              "done": 1 (answered since the cut), "visit": the door's newest contact since the cut (or, when it
              is the last contact of one of the door's voters, that voter's index in "v"), "last": the
              door's own last contact (with the household, no voter)}; still to do = neither no_knock nor done
    voter:   [id, elector number ("123/1" with a suffix), name, last contact or null, extras] where extras,
             only when any applies, is {"t": title, "m": markers, "p": 1 (postal vote), "dnc": 1,
             "r": target reason} (title, markers and reason as indexes into "values")
    contact: [at, outcome, local, national, likelihood 1-5]: at in whole minutes after the list's
             `created_at` (negative before it), outcome, local and national as indexes into "values"; local
             and national read a party's code (upper case) where the intention is that party, else the
             intention ("undecided", "wont_say", ...), or are null; cut after its last recorded field
             ([at, outcome] if not spoken)
"""

import datetime as dt

from rest_framework import serializers

from canvass.models import Intention


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


VOTER_FIELDS = ["id", "no", "name", "last", "extras"]
CONTACT_FIELDS = ["at", "outcome", "local", "national", "likelihood"]


class _Values(dict):
    """Each repeated word once: its index, in order of first use (`list(values)` is the answer's `values`)."""

    def __missing__(self, word: str) -> int:
        self[word] = len(self)
        return self[word]


def _reading(intention: str, party_code: str | None, values: _Values) -> int | None:
    """A party's code (upper case) for 'party', else the intention itself (lower case), or None: by index."""
    if intention == Intention.PARTY and party_code:
        return values[party_code]
    return values[intention] if intention else None


class _Contacts:
    """Contacts as the door view writes them, each written once (a door's visit is often a voter's last)."""

    def __init__(self, cut: dt.datetime, values: _Values):
        self.cut, self.values, self.shown = cut, values, {}

    def __call__(self, row: dict | None) -> list | None:
        if row is None:
            return None
        key = id(row)
        if key not in self.shown:
            values = self.values
            shown = [
                int((row["contacted_at"] - self.cut).total_seconds() // 60),
                values[row["outcome"]],
                _reading(row["local_intention"], row["local_party__code"], values),
                _reading(row["national_intention"], row["national_party__code"], values),
                row["likelihood"],
            ]
            while shown[-1] is None:
                shown.pop()
            self.shown[key] = shown
        return self.shown[key]


def _voter(voter: dict, contact: _Contacts, values: _Values) -> list:
    number = voter["reference"].rsplit("-", 1)[-1]
    shown = [
        voter["id"],
        int(number) if number.isdigit() else number,
        voter["full_name"],
        contact(voter.get("last_contact")),
    ]
    extras: dict = {}
    if voter["title"]:
        extras["t"] = values[voter["title"]]
    if voter["markers"]:
        extras["m"] = values[voter["markers"]]
    if voter["is_postal_voter"]:
        extras["p"] = 1
    if voter["do_not_contact"]:
        extras["dnc"] = 1
    if voter["target_reason"]:
        extras["r"] = values[voter["target_reason"]]
    if extras:
        shown.append(extras)
    return shown


def _district(door: dict) -> str:
    return door["voters"][0]["reference"].rsplit("-", 1)[0] if door["voters"] else ""


def _door(door: dict, street: dict, after: int, contact: _Contacts, values: _Values) -> dict:
    shown: dict = {"id": door["id"], "a": door["address_line"]}
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
        shown["visit"] = same[0] if same else contact(door["visit"])
    if door["last_contact"]:
        shown["last"] = contact(door["last_contact"])
    shown["v"] = [_voter(voter, contact, values) for voter in door["voters"]]
    return shown


def door_view(walk_list) -> dict:
    """`walk_list` as `walk_list_detail` leaves it (its streets and progress read)."""
    values = _Values()
    # Whole minutes from the cut as it is written (to the minute), so `created_at` + at is the contact's minute.
    cut = walk_list.created_at.replace(second=0, microsecond=0)
    contact = _Contacts(cut, values)
    streets, after = [], 0
    for street in walk_list.streets:
        first = street["doors"][0] if street["doors"] else None
        shown = {"name": street["name"], "postcode": first["postcode"] if first else "", "district": ""}
        shown["district"] = next((_district(door) for door in street["doors"] if door["voters"]), "")
        shown["doors"] = []
        for door in street["doors"]:
            shown["doors"].append(_door(door, shown, after, contact, values))
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
        "values": list(values),
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
    values = serializers.ListField(
        child=serializers.CharField(), help_text="Each repeated word once; the doors name them by index."
    )
    streets = serializers.ListField(
        child=serializers.DictField(), help_text="Each street with its doors (see docs/api.md, `?view=door`)."
    )
