"""Deterministic, plausible streets, households and electors for the demo council."""

import random
from collections.abc import Iterator
from dataclasses import dataclass

SURNAMES = (
    "SMITH JONES TAYLOR BROWN WILLIAMS WILSON JOHNSON DAVIES ROBINSON WRIGHT THOMPSON EVANS WALKER WHITE "
    "ROBERTS GREEN HALL WOOD JACKSON CLARKE PATEL KHAN LEWIS JAMES PHILLIPS MASON MITCHELL ROSE DAVIS "
    "RODRIGUEZ COX ALEXANDER MORGAN MOORE MARTIN PRICE SCOTT KING BAKER HARRIS COOPER MORRIS TURNER "
    "HUGHES EDWARDS WARD KOWALSKI NOWAK SINGH GURUNG ALI HUSSAIN OKAFOR MENSAH"
).split()
FORENAMES = (
    "Oliver George Harry Jack Noah Charlie Jacob Alfie Freddie Oscar Leo Arthur Thomas William James "
    "Amelia Olivia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Emily Poppy Ella Margaret "
    "Susan David John Peter Patricia Linda Barbara Michael Christopher Anna Piotr Priya Mohammed Aisha "
    "Bishnu Kwame Grace Tomasz"
).split()
MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"
STREET_STEMS = (
    "Oak Ash Beech Church Mill Station Park Chapel Manor Elm Willow Cedar Hawthorn Meadow Orchard Rowan "
    "Poplar Kennet Loddon Cranbourne Sycamore Heather Foxglove Bluebell Priory Abbey Coronation Victoria "
    "Albert Queens"
).split()
STREET_KINDS = ("Road", "Close", "Way", "Lane", "Drive", "Avenue", "Crescent", "Gardens", "Walk", "Place")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXY"


@dataclass(frozen=True)
class DemoElector:
    elector_number: int
    surname: str
    forenames: str
    markers: str
    is_postal_voter: bool


@dataclass(frozen=True)
class DemoHousehold:
    street: str
    house_number: int
    postcode: str
    locality: str
    electors: tuple[DemoElector, ...]

    @property
    def address(self) -> str:
        return f"{self.house_number} {self.street}\n{self.locality}\nBasingstoke"

    @property
    def address_key(self) -> str:
        return f"{self.house_number} {self.street.upper()}|{self.postcode.replace(' ', '')}"


def _marker(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.04:
        return "G"  # EU citizen: local elections only
    if roll < 0.05:
        return "F"  # overseas elector: Westminster only
    if roll < 0.07:
        return "Z"  # opted out of the open register
    return ""


def street_names(rng: random.Random, count: int) -> list[str]:
    names = [f"{stem} {kind}" for stem in STREET_STEMS for kind in STREET_KINDS]
    rng.shuffle(names)
    return names[:count]


def households_for_district(
    *, rng: random.Random, electors: int, locality: str, postcode_area: str
) -> Iterator[DemoHousehold]:
    """Households in street order with 1-4 electors each, numbered as the register numbers them."""
    streets = street_names(rng, max(1, electors // 60 + 1))
    postcodes = {
        street: f"{postcode_area} {rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
        for street in streets
    }
    number = 0
    house_by_street = dict.fromkeys(streets, 0)
    street_index = 0
    while number < electors:
        street = streets[street_index % len(streets)]
        street_index += rng.random() < 0.04  # move to the next street now and then
        house_by_street[street] += 1
        surname = rng.choice(SURNAMES)
        size = min(electors - number, rng.choice((1, 1, 2, 2, 2, 2, 3, 3, 4)))
        members = []
        for _ in range(size):
            number += 1
            forename = f"{rng.choice(FORENAMES)} {rng.choice(MIDDLE_INITIALS)}"
            members.append(
                DemoElector(
                    elector_number=number,
                    surname=surname if rng.random() < 0.85 else rng.choice(SURNAMES),
                    forenames=forename,
                    markers=_marker(rng),
                    is_postal_voter=rng.random() < 0.22,
                )
            )
        yield DemoHousehold(street, house_by_street[street], postcodes[street], locality, tuple(members))
