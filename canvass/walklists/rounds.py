"""Splitting a cut into rounds a volunteer walks in one session, in one pass over the cut's doors.

A street stays whole when it fits a round; a longer one splits by side (odd, then even), and a side still too
long splits into runs of consecutive numbers. Streets follow each other as the register places them: by
polling district, then postcode sector, then postcode unit, so the streets of one round are near each other.
Within a street the walk goes up the odd side and back down the even side, ending where it began; doors
without a number come last, by address.

`plan_rounds` is pure: it takes the doors as rows (one query read them) and returns the rounds.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

DEFAULT_ROUND_SIZE = 40
NAME_LENGTH = 120
# The last round, if small, joins the one before when both together stay within a quarter over the size.
REMAINDER_SLACK = 1.25


@dataclass(frozen=True)
class Door:
    id: int
    street: str
    house_number: int | None
    address: str
    postcode: str
    district: str


@dataclass
class Piece:
    """A whole street, one side of it, or a run of numbers on one side: what a round is made of."""

    street: str
    doors: list[Door]
    side: str = ""  # "odd", "even" or "" for the whole street
    numbers: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        name = self.street or "Other addresses"
        if self.numbers:
            name = f"{name} {self.numbers[0]}–{self.numbers[1]}"
        return f"{name} ({self.side})" if self.side else name


@dataclass
class Round:
    pieces: list[Piece] = field(default_factory=list)

    @property
    def doors(self) -> list[Door]:
        return [door for piece in self.pieces for door in piece.doors]

    @property
    def size(self) -> int:
        return sum(len(piece.doors) for piece in self.pieces)

    @property
    def streets(self) -> list[str]:
        return [piece.label for piece in self.pieces]

    def name(self, limit: int = NAME_LENGTH) -> str:
        """The round's streets, as many as fit, then how many more."""
        labels = self.streets
        for shown in range(len(labels), 0, -1):
            rest = len(labels) - shown
            text = ", ".join(labels[:shown]) + (f" and {rest} more" if rest else "")
            if len(text) <= limit:
                return text
        return labels[0][:limit]


def postcode_sector(postcode: str) -> str:
    """'RG21 7AB' -> 'RG21 7': the sector, a few hundred doors around one another."""
    outward, _, inward = postcode.strip().upper().partition(" ")
    return f"{outward} {inward[:1]}".strip()


def _side(door: Door) -> str:
    if door.house_number is None:
        return ""
    return "odd" if door.house_number % 2 else "even"


def street_order(doors: list[Door]) -> list[Door]:
    """Up the odd side, back down the even side, then doors without a number."""
    odd = sorted((d for d in doors if _side(d) == "odd"), key=lambda d: (d.house_number, d.address))
    even = sorted((d for d in doors if _side(d) == "even"), key=lambda d: (d.house_number, d.address), reverse=True)
    other = sorted((d for d in doors if _side(d) == ""), key=lambda d: d.address)
    return odd + even + other


def _runs(doors: list[Door], side: str, street: str, size: int) -> list[Piece]:
    """One side of a street in runs of consecutive numbers, as even in length as they can be."""
    if len(doors) <= size:
        return [Piece(street, doors, side)] if doors else []
    count = math.ceil(len(doors) / size)
    length = math.ceil(len(doors) / count)
    pieces = []
    for start in range(0, len(doors), length):
        run = doors[start : start + length]
        numbers = [d.house_number for d in run if d.house_number is not None]
        span = (min(numbers), max(numbers)) if numbers else None
        pieces.append(Piece(street, run, side, span))
    return pieces


def street_pieces(street: str, doors: list[Door], size: int) -> list[Piece]:
    ordered = street_order(doors)
    if len(ordered) <= size:
        return [Piece(street, ordered)]
    by_side = defaultdict(list)
    for door in ordered:
        by_side[_side(door)].append(door)
    pieces = _runs(by_side["odd"], "odd", street, size) + _runs(by_side["even"], "even", street, size)
    if by_side[""]:
        pieces += _runs(by_side[""], "no number", street, size)
    return pieces


def _place(doors: list[Door]) -> tuple[str, str, str]:
    """Where a street lies, as the register tells: its main polling district, postcode sector and first unit."""
    district = Counter(d.district for d in doors).most_common(1)[0][0]
    sector = Counter(postcode_sector(d.postcode) for d in doors).most_common(1)[0][0]
    unit = min((d.postcode.upper() for d in doors if d.postcode), default="")
    return district, sector, unit


def plan_rounds(doors: list[Door], *, size: int = DEFAULT_ROUND_SIZE) -> list[Round]:
    """The cut's doors as rounds of about `size` doors, streets whole where they fit, nearby streets together."""
    if size < 1:
        raise ValueError("A round needs at least one door.")
    streets: dict[tuple[str, str], list[Door]] = defaultdict(list)
    for door in doors:
        streets[(door.district, door.street)].append(door)
    places = {key: _place(street_doors) for key, street_doors in streets.items()}
    order = sorted(streets, key=lambda key: (*places[key], key[1]))
    rounds: list[Round] = []
    sectors: list[str] = []  # the sector each closed round ends in
    current, current_sector = Round(), ""

    def close(slack: float) -> None:
        # A small round joins the one before it when they meet in one sector and stay within `slack` x size.
        joins = rounds and sectors[-1] == current_sector and rounds[-1].size + current.size <= size * slack
        if current.size < size / 2 and joins:
            rounds[-1].pieces.extend(current.pieces)
        else:
            rounds.append(current)
            sectors.append(current_sector)

    for key in order:
        sector = places[key][1]
        for piece in street_pieces(key[1], streets[key], size):
            full = current.size + len(piece.doors) > size
            # A half-full round does not wander into the next sector for its last few doors.
            moves_on = sector != current_sector and current.size >= size / 2
            if current.pieces and (full or moves_on):
                close(1.0)
                current = Round()
            current.pieces.append(piece)
            current_sector = sector
    if current.pieces:
        close(REMAINDER_SLACK)
    return rounds
