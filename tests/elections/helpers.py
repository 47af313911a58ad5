"""Hand-made results for the election tests."""

import datetime as dt

from wards.models import Candidate, Contest, Election, ElectionKind

MAY_2024 = dt.date(2024, 5, 2)


def contest(ward, *, candidates, kind=ElectionKind.THIRDS, date=MAY_2024, seats=1, ballots=None, electorate=None):
    """A ward's contest; `candidates` are (name, party or None, votes, elected)."""
    election, _ = Election.objects.get_or_create(council=ward.council, date=date, kind=kind)
    made = Contest.objects.create(
        election=election, ward=ward, seats_contested=seats, ballots_issued=ballots, electorate=electorate
    )
    Candidate.objects.bulk_create(
        Candidate(contest=made, name=name, party=party, votes=votes, elected=elected)
        for name, party, votes, elected in candidates
    )
    return made
