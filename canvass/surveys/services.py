"""Writes for survey questions and scripts, and the answers that arrive with a contact's sync.

Editing a question's wording, choices or range once it has answers makes a new version; before that the
current version is corrected in place. Answers are checked per contact item against the question's current
version and its limits (wards, dates, target segments): a bad answer is that item's error alone.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from canvass.surveys.models import YES_NO_CHOICES, Answer, Question, QuestionKind, QuestionVersion, Script
from wards.models import Segment, TargetListEntry


class QuestionError(Exception):
    pass


def _version_fields(*, kind: str, wording: str, choices: list[str], min_value, max_value) -> dict:
    wording = wording.strip()
    if not wording:
        raise QuestionError("Give the question's wording.")
    if kind == QuestionKind.YES_NO:
        choices = list(YES_NO_CHOICES)
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = list(dict.fromkeys(choice.strip() for choice in choices if choice.strip()))
        if len(choices) < 2:
            raise QuestionError("A choice question needs at least two choices.")
    else:
        choices = []
    if kind != QuestionKind.NUMBER:
        min_value = max_value = None
    elif min_value is not None and max_value is not None and min_value > max_value:
        raise QuestionError(f"The lowest number ({min_value}) is above the highest ({max_value}).")
    return {"wording": wording, "choices": choices, "min_value": min_value, "max_value": max_value}


def _check_segments(segments: Iterable[str]) -> list[str]:
    segments = list(segments)
    unknown = [segment for segment in segments if segment not in Segment.values]
    if unknown:
        raise QuestionError(f"No such target segment: {', '.join(unknown)}.")
    return segments


@transaction.atomic
def question_create(
    *,
    council,
    kind: str,
    wording: str,
    by,
    choices: Iterable[str] = (),
    min_value: int | None = None,
    max_value: int | None = None,
    order: int = 0,
    wards: Iterable = (),
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    segments: Iterable[str] = (),
) -> Question:
    if kind not in QuestionKind.values:
        raise QuestionError(f"No such kind of question: {kind}.")
    if starts_on and ends_on and starts_on > ends_on:
        raise QuestionError("The question ends before it starts.")
    fields = _version_fields(
        kind=kind, wording=wording, choices=list(choices), min_value=min_value, max_value=max_value
    )
    question = Question.objects.create(
        council=council,
        kind=kind,
        order=order,
        starts_on=starts_on,
        ends_on=ends_on,
        segments=_check_segments(segments),
        created_by=by,
    )
    question.wards.set(wards)
    QuestionVersion.objects.create(question=question, number=1, created_by=by, **fields)
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    wording: str,
    by,
    choices: Iterable[str] = (),
    min_value: int | None = None,
    max_value: int | None = None,
    order: int | None = None,
    wards: Iterable | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    segments: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> QuestionVersion:
    """Change a question; returns its current version, new if what is asked changed after answers came in."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if starts_on and ends_on and starts_on > ends_on:
        raise QuestionError("The question ends before it starts.")
    fields = _version_fields(
        kind=question.kind, wording=wording, choices=list(choices), min_value=min_value, max_value=max_value
    )
    current = question.versions.order_by("-number").first()
    assert current is not None
    changed = any(getattr(current, name) != value for name, value in fields.items())
    if changed and current.answers.exists():
        current = QuestionVersion.objects.create(question=question, number=current.number + 1, created_by=by, **fields)
    elif changed:
        for name, value in fields.items():
            setattr(current, name, value)
        current.save(update_fields=list(fields))
    question.starts_on, question.ends_on = starts_on, ends_on
    if order is not None:
        question.order = order
    if segments is not None:
        question.segments = _check_segments(segments)
    if is_active is not None:
        question.is_active = is_active
    question.save()
    if wards is not None:
        question.wards.set(wards)
    return current


def script_set(*, text: str, by, council=None, walk_list=None) -> Script | None:
    """Set (or, with blank text, remove) the campaign's script or one walk list's."""
    if (council is None) == (walk_list is None):
        raise ValueError("A script is for the campaign (council) or for one walk list.")
    match = {"council": council} if council is not None else {"walk_list": walk_list}
    text = text.strip()
    if not text:
        Script.objects.filter(**match).delete()
        return None
    script, _ = Script.objects.update_or_create(**match, defaults={"text": text, "updated_by": by})
    return script


# --- Answers arriving with a contact's sync --------------------------------------------------------------


@dataclass
class QuestionBook:
    """The questions a batch refers to, with their current versions, ward limits and voters' segments."""

    questions: dict = field(default_factory=dict)  # id -> Question
    current: dict = field(default_factory=dict)  # question id -> its current QuestionVersion
    ward_limits: dict = field(default_factory=dict)  # id -> set of ward ids (empty: every ward)
    segments: dict = field(default_factory=dict)  # voter id -> set of segments
    ward_councils: dict = field(default_factory=dict)  # ward id -> council id


