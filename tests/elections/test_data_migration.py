"""The old one-result-per-ward rows become election history: nothing is lost."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("wards", "0008_elections_results")]
AFTER = [("wards", "0009_elections_history_from_results")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_last_results_become_a_contest_with_one_candidate_per_party():
    old = migrate(BEFORE)
    council = old.get_model("wards", "Council").objects.create(name="B&D", total_seats=54)
    ward = old.get_model("wards", "Ward").objects.create(
        council=council,
        name="Popley",
        zone="north",
        seats=3,
        seats_up=1,
        last_election_date=dt.date(2024, 5, 2),
        last_turnout_votes=2500,
    )
    party = old.get_model("wards", "Party")
    lab = party.objects.create(code="LAB", name="Labour", is_ours=True)
    con = party.objects.create(code="CON", name="Conservative")
    result = old.get_model("wards", "WardResult")
    result.objects.create(ward=ward, party=lab, votes=1200)
    result.objects.create(ward=ward, party=con, votes=900)
    new = migrate(AFTER)
    contest = new.get_model("wards", "Contest").objects.get(ward_id=ward.pk)
    election = new.get_model("wards", "Election").objects.get(pk=contest.election_id)
    assert (election.kind, election.date) == ("thirds", dt.date(2024, 5, 2))
    assert (contest.seats_contested, contest.ballots_issued) == (1, 2500)
    candidates = new.get_model("wards", "Candidate").objects.filter(contest=contest).order_by("-votes")
    assert [(c.party_id, c.votes) for c in candidates] == [(lab.pk, 1200), (con.pk, 900)]
    assert new.get_model("wards", "WardResult").objects.count() == 2
