"""A small council campaign for the organiser pages: wards in every zone, parties with their own
colours, a register and a few weeks of doorstep contacts, with the statistics computed."""

import datetime as dt
import itertools

from django.utils import timezone

from canvass.models import ContactRecord, Household, Intention, Outcome, Voter
from tests.factories import PartyFactory, PollingDistrictFactory, VillageFactory, WardFactory
from wards.models import WardResult, Zone
from wards.services import wards_recompute

STREETS = ("Carpenters Down", "Popley Way", "Abbey Road", "Shakespeare Road")


def parties(ours):
    return {
        "LAB": ours,
        "CON": PartyFactory(code="CON", name="Conservative", colour="#0087dc"),
        "LD": PartyFactory(code="LD", name="Liberal Democrat", colour="#faa61a"),
        "GRN": PartyFactory(code="GRN", name="Green", colour="#02a95b"),
    }


def register(ward, code: str, *, households: int, per_household: int = 2, streets=STREETS, village=None):
    """Households along a few streets (numbered from 1 on each) and their voters, in bulk."""
    district = PollingDistrictFactory(ward=ward, code=code)
    doors = Household.objects.bulk_create(
        Household(
            polling_district=district,
            village=village,
            street=streets[i % len(streets)],
            house_number=i // len(streets) + 1,
            postcode="RG24 8AA",
            address=f"{i // len(streets) + 1} {streets[i % len(streets)]}\nBasingstoke",
            address_key=f"{code}|{i}",
        )
        for i in range(households)
    )
    numbers = itertools.count(1)
    return Voter.objects.bulk_create(
        Voter(
            polling_district=district,
            household=door,
            elector_number=next(numbers),
            forenames=f"Forename{door.pk}x{j}",
            surname=f"Surname{door.pk}",
            is_postal_voter=(door.pk + j) % 7 == 0,
        )
        for door in doors
        for j in range(per_household)
    )


def canvass(voters, *, volunteers, party, weeks: int = 6, every: int = 2):
    """Contacts over the last few weeks for every `every`-th voter, with a spread of answers that
    includes split-ticket voters (ours locally, another party nationally) and promises."""
    now = timezone.now()
    answers = [
        (party["LAB"], party["LAB"], 5),
        (party["LAB"], party["CON"], 4),
        (party["CON"], party["CON"], 1),
        (Intention.UNDECIDED, Intention.UNDECIDED, 3),
        (party["LD"], party["LAB"], 2),
        (party["LAB"], Intention.UNDECIDED, 4),
        (party["GRN"], party["GRN"], 2),
    ]
    records = []
    for index, voter in enumerate(voters[::every]):
        local, national, likelihood = answers[index % len(answers)]
        fields = {}
        for side, value in (("local", local), ("national", national)):
            if isinstance(value, str):
                fields[f"{side}_intention"] = value
            else:
                fields[f"{side}_intention"], fields[f"{side}_party"] = Intention.PARTY, value
        records.append(
            ContactRecord(
                voter=voter,
                household_id=voter.household_id,
                ward_id=voter.polling_district.ward_id,
                volunteer=volunteers[index % len(volunteers)],
                contacted_at=now - dt.timedelta(days=(index * 7 * weeks) // max(len(voters) // every, 1)),
                outcome=Outcome.SPOKE if index % 5 else Outcome.NOT_IN,
                likelihood=likelihood,
                **(fields if index % 5 else {}),
            )
        )
    ContactRecord.objects.bulk_create(records)


def build(*, popley, south_ham, ours, volunteers, popley_households: int = 40):
    party = parties(ours)
    popley.seats_held, popley.expected_turnout_percent, popley.last_turnout_votes = 1, 34, 31
    popley.last_election_date = dt.date(2024, 5, 2)
    popley.save()
    south_ham.seats_held = 0
    south_ham.save()
    others = [
        WardFactory(name="Norden", zone=Zone.NORTH, seats_held=3, council=popley.council),
        WardFactory(name="Chineham", zone=Zone.NORTH, seats_held=0, council=popley.council),
        WardFactory(name="Brighton Hill", zone=Zone.SOUTH, seats_held=2, council=popley.council),
        WardFactory(name="Bramley", zone=Zone.VILLAGES, seats_held=0, council=popley.council),
        WardFactory(name="Evingar", zone=Zone.VILLAGES, seats_held=0, council=popley.council),
    ]
    for ward, votes in ((popley, (1450, 1210, 380, 150)), (south_ham, (900, 1300, 500, 200))):
        for code, count in zip(("LAB", "CON", "LD", "GRN"), votes, strict=True):
            WardResult.objects.create(ward=ward, party=party[code], votes=count)
    fields = VillageFactory(ward=popley, name="Popley Fields", kind="neighbourhood")
    popley_voters = register(popley, "PA1", households=popley_households, village=fields)
    register(popley, "PA2", households=max(popley_households // 4, 1), streets=("Marlowe Close",))
    south_voters = register(south_ham, "SH1", households=20, streets=("Sullivan Road", "Elgar Close"))
    for voter in popley_voters + south_voters:
        voter.polling_district = voter.polling_district  # loaded: canvass() reads its ward id
    canvass(popley_voters, volunteers=volunteers, party=party)
    canvass(south_voters, volunteers=volunteers[:1], party=party, every=3)
    wards_recompute()
    return {"parties": party, "others": others, "popley_voters": popley_voters}
