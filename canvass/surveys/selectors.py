"""Reads for survey questions and scripts: what is asked at a list's doors, and the answers a ward gave."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from canvass.surveys.models import Answer, Question, QuestionKind, QuestionVersion, Script
from canvass.surveys.services import question_applies
from wards.models import TargetListEntry


def current_versions(question_ids) -> dict[int, QuestionVersion]:
    """Each question's current (highest-numbered) version: one query."""
    current: dict[int, QuestionVersion] = {}
    for version in QuestionVersion.objects.filter(question_id__in=question_ids).order_by("question_id", "number"):
        current[version.question_id] = version
    return current


def questions_for_walk_list(walk_list, *, voter_ids: list[int], on: dt.date) -> tuple[list[dict], dict[int, list]]:
    """The questions asked at this list's doors today, and for each voter the ids of those asked of them.

    Three queries (questions with their wards, current versions, and target segments only when a
    question is limited to segments), whatever the list's length.
    """
    questions = list(
        Question.objects.filter(council_id=walk_list.ward.council_id, is_active=True)
        .prefetch_related("wards")
        .order_by("order", "id")
    )
    if not questions:
        return [], {}
    current = current_versions([question.pk for question in questions])
    segments: dict[int, set] = defaultdict(set)
    if any(question.segments for question in questions):
        entries = TargetListEntry.objects.filter(ward_id=walk_list.ward_id, voter_id__in=voter_ids)
        for voter_id, segment in entries.values_list("voter_id", "segment"):
            segments[voter_id].add(segment)
    asked, by_voter = [], defaultdict(list)
    for question in questions:
        version = current.get(question.pk)
        limits = {ward.pk for ward in question.wards.all()}
        if version is None or question_applies(
            question, ward_id=walk_list.ward_id, ward_limits=limits, on=on, segments=set(question.segments)
        ):
            continue  # not asked in this ward today (segments are checked per voter below)
        asked.append(
            {
                "id": question.pk,
                "kind": question.kind,
                "version": version.number,
                "wording": version.wording,
                "choices": version.choices,
                "min_value": version.min_value,
                "max_value": version.max_value,
                "multiple": question.kind == QuestionKind.MULTIPLE,
            }
        )
        for voter_id in voter_ids:
            if not question.segments or segments[voter_id] & set(question.segments):
                by_voter[voter_id].append(question.pk)
    return asked, by_voter


def scripts_for_walk_list(walk_list) -> list[str]:
    """The campaign's script, then the list's own: one query."""
    rows = Script.objects.filter(Q(council_id=walk_list.ward.council_id) | Q(walk_list=walk_list))
    texts = {("list" if row.walk_list_id else "campaign"): row.text for row in rows}
    return [texts[key] for key in ("campaign", "list") if key in texts]


def counted_answers():
    """The answers the results count: not those of a record corrected at the door (its correction's count)."""
    from canvass.rules import COUNTED_CONTACT

    return Answer.objects.filter(COUNTED_CONTACT.q("contact__"))


def ward_survey_results(*, ward) -> list[dict]:
    """Each of the campaign's questions with the ward's answers: counts and shares per choice, per week.

    Counts are of contacts (a voter answering twice, on two doorsteps, counts twice); a multiple-choice
    question's shares are of the contacts that answered it, so they may add up to more than 100%.
    Four queries whatever the number of questions.
    """
    questions = list(Question.objects.filter(council_id=ward.council_id).order_by("order", "id"))
    if not questions:
        return []
    current = current_versions([question.pk for question in questions])
    answers = counted_answers().filter(contact__ward=ward)
    answered = dict(
        answers.values("question_id").annotate(n=Count("contact_id", distinct=True)).values_list("question_id", "n")
    )
    choices: dict[int, dict[str, int]] = defaultdict(dict)
    numbers: dict[int, list[int]] = defaultdict(list)
    for question_id, choice, number, n in (
        answers.values("question_id", "choice", "number")
        .annotate(n=Count("id"))
        .values_list("question_id", "choice", "number", "n")
    ):
        if number is not None:
            numbers[question_id].extend([number] * n)
        elif choice:
            choices[question_id][choice] = choices[question_id].get(choice, 0) + n
    weekly: dict[int, list[tuple]] = defaultdict(list)
    for question_id, week, n in (
        answers.annotate(week=TruncWeek("contact__contacted_at"))
        .values("question_id", "week")
        .annotate(n=Count("contact_id", distinct=True))
        .order_by("question_id", "week")
        .values_list("question_id", "week", "n")
    ):
        weekly[question_id].append((week.date() if hasattr(week, "date") else week, n))
    results = []
    for question in questions:
        version = current.get(question.pk)
        total = answered.get(question.pk, 0)
        known = list(version.choices) if version else []
        known += [choice for choice in choices[question.pk] if choice not in known]  # an older version's
        rows = [
            {
                "choice": choice,
                "count": choices[question.pk].get(choice, 0),
                "share": _share(choices[question.pk].get(choice, 0), total),
            }
            for choice in known
        ]
        values = numbers[question.pk]
        results.append(
            {
                "question": question,
                "wording": version.wording if version else "",
                "version": version.number if version else 0,
                "answered": total,
                "choices": rows,
                "numbers": {
                    "count": len(values),
                    "mean": sum(values) / len(values),
                    "low": min(values),
                    "high": max(values),
                }
                if values
                else None,
                "weeks": weekly[question.pk],
            }
        )
    return results


def _share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def ward_answers_for_export(*, ward) -> list[dict]:
    """The ward's counted answers, oldest contact first, as the CSV export writes them: one query."""
    return list(
        counted_answers()
        .filter(contact__ward=ward)
        .order_by("contact__contacted_at", "contact_id", "question_id", "choice")
        .values(
            "contact_id",
            "contact__contacted_at",
            "question_id",
            "version__number",
            "version__wording",
            "choice",
            "number",
            "text",
        )  # fmt: skip
    )


def new_residents_at(*, household_ids) -> dict[int, list[dict]]:
    """People met at these doors (ids, or a query of them) who are not on the register yet (not matched by an
    organiser): one query."""
    from canvass.models import NewResident

    found: dict[int, list[dict]] = defaultdict(list)
    rows = NewResident.objects.filter(household_id__in=household_ids, matched_voter__isnull=True).order_by("id")
    for row in rows.values("household_id", "name"):
        found[row["household_id"]].append(dict(row))
    return found
