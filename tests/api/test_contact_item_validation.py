"""The sync item validator: one verdict per field, and the documented serializer is the same validator."""

import datetime as dt

import pytest
from django.utils import timezone

from canvass.api.contact_items import contact_item_validate
from canvass.api.serializers.contacts import ContactItemSerializer

GOOD = {
    "client_uuid": "0b7c6f0e-5d2a-4a59-9a52-2f1f0f7f6c11",
    "voter": 12,
    "contacted_at": "2026-05-02T10:30:00Z",
    "outcome": "spoke",
}

# case -> (changes to a good item, the fields it must be refused on; empty means valid)
CASES = {
    "minimal": ({}, set()),
    "full": (
        {
            "household": 3,
            "channel": "phone",
            "local_intention": "party",
            "local_party": 1,
            "national_intention": "wont_say",
            "likelihood": 5,
            "issues": ["potholes", "buses"],
            "wants_postal_vote": True,
            "do_not_knock": False,
            "notes": "Dog at the gate",
        },
        set(),
    ),
    "bad uuid": ({"client_uuid": "not-a-uuid"}, {"client_uuid"}),
    "no uuid": ({"client_uuid": None}, {"client_uuid"}),
    "bad outcome": ({"outcome": "shouted"}, {"outcome"}),
    "bad channel": ({"channel": "pigeon"}, {"channel"}),
    "likelihood too high": ({"likelihood": 6}, {"likelihood"}),
    "likelihood zero": ({"likelihood": 0}, {"likelihood"}),
    "voter not a number": ({"voter": "abc"}, {"voter"}),
    "negative voter": ({"voter": -1}, {"voter"}),
    "voter beyond a bigint": ({"voter": 2**63}, {"voter"}),
    "neither voter nor household": ({"voter": None}, {"voter"}),
    "party without intention": ({"national_party": 2}, {"national_party"}),
    "party intention without party": ({"national_intention": "party"}, {"national_party"}),
    "bad date": ({"contacted_at": "yesterday"}, {"contacted_at"}),
    "future date": ({"contacted_at": (timezone.now() + dt.timedelta(days=2)).isoformat()}, {"contacted_at"}),
    "30 February": ({"contacted_at": "2026-02-30T10:00:00Z"}, {"contacted_at"}),
    "hour 25": ({"contacted_at": "2026-05-02T25:00:00Z"}, {"contacted_at"}),
    "year 1 with an offset": ({"contacted_at": "0001-01-01T00:00:00+05:00"}, {"contacted_at"}),
    "year 1": ({"contacted_at": "0001-01-01T00:00:00Z"}, {"contacted_at"}),
    "before the app existed": ({"contacted_at": "1999-12-31T23:59:59Z"}, {"contacted_at"}),
    "issues not a list": ({"issues": "potholes"}, {"issues"}),
    "too many issues": ({"issues": ["x"] * 21}, {"issues"}),
    "long issue": ({"issues": ["x" * 61]}, {"issues"}),
    "nested issue": ({"issues": [[["deep"]]]}, {"issues"}),
    "long notes": ({"notes": "x" * 2001}, {"notes"}),
    "NUL in notes": ({"notes": "dog\x00gate"}, {"notes"}),
    "lone surrogate in notes": ({"notes": "dog \ud800 gate"}, {"notes"}),
    "NUL in an issue": ({"issues": ["bins\x00"]}, {"issues"}),
    "notes an object": ({"notes": {"a": {"b": {}}}}, {"notes"}),
    "bad boolean": ({"casework": "perhaps"}, {"casework"}),
    "null outcome": ({"outcome": None}, {"outcome"}),
}


def item(case):
    changes, _ = CASES[case]
    raw = {**GOOD, **changes}
    return {key: value for key, value in raw.items() if not (key == "client_uuid" and value is None)}


@pytest.mark.parametrize("case", CASES)
def test_the_validator_refuses_exactly_the_bad_fields(case):
    data, errors = contact_item_validate(item(case))
    expected = CASES[case][1]
    assert set(errors or {}) == expected
    assert (data is None) == bool(expected)


@pytest.mark.parametrize("case", ["minimal", "full", "30 February", "NUL in notes", "party without intention"])
def test_the_documented_serializer_gives_the_validators_verdict(case):
    serializer = ContactItemSerializer(data=item(case))
    data, errors = contact_item_validate(item(case))
    assert serializer.is_valid() == (errors is None)
    assert serializer.errors == (errors or {})
    if data is not None:
        assert dict(serializer.validated_data) == data


def test_an_error_message_quotes_a_bad_value_in_encodable_text():
    _, errors = contact_item_validate({**GOOD, "outcome": "\ud800\x00"})
    message = errors["outcome"][0]
    message.encode("utf-8")
    assert "\x00" not in message


def test_a_list_item_that_is_not_an_object_is_an_error():
    assert contact_item_validate(["spoke"]) == (None, {"non_field_errors": ["Invalid data. Expected a dictionary."]})
