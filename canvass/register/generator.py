"""Deterministic register files for tests, the demo and the benchmark: every supported layout.

The same seed always gives the same electors, numbers and bytes. `dirty=True` writes what councils
really send: a BOM, Windows line endings, cp1252 text, blank lines and quoted commas in addresses.
"""

import csv
import datetime as dt
import io
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from canvass.register.layouts import (
    HALAROSE,
    HALAROSE_PP50,
    HALAROSE_ROLLNO,
    IDOX,
    LAYOUTS_BY_KIND,
    XPRESS_13,
    XPRESS_14,
    XPRESS_UPDATE,
)

SURNAMES = (
    "SMITH",
    "JONES",
    "TAYLOR",
    "BROWN",
    "WILLIAMS",
    "WILSON",
    "JOHNSON",
    "DAVIES",
    "ROBINSON",
    "WRIGHT",
    "THOMPSON",
    "EVANS",
    "WALKER",
    "WHITE",
    "ROBERTS",
    "GREEN",
    "HALL",
    "WOOD",
    "JACKSON",
    "CLARKE",
    "PATEL",
    "KHAN",
    "LEWIS",
    "JAMES",
    "PHILLIPS",
    "MASON",
    "MITCHELL",
    "ROSE",
    "DAVIS",
    "RODRIGUEZ",
    "COX",
    "ALI",
    "KING",
    "MARTIN",
    "HUGHES",
    "HARRIS",
    "MORRIS",
    "COOPER",
    "WARD",
    "MORGAN",
    "TURNER",
    "SCOTT",
    "BAKER",
    "HILL",
    "MOORE",
    "PARKER",
    "YOUNG",
    "ALLEN",
    "BELL",
    "O'BRIEN",
    "NOWAK",
    "KOWALSKI",
    "SINGH",
    "BEGUM",
    "MURPHY",
    "KELLY",
    "HUSSAIN",
    "DE LA CRUZ",
    "VAN DYKE",
    "MACDONALD-ROSS",
)
FORENAMES = (
    "Oliver",
    "George",
    "Harry",
    "Jack",
    "Jacob",
    "Noah",
    "Charlie",
    "Muhammad",
    "Thomas",
    "Oscar",
    "William",
    "James",
    "Leo",
    "Alfie",
    "Henry",
    "Amelia",
    "Olivia",
    "Isla",
    "Emily",
    "Poppy",
    "Ava",
    "Isabella",
    "Jessica",
    "Lily",
    "Sophie",
    "Grace",
    "Sophia",
    "Mia",
    "Evie",
    "Ruby",
    "Ella",
    "Scarlett",
    "Chloe",
    "Margaret",
    "Susan",
    "David",
    "John",
    "Peter",
    "Paul",
    "Michael",
    "Sarah",
    "Karen",
    "Helen",
    "Anne",
    "Priya",
    "Aisha",
    "Zofia",
    "Piotr",
    "Mohammed",
    "Fatima",
    "Zoë",
    "Renée",
    "José",
    "Chloé",
    "Siân",
)
MIDDLE = ("", "", "", "A", "J", "M", "Rose", "Edward")
STREET_NAMES = (
    "Church Street",
    "Winton Square",
    "Sarum Hill",
    "Victoria Street",
    "Essex Road",
    "Worting Road",
    "Popley Way",
    "Carpenters Down",
    "Kingsclere Road",
    "Oakridge Road",
    "Vyne Road",
    "Sherborne Road",
    "Shakespeare Road",
    "Milton Road",
    "Cranbourne Lane",
    "Buckskin Lane",
    "Pack Lane",
    "Kempshott Lane",
    "Winchester Road",
    "Brighton Way",
    "Hatch Warren Lane",
    "Beggarwood Lane",
    "Chineham Lane",
    "Reading Road",
    "Bramley Lane",
    "Overton Hill",
    "Station Road",
    "High Street",
    "London Road",
    "Kings Road",
    "Queens Road",
    "Park Lane",
)
BUILDINGS = ("Rose Court", "Alder House", "Beech Mews", "Cedar Lodge", "Holly Court")
TOWNS = ("Basingstoke", "Basingstoke", "Basingstoke", "Tadley", "Overton", "Bramley")
MARKERS = ("",) * 92 + ("G", "G", "B", "F", "Z", "Z", "E", "L")


@dataclass
class Elector:
    pd: str
    number: int
    suffix: int
    surname: str
    forenames: str
    address: tuple[str, ...]
    postcode: str
    markers: str = ""
    dob: dt.date | None = None
    title: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return f"{self.pd}-{self.number}/{self.suffix}" if self.suffix else f"{self.pd}-{self.number}"


def _postcode(rng: random.Random) -> str:
    letters = rng.choice("ABDEFGHJLNPQRSTUWXYZ") + rng.choice("ABDEHJLNPQRTUWXY")
    return f"RG{rng.randint(20, 29)} {rng.randint(1, 9)}{letters}"


