"""Fast validation of synced contact items.

A phone's batch holds up to 500 items; DRF's serializer machinery costs about a millisecond per item,
which was most of a sync's time. This checks the same rules as ContactItemSerializer (which stays the
documented schema, and a test holds the two to the same verdicts) with plain Python.
"""

import datetime as dt
import uuid

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from canvass.api.serializers.contacts import CLOCK_SKEW
from canvass.models import Channel, Intention, Outcome

REQUIRED = "This field is required."
NOT_NULL = "This field may not be null."
CHANNELS, OUTCOMES = set(Channel.values), set(Outcome.values)
INTENTIONS = {"", *Intention.values}
TRUE, FALSE = {True, "true", "True", "1", "on", "yes"}, {False, "false", "False", "0", "off", "no"}
BOOLEANS = ("wants_postal_vote", "will_take_poster", "wants_to_volunteer", "casework", "do_not_knock")


class _Invalid(Exception):
    pass


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        raise _Invalid(f'"{value}" is not a valid UUID.') from None


def _id(value, low=1, high=None):
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise _Invalid("A valid integer is required.")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _Invalid("A valid integer is required.") from None
    if number < low:
        raise _Invalid(f"Ensure this value is greater than or equal to {low}.")
    if high is not None and number > high:
        raise _Invalid(f"Ensure this value is less than or equal to {high}.")
    return number


def _when(value):
    if value is None:
        raise _Invalid(NOT_NULL)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise _Invalid("Datetime has wrong format. Use ISO 8601, e.g. 2026-05-02T10:30:00Z.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed > timezone.now() + CLOCK_SKEW:
        raise _Invalid("Is in the future: check the phone's clock.")
    return parsed.astimezone(dt.UTC)


def _choice(choices):
    def check(value):
        if value is None:
            raise _Invalid(NOT_NULL)
        if not isinstance(value, str) or value not in choices:
            raise _Invalid(f'"{value}" is not a valid choice.')
        return value

    return check


def _boolean(value):
    if isinstance(value, (bool, int, str)) and value in TRUE:
        return True
    if isinstance(value, (bool, int, str)) and value in FALSE:
        return False
    raise _Invalid("Must be a valid boolean.")


def _issues(value):
    if not isinstance(value, list):
        raise _Invalid(f'Expected a list of items but got type "{type(value).__name__}".')
    if len(value) > 20:
        raise _Invalid("Ensure this field has no more than 20 elements.")
    for issue in value:
        if not isinstance(issue, (str, int, float)) or isinstance(issue, bool) or len(str(issue)) > 60:
            raise _Invalid("Each issue is a short text (at most 60 characters).")
    return [str(issue).strip() for issue in value]


def _notes(value):
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise _Invalid("Not a valid string.")
    if len(str(value)) > 2000:
        raise _Invalid("Ensure this field has no more than 2000 characters.")
    return str(value).strip()


# name -> (checker, default; REQUIRED means the field must be sent)
FIELDS = {
    "client_uuid": (_uuid, REQUIRED),
    "voter": (_id, None),
    "household": (_id, None),
    "contacted_at": (_when, REQUIRED),
    "channel": (_choice(CHANNELS), Channel.DOOR),
    "outcome": (_choice(OUTCOMES), REQUIRED),
    "local_intention": (_choice(INTENTIONS), ""),
    "local_party": (_id, None),
    "national_intention": (_choice(INTENTIONS), ""),
    "national_party": (_id, None),
    "likelihood": (lambda value: _id(value, 1, 5), None),
    "issues": (_issues, None),
    "notes": (_notes, ""),
    **dict.fromkeys(BOOLEANS, (_boolean, False)),
}


def contact_item_validate(raw) -> tuple[dict | None, dict | None]:
    """(validated item, None) or (None, {field: [reason]})."""
    if not isinstance(raw, dict):
        return None, {"non_field_errors": ["Invalid data. Expected a dictionary."]}
    data, errors = {}, {}
    for name, (check, default) in FIELDS.items():
        if name not in raw:
            if default is REQUIRED:
                errors[name] = [REQUIRED]
            else:
                data[name] = [] if name == "issues" else default
            continue
        try:
            data[name] = check(raw[name])
        except _Invalid as exc:
            errors[name] = [str(exc)]
    if errors:
        return None, errors
    errors = _cross_field_errors(data)
    return (None, errors) if errors else (data, None)


def _cross_field_errors(data: dict) -> dict:
    errors = {}
    if not data["voter"] and not data["household"]:
        errors["voter"] = ["Give a voter or a household (or both)."]
    for scope in ("local", "national"):
        intention, party = data[f"{scope}_intention"], data[f"{scope}_party"]
        if intention == Intention.PARTY and not party:
            errors[f"{scope}_party"] = [f"Required when {scope}_intention is 'party'."]
        if intention != Intention.PARTY and party:
            errors[f"{scope}_party"] = [f"Only allowed when {scope}_intention is 'party'."]
    return errors
