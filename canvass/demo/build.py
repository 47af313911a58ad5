"""Build the demo council: structure, register, campaign team and a spread of canvass returns.

Deterministic for a seed and idempotent: rows have natural keys (names, codes, elector references,
client UUIDs derived from the seed), so a second run inserts nothing it already has. A build that
finishes leaves a `DemoLoad` marker; `demo_council_loaded` reads it so `load_demo` can skip the
whole pass (re-checking 20,000 electors through the importer) when nothing would change.
"""

import datetime as dt
import hashlib
import io
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from canvass.bulk import bulk_insert
from canvass.demo import council as data
from canvass.demo.elections import demo_elections_build
from canvass.demo.people import households_for_district
from canvass.demo.walklists import demo_walk_lists_build
from canvass.models import ContactRecord, DemoLoad, Household, Intention, Likelihood, Outcome, Profile, Voter
from canvass.models.contacts import ANSWER_FIELDS
from canvass.register import generator
from canvass.register.services import absent_voters_import, register_import
from canvass.sql import is_postgres
from wards.models import Council, Party, PollingDistrict, Village, Ward

BATCH = 5000
DISTRICTS_PER_WARD = 2
CONTACT_NAMESPACE = uuid.UUID("8f5b8c1e-4d0a-4c55-9a57-2f1f4f6d9e01")
# Share of electors the demo has already canvassed, by zone: the north first.
CONTACTED_SHARE = {"north": 0.45, "south": 0.2, "villages": 0.06}


@dataclass
class DemoSummary:
    wards: int = 0
    households_created: int = 0
    voters_created: int = 0
    contacts_created: int = 0
    walk_lists_created: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)


def demo_council_build(*, electors: int = 20_000, seed: int = 2026) -> DemoSummary:
    summary = DemoSummary()
    with transaction.atomic():
        council, parties = _council_and_parties()
        wards = _wards(council, parties, seed)
        summary.wards = len(wards)
        summary.users = _team(wards)
    _register(council, wards, electors, seed, summary)
    with transaction.atomic():
        demo_elections_build(council=council, wards=wards, parties=parties, seed=seed)
    with transaction.atomic():
        _canvass_returns(parties, seed, summary)
    with transaction.atomic():
        summary.walk_lists_created = demo_walk_lists_build()
    _refresh_planner_statistics()
    _mark_loaded(electors=electors, seed=seed)
    return summary


def demo_council_loaded(*, electors: int, seed: int) -> bool:
    """True when a build for this seed and size finished and its register is still there, as built."""
    marker = DemoLoad.objects.filter(fingerprint=demo_fingerprint(electors=electors, seed=seed)).first()
    return marker is not None and Voter.objects.on_register().count() == marker.voters


def demo_logins() -> list[tuple[str, str, str]]:
    return [(username, password, description) for username, password, _, _, description in data.DEMO_USERS]


def demo_fingerprint(*, electors: int, seed: int) -> str:
    """The seed, the size and the code that makes the demo's rows: change any of them and it builds again."""
    digest = hashlib.sha256(f"{seed}:{electors}".encode())
    for source in _DEMO_SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()


_DEMO_SOURCES = (*sorted(Path(__file__).parent.glob("*.py")), Path(generator.__file__))


def _mark_loaded(*, electors: int, seed: int) -> None:
    with transaction.atomic():
        DemoLoad.objects.all().delete()
        DemoLoad.objects.create(
            fingerprint=demo_fingerprint(electors=electors, seed=seed),
            seed=seed,
            electors=electors,
            voters=Voter.objects.on_register().count(),
        )


