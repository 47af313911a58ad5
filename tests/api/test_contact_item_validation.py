"""The fast sync validator and the documented serializer give the same verdict, field by field."""

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

CASES = {
    "minimal": {},
    "full": {
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
    "bad uuid": {"client_uuid": "not-a-uuid"},
    "no uuid": {"client_uuid": None},
    "bad outcome": {"outcome": "shouted"},
    "bad channel": {"channel": "pigeon"},
    "likelihood too high": {"likelihood": 6},
    "likelihood zero": {"likelihood": 0},
    "voter not a number": {"voter": "abc"},
    "negative voter": {"voter": -1},
    "neither voter nor household": {"voter": None},
    "party without intention": {"national_party": 2},
    "party intention without party": {"national_intention": "party"},
    "bad date": {"contacted_at": "yesterday"},
    "future date": {"contacted_at": (timezone.now() + dt.timedelta(days=2)).isoformat()},
    "issues not a list": {"issues": "potholes"},
    "too many issues": {"issues": ["x"] * 21},
    "long issue": {"issues": ["x" * 61]},
    "long notes": {"notes": "x" * 2001},
    "bad boolean": {"casework": "perhaps"},
    "null outcome": {"outcome": None},
}


@pytest.mark.parametrize("case", CASES)
def test_fast_validator_agrees_with_the_serializer(case):
    raw = {**GOOD, **CASES[case]}
    raw = {key: value for key, value in raw.items() if not (key == "client_uuid" and value is None)}
    serializer = ContactItemSerializer(data=raw)
    serializer_ok = serializer.is_valid()
    data, errors = contact_item_validate(raw)
    assert (data is not None) == serializer_ok
    if not serializer_ok:
        assert set(errors) == set(serializer.errors)
    else:
        assert {key: data[key] for key in serializer.validated_data} == dict(serializer.validated_data)


def test_a_list_item_that_is_not_an_object_is_an_error():
    assert contact_item_validate(["spoke"]) == (None, {"non_field_errors": ["Invalid data. Expected a dictionary."]})
