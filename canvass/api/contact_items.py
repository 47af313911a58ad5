"""Validation of synced contact items: the one implementation of their rules.

A phone's batch holds up to 500 items; DRF's serializer machinery costs about a millisecond per item,
which was most of a sync's time, so the rules are plain Python. ContactItemSerializer documents the
item for the schema and validates by calling `contact_item_validate`, with the limits defined here.

Anything a phone may send gets an answer for that item alone: impossible dates, dates out of range,
text PostgreSQL cannot store (NUL) or JSON cannot encode (lone surrogates), ids beyond a bigint.
"""

import datetime as dt
import uuid

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from canvass.models import Channel, Intention, Outcome

# A phone's clock may run a little fast; anything further ahead is a typo or a broken clock.
CLOCK_SKEW = dt.timedelta(minutes=10)
# Nothing was canvassed with this app before then: an earlier date is a broken clock or a typo.
EARLIEST_CONTACT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
BIGINT_MAX = 2**63 - 1
LIKELIHOOD = (1, 5)
ISSUES_MAX, ISSUE_LENGTH, NOTES_LENGTH = 20, 60, 2000

REQUIRED = "This field is required."
NOT_NULL = "This field may not be null."
CHANNELS, OUTCOMES = set(Channel.values), set(Outcome.values)
INTENTIONS = {"", *Intention.values}
TRUE, FALSE = {True, "true", "True", "1", "on", "yes"}, {False, "false", "False", "0", "off", "no"}
BOOLEANS = ("wants_postal_vote", "will_take_poster", "wants_to_volunteer", "casework", "do_not_knock")


class _Invalid(Exception):
    pass


def shown(value, limit: int = 40) -> str:
    """A value as an error message may quote it: short, and encodable whatever the phone sent."""
    text = str(value)[:limit].encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace("\x00", "\\x00")


def _text(value, limit: int) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise _Invalid("Not a valid string.")
    text = str(value)
    if len(text) > limit:
        raise _Invalid(f"Ensure this field has no more than {limit} characters.")
    if "\x00" in text:
        raise _Invalid("Contains a NUL character.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _Invalid("Contains a character that is not valid Unicode (a lone surrogate).") from None
    return text.strip()


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        raise _Invalid(f'"{shown(value)}" is not a valid UUID.') from None


def _id(value, low=1, high=BIGINT_MAX):
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
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well formed but impossible: 30 February, hour 25
        raise _Invalid(f'"{shown(value)}" is not a real date and time.') from None
    if parsed is None:
        raise _Invalid("Datetime has wrong format. Use ISO 8601, e.g. 2026-05-02T10:30:00Z.")
    try:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        parsed = parsed.astimezone(dt.UTC)
    except (OverflowError, ValueError):  # year 1 with an offset, or a local time that does not exist
        raise _Invalid(f"Is before {EARLIEST_CONTACT:%Y-%m-%d}: check the phone's clock.") from None
    if parsed < EARLIEST_CONTACT:
        raise _Invalid(f"Is before {EARLIEST_CONTACT:%Y-%m-%d}: check the phone's clock.")
    if parsed > timezone.now() + CLOCK_SKEW:
        raise _Invalid("Is in the future: check the phone's clock.")
    return parsed


def _choice(choices):
    def check(value):
        if value is None:
            raise _Invalid(NOT_NULL)
        if not isinstance(value, str) or value not in choices:
            raise _Invalid(f'"{shown(value)}" is not a valid choice.')
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
    if len(value) > ISSUES_MAX:
        raise _Invalid(f"Ensure this field has no more than {ISSUES_MAX} elements.")
    try:
        return [_text(issue, ISSUE_LENGTH) for issue in value]
    except _Invalid as exc:
        raise _Invalid(f"Each issue is a short text (at most {ISSUE_LENGTH} characters): {exc}") from None


ANSWERS_MAX, ANSWER_TEXT_LENGTH = 30, 200


def _answer_value(value):
    if value is None:
        raise _Invalid("has no value")
    if isinstance(value, list):
        if len(value) > ANSWERS_MAX:
            raise _Invalid(f"ticks more than {ANSWERS_MAX} choices")
        return [_text(choice, ANSWER_TEXT_LENGTH) for choice in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, int) and abs(value) > BIGINT_MAX or value != value:  # too big, or NaN
            raise _Invalid("is not a number that can be stored")
        return value
    return _text(value, ANSWER_TEXT_LENGTH)


def _answers(value):
    """The survey answers: [{question: id, version: n, value: ...}]; checked against the questions later."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Invalid(f'Expected a list of answers but got type "{type(value).__name__}".')
    if len(value) > ANSWERS_MAX:
        raise _Invalid(f"Ensure this field has no more than {ANSWERS_MAX} answers.")
    answers = []
    for number, answer in enumerate(value, start=1):
        if not isinstance(answer, dict) or not {"question", "version", "value"} <= answer.keys():
            raise _Invalid(f"Answer {number}: give question, version and value.")
        try:
            answers.append(
                {
                    "question": _id(answer["question"]),
                    "version": _id(answer["version"], high=32767),
                    "value": _answer_value(answer["value"]),
                }
            )
        except _Invalid as exc:
            raise _Invalid(f"Answer {number}: {exc}") from None
        if answers[-1]["question"] is None or answers[-1]["version"] is None:
            raise _Invalid(f"Answer {number}: give question, version and value.")
    return answers


RESIDENT_NAME_LENGTH, RESIDENT_NOTE_LENGTH = 120, 500


def _new_resident(value):
    """Someone at the door who is not on the register yet: {name, note}."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Invalid('Expected {"name": ..., "note": ...}.')
    name = _text(value.get("name", ""), RESIDENT_NAME_LENGTH)
    if not name:
        raise _Invalid("Give the new resident's name.")
    return {"name": name, "note": _text(value.get("note", ""), RESIDENT_NOTE_LENGTH)}


def _optional_uuid(value):
    return None if value is None else _uuid(value)


def _notes(value):
    return _text(value, NOTES_LENGTH)


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
    "likelihood": (lambda value: _id(value, *LIKELIHOOD), None),
    "issues": (_issues, None),
    "notes": (_notes, ""),
    "answers": (_answers, None),
    "supersedes": (_optional_uuid, None),
    "new_resident": (_new_resident, None),
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
                data[name] = [] if name in ("issues", "answers") else default
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
    if data["new_resident"] and (data["voter"] or not data["household"]):
        errors["new_resident"] = ["A new resident is met at a door: give the household and no voter."]
    if data["supersedes"] and data["supersedes"] == data["client_uuid"]:
        errors["supersedes"] = ["A record cannot correct itself."]
    if not data["voter"] and not data["household"]:
        errors["voter"] = ["Give a voter or a household (or both)."]
    for scope in ("local", "national"):
        intention, party = data[f"{scope}_intention"], data[f"{scope}_party"]
        if intention == Intention.PARTY and not party:
            errors[f"{scope}_party"] = [f"Required when {scope}_intention is 'party'."]
        if intention != Intention.PARTY and party:
            errors[f"{scope}_party"] = [f"Only allowed when {scope}_intention is 'party'."]
    return errors