def _person(rng: random.Random, surname: str) -> tuple[str, str, str]:
    forenames = " ".join(filter(None, (rng.choice(FORENAMES), rng.choice(MIDDLE))))
    return surname, forenames, rng.choice(("Mr", "Mrs", "Ms", "Miss", "Dr", ""))


def electors(*, districts: Sequence[str], count: int, seed: int = 1) -> Iterator[Elector]:
    """`count` electors spread evenly over `districts`, numbered in street order, 1-4 to a household."""
    rng = random.Random(seed)
    per_district = [count // len(districts) + (1 if i < count % len(districts) else 0) for i in range(len(districts))]
    for position, (pd, wanted) in enumerate(zip(districts, per_district, strict=True)):
        made, number, street_index = 0, 0, position * 7
        while made < wanted:
            street = STREET_NAMES[street_index % len(STREET_NAMES)]
            if street_index >= len(STREET_NAMES):
                street = f"{street} {street_index // len(STREET_NAMES) + 1}"
            town, postcode = rng.choice(TOWNS), _postcode(rng)
            for house in range(1, rng.randint(20, 120)):
                if made >= wanted:
                    break
                if rng.random() < 0.1:
                    lines = (f"Flat {rng.randint(1, 12)}, {rng.choice(BUILDINGS)}", f"{house} {street}", town)
                else:
                    lines = (f"{house} {street}", town)
                surname = rng.choice(SURNAMES)
                for _ in range(min(rng.choice((1, 1, 2, 2, 2, 3, 4)), wanted - made)):
                    number += 1
                    made += 1
                    markers = rng.choice(MARKERS)
                    if rng.random() < 0.0005:
                        yield Elector(pd, number, 0, "", "", (), "", markers="N")
                        continue
                    family = surname if rng.random() < 0.8 else rng.choice(SURNAMES)
                    last, first, title = _person(rng, family)
                    dob = dt.date(2008, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.01 else None
                    yield Elector(pd, number, 0, last, first, lines, postcode, markers, dob, title)
            street_index += 1


# Layouts ----------------------------------------------------------------------------------------------------

LAYOUTS = {
    layout.key: layout
    for layout in (XPRESS_13, XPRESS_14, XPRESS_UPDATE, IDOX, HALAROSE, HALAROSE_PP50, HALAROSE_ROLLNO)
}
XPRESS_CHANGE = {"add": (1, 0, 0), "amend": (0, 1, 0), "delete": (0, 0, 1), "skip": (1, 0, 1)}
CODES = {
    "idox": {"add": "+Nov", "delete": "-Nov", "amend": "=Nov", "skip": ""},
    "halarose": {"add": "A", "delete": "D", "amend": "M"},
    "halarose-pp50": {"add": "A", "delete": "D", "amend": "M"},
}


def _fields(elector: Elector, layout_key: str, change: str | None) -> dict[str, str]:
    dob = elector.dob.strftime("%d/%m/%Y") if elector.dob else ""
    layout = LAYOUTS[layout_key]
    number = str(elector.number)
    if "suffix" not in layout.headers:  # the suffix is written in the number's cell
        number = f"{elector.number}.{elector.suffix:03d}" if layout_key == "halarose-rollno" else number
        number += f"/{elector.suffix}" if elector.suffix and layout_key != "halarose-rollno" else ""
    values = {
        "reference": elector.reference,
        "pd": elector.pd,
        "number": number,
        "name_suffix": "",
        "initials": "".join(word[0] for word in elector.forenames.split()),
        "middle_names": "",
        "suffix": str(elector.suffix),
        "markers": elector.markers,
        "dob": dob,
        "title": elector.title,
        "surname": elector.surname,
        "forenames": elector.forenames,
        "name": f"{elector.surname} {elector.forenames}".strip(),
        "postcode": elector.postcode,
        "opt_out": "Y" if "Z" in elector.markers else "N",
        "change": "",
    }
    if change is not None:
        if layout_key.startswith("xpress"):
            # Xpress's own update writes month numbers, 0 for "not this month".
            month, not_this_month = ("11", "0") if layout_key == "xpress-update" else ("2026-11", "")
            flags = XPRESS_CHANGE[change]
            for name, flag in zip(("created_month", "changed_month", "deleted_month"), flags, strict=True):
                values[name] = month if flag else not_this_month
        else:
            values["change"] = CODES[layout_key][change]
    return values


def _header(layout, update: bool) -> list[str]:
    return [name for name in layout.headers if update or not (name == "change" or name.endswith("_month"))]


def _rows(layout_key: str, items: Iterable[tuple[str | None, Elector]], update: bool) -> Iterator[list[str]]:
    layout = LAYOUTS[layout_key]
    names = _header(layout, update)
    yield [layout.header(name) for name in names] + list(layout.address_headers)
    width = len(layout.address_headers)
    for change, elector in items:
        values = _fields(elector, layout_key, change)
        address = list(elector.address)
        if layout_key.startswith("xpress") and elector.postcode and len(address) < width:
            address.append(elector.postcode)  # Xpress repeats the postcode in the last address line
        yield [values[name] for name in names] + (address + [""] * width)[:width]


def _write(rows: Iterable[list[str]], out: BinaryIO, *, dirty: bool, encoding: str = "utf-8") -> None:
    if dirty and encoding == "utf-8":
        out.write(b"\xef\xbb\xbf")
    text = io.TextIOWrapper(out, encoding=encoding, errors="replace", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\r\n" if dirty else "\n")
    for position, row in enumerate(rows):
        writer.writerow(row)
        if dirty and position % 97 == 1:
            text.write("\r\n")
    text.flush()
    text.detach()


def write_register(
    items: Iterable[Elector],
    out: BinaryIO,
    *,
    layout: str = "xpress13",
    dirty: bool = False,
    encoding: str = "utf-8",
) -> None:
    """`dirty`: a BOM (in UTF-8), Windows line endings and blank lines; `encoding="cp1252"` as Excel saves."""
    rows = _rows(layout, ((None, e) for e in items), update=False)
    _write(rows, out, dirty=dirty, encoding=encoding)


def write_update(
    changes: Iterable[tuple[str, Elector]],
    out: BinaryIO,
    *,
    layout: str = "xpress13",
    dirty: bool = False,
    encoding: str = "utf-8",
) -> None:
    _write(_rows(layout, changes, update=True), out, dirty=dirty, encoding=encoding)


def register_bytes(items: Iterable[Elector], **options) -> bytes:
    out = io.BytesIO()
    write_register(items, out, **options)
    return out.getvalue()


def update_bytes(changes: Iterable[tuple[str, Elector]], **options) -> bytes:
    out = io.BytesIO()
    write_update(changes, out, **options)
    return out.getvalue()


# Changes over time ------------------------------------------------------------------------------------------


def monthly_changes(
    register: Sequence[Elector], *, seed: int = 2, adds: int = 0, amends: int = 0, deletes: int = 0, skips: int = 0
) -> list[tuple[str, Elector]]:
    """A month's changes to `register`: new electors take the next suffix at an existing address."""
    rng = random.Random(seed)
    named = [e for e in register if e.surname]
    chosen = rng.sample(named, amends + deletes)
    changes = [("delete", e) for e in chosen[:deletes]]
    for elector in chosen[deletes:]:
        changes.append(("amend", replace(elector, surname=rng.choice(SURNAMES), markers=rng.choice(MARKERS))))
    used = {(e.pd, e.number, e.suffix) for e in register}
    for _ in range(adds + skips):
        home = rng.choice(named)
        suffix = 1
        while (home.pd, home.number, suffix) in used:
            suffix += 1
        used.add((home.pd, home.number, suffix))
        last, first, title = _person(rng, rng.choice(SURNAMES))
        newcomer = replace(home, suffix=suffix, surname=last, forenames=first, title=title, markers="", dob=None)
        changes.append(("add", newcomer))
    for position in range(adds, adds + skips):
        changes[deletes + amends + position] = ("skip", changes[deletes + amends + position][1])
    return changes


def renumbered(register: Sequence[Elector], *, seed: int = 3, leavers: int = 0, joiners: int = 0) -> list[Elector]:
    """The register republished after the annual canvass: some leave, some join, everyone renumbered."""
    rng = random.Random(seed)
    gone = set(rng.sample(range(len(register)), leavers))
    kept = [e for i, e in enumerate(register) if i not in gone]
    for _ in range(joiners):
        home = rng.choice([e for e in kept if e.surname])
        last, first, title = _person(rng, rng.choice(SURNAMES))
        kept.insert(kept.index(home) + 1, replace(home, surname=last, forenames=first, title=title, suffix=0))
    numbers: dict[str, int] = {}
    result = []
    for elector in kept:
        numbers[elector.pd] = numbers.get(elector.pd, 0) + 1
        result.append(replace(elector, number=numbers[elector.pd], suffix=0))
    return result


# Absent voters and marked registers -------------------------------------------------------------------------


def keyed_list_bytes(kind: str, rows: Iterable[tuple[Elector, str]], *, supplier: str = "xpress") -> bytes:
    """A file keyed by elector number: an absent voters list (`kind="absent"`, P or X for each elector) or a
    marked register (`kind="marked"`, v, x or blank), in the supplier's layout."""
    layout = next(layout for layout in LAYOUTS_BY_KIND[kind] if layout.key.startswith(supplier))

    def lines():
        yield list(layout.headers.values())
        for elector, value in rows:
            yield [elector.pd, str(elector.number), str(elector.suffix), value]

    out = io.BytesIO()
    _write(lines(), out, dirty=False)
    return out.getvalue()
