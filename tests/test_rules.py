"""Each campaign rule (canvass/rules.py) picks the same rows as SQL, as an ORM filter and as a Python predicate."""

from itertools import product

import pytest

from canvass import rules
from canvass.models import ContactRecord, Intention, Outcome, Voter
from canvass.sql import column
from tests.factories import ContactRecordFactory, PartyFactory, VoterFactory

READING_RULES = [
    rules.SUPPORTER,
    rules.LIKELY_SUPPORTER,
    rules.UNDECIDED,
    rules.LEANING_AWAY,
    rules.PROMISE,
    rules.OURS_LOCALLY,
    rules.SPLIT_TICKET,
]


@pytest.fixture
def readings(db, our_party):
    """Every combination of likelihood, local intention and national party that the rules tell apart."""
    theirs = PartyFactory(code="OTH")
    voter = VoterFactory()
    locals_ = [(Intention.PARTY, our_party), (Intention.PARTY, theirs), (Intention.UNDECIDED, None), ("", None)]
    nationals = [(Intention.PARTY, our_party), (Intention.PARTY, theirs), ("", None)]
    for likelihood, (local, local_party), (national, national_party) in product(
        [None, 1, 2, 3, 4, 5], locals_, nationals
    ):
        ContactRecordFactory(
            voter=voter,
            likelihood=likelihood,
            local_intention=local,
            local_party=local_party,
            national_intention=national,
            national_party=national_party,
        )
    return ContactRecord.objects.all()


def _three_ways(rule, queryset, table, ours):
    condition, params = rule.sql("t", ours)
    by_sql = set(column(f"SELECT t.id FROM {table} t WHERE {condition}", params))
    by_orm = set(queryset.filter(rule.q(ours=ours)).values_list("id", flat=True))
    by_python = {row.pk for row in queryset if rule.holds(row, ours)}
    return by_sql, by_orm, by_python


@pytest.mark.parametrize("rule", READING_RULES, ids=lambda rule: rule.name)
def test_a_reading_rule_picks_the_same_contacts_in_sql_orm_and_python(readings, our_party, rule):
    by_sql, by_orm, by_python = _three_ways(rule, readings, ContactRecord._meta.db_table, our_party.pk)
    assert by_sql == by_orm == by_python
    assert 0 < len(by_sql) < readings.count()


def test_split_ticket_needs_another_party_nationally_not_just_no_answer(readings, our_party):
    split = readings.filter(rules.SPLIT_TICKET.q(ours=our_party.pk))
    assert split.exists()
    assert not split.filter(national_party__isnull=True).exists()
    assert not split.exclude(local_party=our_party).exists()


def test_the_outcomes_that_take_a_door_off_the_lists_agree_in_sql_orm_and_python(db):
    for outcome, do_not_knock in product(Outcome.values, [False, True]):
        ContactRecordFactory(outcome=outcome, do_not_knock=do_not_knock)
    contacts = ContactRecord.objects.all()
    by_sql, by_orm, by_python = _three_ways(rules.OFF_THE_LISTS, contacts, ContactRecord._meta.db_table, None)
    assert by_sql == by_orm == by_python
    off = ContactRecord.objects.filter(id__in=by_sql)
    assert set(off.filter(do_not_knock=False).values_list("outcome", flat=True)) == {"moved_away", "deceased"}
    assert off.filter(do_not_knock=True).count() == len(Outcome.values)


def test_council_electors_agree_in_sql_orm_and_python(db):
    for markers, on_register in product(["", "F", "f", "G", "K", "EF", "N"], [True, False]):
        VoterFactory(markers=markers, on_register=on_register)
    voters = Voter.objects.all()
    by_sql, by_orm, by_python = _three_ways(rules.COUNCIL_ELECTOR, voters, Voter._meta.db_table, None)
    assert by_sql == by_orm == by_python
    assert set(Voter.objects.filter(id__in=by_sql).values_list("markers", flat=True)) == {"", "G", "K", "N"}
    assert set(voters.council_electors().values_list("id", flat=True)) == by_sql


def test_parliamentary_electors_agree_in_sql_orm_and_python(db):
    for markers, on_register in product(["", "F", "G", "g", "L", "B", "K", "N"], [True, False]):
        VoterFactory(markers=markers, on_register=on_register)
    voters = Voter.objects.all()
    by_sql, by_orm, by_python = _three_ways(rules.PARLIAMENTARY_ELECTOR, voters, Voter._meta.db_table, None)
    assert by_sql == by_orm == by_python
    assert set(Voter.objects.filter(id__in=by_sql).values_list("markers", flat=True)) == {"", "F", "K", "N"}
    assert set(voters.westminster_electors().values_list("id", flat=True)) == by_sql


@pytest.mark.parametrize("parliamentary", [False, True], ids=["council", "general"])
def test_electors_at_an_election_leave_out_attainers_of_age_only_after_polling_day(db, parliamentary):
    import datetime as dt

    polling_day = dt.date(2027, 3, 4)
    attained = [None, polling_day - dt.timedelta(days=1), polling_day, polling_day + dt.timedelta(days=1)]
    for markers, attainer_date in product(["", "F", "G"], attained):
        VoterFactory(markers=markers, attainer_date=attainer_date)
    voters = Voter.objects.all()
    rule = rules.elector_at(parliamentary=parliamentary, polling_day=polling_day)
    by_sql, by_orm, by_python = _three_ways(rule, voters, Voter._meta.db_table, None)
    assert by_sql == by_orm == by_python
    base = rules.PARLIAMENTARY_ELECTOR if parliamentary else rules.COUNCIL_ELECTOR
    too_young = set(voters.filter(attainer_date__gt=polling_day).values_list("id", flat=True))
    assert by_sql == set(voters.filter(base.q()).values_list("id", flat=True)) - too_young
    assert rules.elector_at(parliamentary=parliamentary) == base