def question_book(*, items: list[dict], ward_ids: set[int]) -> QuestionBook:
    """Load in a few queries what checking the batch's answers needs: nothing when no item has answers."""
    from wards.models import Ward

    book = QuestionBook()
    ids = {answer["question"] for item in items for answer in item.get("answers") or ()}
    if not ids:
        return book
    book.ward_councils = dict(Ward.objects.filter(pk__in=ward_ids).values_list("pk", "council_id"))
    questions = Question.objects.filter(pk__in=ids).prefetch_related("wards")
    for question in questions:
        book.questions[question.pk] = question
        book.ward_limits[question.pk] = {ward.pk for ward in question.wards.all()}
    for version in QuestionVersion.objects.filter(question_id__in=book.questions).order_by("question_id", "number"):
        book.current[version.question_id] = version  # the last one wins: the highest number
    if any(question.segments for question in book.questions.values()):
        voters = {item["voter"] for item in items if item.get("answers") and item.get("voter")}
        for voter_id, segment in TargetListEntry.objects.filter(voter_id__in=voters).values_list("voter_id", "segment"):
            book.segments.setdefault(voter_id, set()).add(segment)
    return book


def question_applies(question: Question, *, ward_id: int, ward_limits: set[int], on: dt.date, segments: set) -> str:
    """'' when the question is asked of this voter, else why not (in words)."""
    if not question.is_active:
        return "is no longer asked"
    if ward_limits and ward_id not in ward_limits:
        return "is not asked in this voter's ward"
    if question.starts_on and on < question.starts_on:
        return f"is asked only from {question.starts_on:%d %b %Y}"
    if question.ends_on and on > question.ends_on:
        return f"was asked only until {question.ends_on:%d %b %Y}"
    if question.segments and not segments & set(question.segments):
        names = ", ".join(Segment(segment).label for segment in question.segments)
        return f"is asked only of voters on the target list(s): {names}"
    return ""


def _answer_rows(question: Question, version: QuestionVersion, value) -> tuple[list[dict], str]:
    """The rows one answer stores, or an error about its value."""
    kind = question.kind
    if kind in (QuestionKind.YES_NO, QuestionKind.SINGLE):
        if kind == QuestionKind.YES_NO and isinstance(value, bool):
            value = "Yes" if value else "No"
        if not isinstance(value, str) or value not in version.choices:
            return [], f'"{str(value)[:40]}" is not one of its choices ({", ".join(version.choices)})'
        return [{"choice": value}], ""
    if kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, list) else [value]
        wrong = [str(choice)[:40] for choice in values if not isinstance(choice, str) or choice not in version.choices]
        if wrong or not values:
            shown = ", ".join(f'"{choice}"' for choice in wrong) or "nothing"
            return [], f"{shown} is not among its choices ({', '.join(version.choices)})"
        return [{"choice": choice} for choice in dict.fromkeys(values)], ""
    if kind == QuestionKind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
            return [], f'"{str(value)[:40]}" is not a whole number'
        number = int(value)
        low, high = version.min_value, version.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"{'' if low is None else low} to {'' if high is None else high}".strip()
            return [], f"{number} is out of its range ({bounds})"
        return [{"number": number}], ""
    if not isinstance(value, str) or not value.strip():
        return [], "needs a short text"
    return [{"text": value.strip()}], ""


def answer_errors(item: dict, *, ward_id: int, book: QuestionBook) -> tuple[list[dict], list[str]]:
    """Check one item's answers: (rows to store, []) or ([], the errors, each naming its answer)."""
    answers = item.get("answers") or []
    if not answers:
        return [], []
    if not item.get("voter"):
        return [], ["Answers go with a contact with a voter, not a whole door."]
    on = timezone.localdate(item["contacted_at"])
    rows: list[dict] = []
    errors: list[str] = []
    seen: set[int] = set()
    for number, answer in enumerate(answers, start=1):
        question = book.questions.get(answer["question"])
        where = f"Answer {number} (question {answer['question']})"
        current = book.current.get(answer["question"])
        if question is None or current is None or question.council_id != book.ward_councils.get(ward_id):
            errors.append(f"{where}: no such question in this campaign.")
            continue
        if question.pk in seen:
            errors.append(f"{where}: the question is answered twice.")
            continue
        seen.add(question.pk)
        if answer["version"] != current.number:
            errors.append(
                f"{where}: answers version {answer['version']}, but the question is now version {current.number} "
                f"(“{current.wording}”): ask it again as it now reads."
            )
            continue
        why = question_applies(
            question,
            ward_id=ward_id,
            ward_limits=book.ward_limits[question.pk],
            on=on,
            segments=book.segments.get(item["voter"], set()),
        )
        if why:
            errors.append(f"{where}: “{current.wording}” {why}.")
            continue
        found, error = _answer_rows(question, current, answer["value"])
        if error:
            errors.append(f"{where}: {error}.")
            continue
        rows.extend({"question_id": question.pk, "version_id": current.pk, **row} for row in found)
    return (rows, []) if not errors else ([], errors)


def answers_store(*, rows_by_contact: dict[int, list[dict]]) -> None:
    """Store the answers of freshly created contacts; a raced replay's duplicates are ignored."""
    answers = [Answer(contact_id=contact_id, **row) for contact_id, rows in rows_by_contact.items() for row in rows]
    if answers:
        Answer.objects.bulk_create(answers, ignore_conflicts=True)
