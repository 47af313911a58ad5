"""Supplier layouts, recognised by their header row (never by column position).

Each layout maps the supplier's headers to our field names. Headers are compared normalised
(case, spaces and punctuation ignored), so `Elector Number Prefix` and `ELECTOR_NUMBER_PREFIX` match.
"""

import re
from dataclasses import dataclass, field


class LayoutError(ValueError):
    """The header row fits none of the supported layouts."""


def normalise_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


@dataclass(frozen=True)
class Layout:
    key: str
    label: str
    # Our field name -> the supplier's header, as written in their files.
    headers: dict[str, str]
    # Fields that may be absent from the header row (e.g. the update columns of a full register).
    optional: frozenset[str] = field(default_factory=frozenset)
    address_headers: tuple[str, ...] = ()

    @property
    def required_headers(self) -> list[str]:
        return [h for f, h in self.headers.items() if f not in self.optional] + list(self.address_headers)

    @property
    def all_headers(self) -> list[str]:
        return list(self.headers.values()) + list(self.address_headers)

    def matches(self, normalised: set[str]) -> bool:
        return all(normalise_header(h) in normalised for h in self.required_headers)


_XPRESS_COMMON = {
    "pd": "Elector Number Prefix",
    "number": "Elector Number",
    "suffix": "Elector Number Suffix",
    "markers": "Elector Markers",
    "dob": "Elector DOB",
}
_XPRESS_UPDATE = {
    "created_month": "ElectorCreatedMonth",
    "changed_month": "ElectorChangedMonth",
    "deleted_month": "ElectorDeletedMonth",
}
_XPRESS_ADDRESS = tuple(f"Address{i}" for i in range(1, 7))

XPRESS_14 = Layout(
    key="xpress14",
    label="Xpress (14 columns: surname and forename)",
    headers={**_XPRESS_COMMON, "surname": "Elector Surname", "forenames": "Elector Forename", "postcode": "PostCode"}
    | _XPRESS_UPDATE,
    optional=frozenset(_XPRESS_UPDATE),
    address_headers=_XPRESS_ADDRESS,
)
XPRESS_13 = Layout(
    key="xpress13",
    label="Xpress (13 columns: one name column)",
    headers={**_XPRESS_COMMON, "name": "Elector Name", "postcode": "PostCode"} | _XPRESS_UPDATE,
    optional=frozenset(_XPRESS_UPDATE),
    address_headers=_XPRESS_ADDRESS,
)
IDOX = Layout(
    key="idox",
    label="Idox",
    headers={
        "pd": "PD",
        "number": "ENO",
        "change": "Status",
        "title": "Title",
        "forenames": "First Names",
        "surname": "Surname",
        "suffix": "Suffix",
        "dob": "Date of Attainment",
        "markers": "Franchise Flag",
        "postcode": "Postcode",
        "opt_out": "Opt Out",
    },
    optional=frozenset({"change", "title", "opt_out"}),
    address_headers=tuple(f"Address {i}" for i in range(1, 10)),
)
HALAROSE = Layout(
    key="halarose",
    label="Halarose EROS",
    headers={
        "pd": "Polling District",
        "number": "Elector No",
        "suffix": "Elector No Suffix",
        "markers": "Franchise",
        "title": "Title",
        "forenames": "Forename",
        "surname": "Surname",
        "dob": "Attainment Date",
        "postcode": "Post Code",
        "change": "Update Type",
    },
    optional=frozenset({"change", "title"}),
    address_headers=tuple(f"Address Line {i}" for i in range(1, 7)),
)
# Order matters: the 14-column Xpress form is tried before the 13-column one.
REGISTER_LAYOUTS = (XPRESS_14, XPRESS_13, IDOX, HALAROSE)

# Absent voters lists and marked registers are keyed by elector number; suppliers name the key columns
# as in their register, plus one column for the vote type or the mark.
_KEY_HEADERS = {
    "xpress": ("Elector Number Prefix", "Elector Number", "Elector Number Suffix"),
    "idox": ("PD", "ENO", "Suffix"),
    "halarose": ("Polling District", "Elector No", "Elector No Suffix"),
}


def _keyed(kind: str, extra_field: str, extra_header: str) -> tuple[Layout, ...]:
    return tuple(
        Layout(
            key=f"{supplier}-{kind}",
            label=f"{supplier.title()} {kind.replace('_', ' ')}",
            headers={"pd": pd, "number": number, "suffix": suffix, extra_field: extra_header},
        )
        for supplier, (pd, number, suffix) in _KEY_HEADERS.items()
    )


ABSENT_LAYOUTS = _keyed("absent_voters", "absent_type", "Absent Type")
MARKED_LAYOUTS = _keyed("marked_register", "mark", "Mark")


@dataclass(frozen=True)
class ColumnMap:
    """Where each field sits in this particular file."""

    layout: Layout
    width: int
    index: dict[str, int]
    address: tuple[int, ...]
    header_names: tuple[str, ...]

    def column_name(self, field_name: str) -> str:
        return self.header_names[self.index[field_name]]

    def has(self, field_name: str) -> bool:
        return field_name in self.index


def detect_layout(header_row: list[str], layouts=REGISTER_LAYOUTS) -> ColumnMap:
    header_row = [h.strip() for h in header_row]
    positions: dict[str, int] = {}
    for position, header in enumerate(header_row):
        positions.setdefault(normalise_header(header), position)
    for layout in layouts:
        if layout.matches(set(positions)):
            index = {
                name: positions[normalise_header(h)]
                for name, h in layout.headers.items()
                if normalise_header(h) in positions
            }
            address = tuple(positions[normalise_header(h)] for h in layout.address_headers)
            return ColumnMap(layout, len(header_row), index, address, tuple(header_row))
    expected = "; ".join(f"{layout.label}: {', '.join(layout.required_headers)}" for layout in layouts)
    found = ", ".join(header_row[:20]) or "(nothing)"
    raise LayoutError(f"The header row matches no supported layout. Found: {found}. Expected one of — {expected}.")