def _refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's row estimates are stale until autovacuum; the admin's counts read them."""
    if is_postgres():
        with connection.cursor() as cursor:
            for model in (Household, Voter, ContactRecord):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _council_and_parties() -> tuple[Council, dict[str, Party]]:
    council, _ = Council.objects.get_or_create(
        name=data.COUNCIL_NAME, defaults={"ons_code": data.COUNCIL_ONS_CODE, "total_seats": data.TOTAL_SEATS}
    )
    parties = {}
    for party in data.PARTIES:
        parties[party.code], _ = Party.objects.get_or_create(
            code=party.code, defaults={"name": party.name, "colour": party.colour, "is_ours": party.is_ours}
        )
    return council, parties


def _wards(council: Council, parties: dict[str, Party], seed: int) -> dict[str, Ward]:
    wards = {}
    for order, demo_ward in enumerate(data.WARDS):
        rng = random.Random(f"{seed}:{demo_ward.name}:ward")
        ward, _ = Ward.objects.get_or_create(
            council=council,
            name=demo_ward.name,
            defaults={
                "zone": demo_ward.zone,
                "rollout_order": order,
                "seats": 3,
                "seats_held": demo_ward.seats_held_by_us,
                "seats_up": 1,
                "expected_turnout_percent": rng.choice((28, 30, 32, 34, 36, 38)),
            },
        )
        wards[demo_ward.name] = ward
        for number in range(1, DISTRICTS_PER_WARD + 1):
            PollingDistrict.objects.get_or_create(
                code=f"{demo_ward.district_prefix}{number}",
                defaults={"ward": ward, "name": demo_ward.communities[number - 1][0]},
            )
        for name, kind in demo_ward.communities:
            Village.objects.get_or_create(ward=ward, name=name, defaults={"kind": kind})
    return wards


def _team(wards: dict[str, Ward]) -> list[tuple[str, str, str]]:
    users = []
    hashed = {}  # a password hash costs a second on purpose: hash each demo password once
    for username, password, role, ward_names, description in data.DEMO_USERS:
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": role == "admin", "is_superuser": role == "admin"}
        )
        if created:
            if password not in hashed:
                hashed[password] = make_password(password)
            user.password = hashed[password]
            user.save(update_fields=["password"])
        profile, _ = Profile.objects.get_or_create(user=user, defaults={"role": role})
        profile.wards.add(*(wards[name] for name in ward_names))
        users.append((username, password, description))
    return users


def _register(council: Council, wards: dict[str, Ward], electors: int, seed: int, summary: DemoSummary) -> None:
    """The demo register goes through the real importer, as an Xpress file from the council would."""
    postal: list[generator.Elector] = []
    localities: dict[str, tuple[int, str]] = {}  # district code -> (ward id, community)
    file = io.BytesIO()
    generator.write_register(_register_rows(wards, electors, seed, postal, localities), file, layout="xpress14")
    if not localities or not electors:
        return
    households_before = Household.objects.count()
    report = register_import(file=file.getvalue(), council=council)
    if not report.applied:
        raise RuntimeError(f"the demo register did not import:\n{report.as_text()}")
    if postal:
        absent_voters_import(file=generator.keyed_list_bytes("absent", ((e, "P") for e in postal)), council=council)
    villages = {(v.ward_id, v.name): v.pk for v in Village.objects.filter(ward__council=council)}
    for code, (ward_id, community) in localities.items():
        Household.objects.filter(polling_district__code=code, village__isnull=True).update(
            village_id=villages.get((ward_id, community))
        )
    summary.households_created = Household.objects.count() - households_before
    summary.voters_created = report.counts["new"]


def _register_rows(wards, electors, seed, postal, localities) -> Iterator[generator.Elector]:
    weights = sum(demo_ward.weight for demo_ward in data.WARDS)
    for demo_ward in data.WARDS:
        ward = wards[demo_ward.name]
        ward_electors = round(electors * demo_ward.weight / weights)
        rng = random.Random(f"{seed}:{demo_ward.name}:register")
        districts = list(ward.polling_districts.order_by("code"))
        for index, district in enumerate(districts):
            locality = demo_ward.communities[index][0]
            localities[district.code] = (ward.pk, locality)
            households = households_for_district(
                rng=rng,
                electors=ward_electors // len(districts),
                locality=locality,
                postcode_area=demo_ward.postcode_area,
            )
            for household in households:
                address = tuple(household.address.splitlines())
                for person in household.electors:
                    elector = generator.Elector(
                        district.code,
                        person.elector_number,
                        0,
                        person.surname,
                        person.forenames,
                        address,
                        household.postcode,
                        person.markers,
                    )
                    if person.is_postal_voter:
                        postal.append(elector)
                    yield elector


CONTACT_FIELDS = (
    "client_uuid",
    "voter",
    "household",
    "ward",
    "volunteer",
    "contacted_at",
    "outcome",
    *ANSWER_FIELDS,
    "issues",
    "will_take_poster",
    "wants_postal_vote",
)


def _canvass_returns(parties: dict[str, Party], seed: int, summary: DemoSummary) -> None:
    """About half the north canvassed, less of the south, few villages; latest contacts in the last 120 days."""
    rng = random.Random(seed * 7919)
    volunteers = dict(get_user_model().objects.filter(username__in=("vera", "victor")).values_list("username", "id"))
    now = timezone.now()
    party_ids = {code: party.pk for code, party in parties.items()}
    ours = next(code for code, party in parties.items() if party.is_ours)
    voters = (
        Voter.objects.on_register()
        .order_by("id")
        .values_list("id", "household_id", "polling_district__ward_id", "polling_district__ward__zone")
    )
    before = ContactRecord.objects.count()
    bulk_insert(
        model=ContactRecord,
        fields=CONTACT_FIELDS,
        rows=(
            contact
            for voter in voters.iterator(chunk_size=BATCH)
            if rng.random() < CONTACTED_SHARE[voter[3]]
            for contact in _contacts_for_voter(voter, rng, seed, now, party_ids, ours, volunteers)
        ),
    )
    summary.contacts_created = ContactRecord.objects.count() - before


def _contacts_for_voter(voter, rng, seed, now, party_ids, ours, volunteers):
    voter_id, household_id, ward_id, zone = voter
    volunteer = volunteers.get("vera" if zone == "north" else "victor")
    visits = rng.choice((1, 1, 1, 2, 2, 3))
    days_ago = sorted((rng.randint(0, 120) for _ in range(visits)), reverse=True)
    for visit, days in enumerate(days_ago):
        outcome = rng.choices(
            (Outcome.SPOKE, Outcome.NOT_IN, Outcome.REFUSED, Outcome.MOVED_AWAY, Outcome.INACCESSIBLE),
            weights=(55, 33, 7, 3, 2),
        )[0]
        said = _intentions(rng, zone, party_ids, ours) if outcome == Outcome.SPOKE else _NOTHING_SAID
        yield (
            uuid.uuid5(CONTACT_NAMESPACE, f"{seed}:{voter_id}:{visit}"),
            voter_id,
            household_id,
            ward_id,
            volunteer,
            now - dt.timedelta(days=days, minutes=rng.randint(0, 600)),
            outcome.value,
            *said,
        )


# local intention, local party, national intention, national party, likelihood, issues, poster, postal vote
_NOTHING_SAID = ("", None, "", None, None, [], False, False)


def _intentions(rng, zone, party_ids, ours) -> tuple:
    support = data.LOCAL_SUPPORT_BY_ZONE[zone]
    stance = rng.choices(("party", "undecided", "wont_say", "wont_vote"), weights=(70, 18, 8, 4))[0]
    local_party = national_party = None
    national_stance = stance
    likelihood = Likelihood.UNDECIDED.value if stance == Intention.UNDECIDED else None
    if stance == Intention.PARTY:
        code = rng.choices(list(support), weights=list(support.values()))[0]
        if code == ours:
            national = "CON" if rng.random() < data.SPLIT_TICKET_SHARE else ours
            likelihood = rng.choice((Likelihood.PROMISE, Likelihood.PROMISE, Likelihood.PROBABLE)).value
        else:
            national = code if code in ("CON", "LD", "GRN") else rng.choice(("CON", "LD", ours))
            likelihood = rng.choice((Likelihood.AGAINST, Likelihood.LEANING_AWAY)).value
        local_party, national_party = party_ids[code], party_ids[national]
    issues = rng.sample(("potholes", "housing", "buses", "bins", "parking", "schools", "nhs"), rng.randint(0, 2))
    poster = likelihood == Likelihood.PROMISE and rng.random() < 0.2
    return (stance, local_party, national_stance, national_party, likelihood, issues, poster, rng.random() < 0.03)
