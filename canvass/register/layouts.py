"""Supplier layouts, recognised by their header row (never by column position).

Each layout maps the supplier's headers to our field names. Headers are compared normalised
(case, spaces and punctuation ignored), so `Elector Number Prefix`, `ELECTOR_NUMBER_PREFIX` and
`ElectorNumberPrefix` match. A field may accept several headers (`First Name` or `First Names`).
The layouts are those of the files parties really receive: see docs/register-import.md.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


class LayoutError(ValueError):
    """The header row fits none of the supported layouts."""


def normalise_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.replace("\xa0", " ").lower())


def _names(header: str | tuple[str, ...]) -> tuple[str, ...]:
    return (header,) if isinstance(header, str) else header


@dataclass(frozen=True)
class Layout:
    key: str
    label: str
    # Our field name -> the supplier's header (or its alternatives, the usual one first).
    headers: Mapping[str, str | tuple[str, ...]]
    # Fields that may be absent from the header row (e.g. the update columns of a full register).
    optional: frozenset[str] = field(default_factory=frozenset)
    # Address lines in order; the first is required, the others are read when the file has them.
    address_headers: tuple[str, ...] = ()
    # Headers that must be present although no field reads them: they tell this layout from a close one.
    marks: tuple[str, ...] = ()
    # Only monthly updates come in this layout.
    update_only: bool = False

    def header(self, field_name: str) -> str:
        return _names(self.headers[field_name])[0]

    @property
    def required_headers(self) -> list[str]:
        required = [self.header(f) for f in self.headers if f not in self.optional]
        return required + list(self.address_headers[:1]) + list(self.marks)

    def matches(self, normalised: set[str]) -> bool:
        fields_present = all(
            any(normalise_header(h) in normalised for h in _names(header))
            for name, header in self.headers.items()
            if name not in self.optional
        )
        others = list(self.address_headers[:1]) + list(self.marks)
        return fields_present and all(normalise_header(h) in normalised for h in others)


_XPRESS_COMMON = {
    "pd": "Elector Number Prefix",
    "number": "Elector Number",
    "suffix": "Elector Number Suffix",
    "markers": "Elector Markers",
    "dob": "Elector DOB",
}
_XPRESS_UPDATE: dict[str, str | tuple[str, ...]] = {
    "created_month": "ElectorCreatedMonth",
    "changed_month": "ElectorChangedMonth",
    "deleted_month": "ElectorDeletedMonth",
}
_XPRESS_ADDRESS = tuple(f"Address{i}" for i in range(1, 7))

# Xpress's own monthly update: the whole reference in one column (`ABC1-12/1`), property address columns,
# and month numbers in the month columns (0 or empty: not this month).
XPRESS_UPDATE = Layout(
    key="xpress-update",
    label="Xpress monthly update",
    headers=_XPRESS_UPDATE
    | {
        "reference": "ElectorNumber",
        "surname": "ElectorSurname",
        "forenames": "ElectorForename",
        "dob": "ElectorDOB",
        "markers": ("MarkersRegisterText", "ElectorMarkers"),
        "postcode": "PropertyPostCode",
    },
    optional=frozenset({"dob", "markers"}),
    address_headers=tuple(f"PropertyAddress{i}" for i in range(1, 6)),
    update_only=True,
)
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
# Halarose's other export: `RollNo` 5.000 is number 5, suffix 0.
HALAROSE_ROLLNO = Layout(
    key="halarose-rollno",
    label="Halarose EROS (PDCode / RollNo)",
    headers={
        "pd": "PDCode",
        "number": "RollNo",
        "title": "ElectorTitle",
        "surname": "ElectorSurname",
        "forenames": "ElectorForename",
        "middle_names": "ElectorMiddleName",
        "dob": "AttainersDOB",
        "markers": "FranchiseMarker",
        "postcode": "PostCode",
    },
    optional=frozenset({"title", "middle_names", "dob", "markers"}),
    address_headers=tuple(f"RegisteredAddress{i}" for i in range(1, 7)),
)
_PD_ENO: dict[str, str | tuple[str, ...]] = {
    "pd": "PD",
    "number": "ENO",
    "change": ("Status", "Status (A/D/M)"),  # one council's Idox export names the codes in the header
    "title": "Title",
    "surname": "Surname",
    "name_suffix": "Suffix",  # a name suffix ("Jnr"), not the elector number's
    "dob": "Date of Attainment",
    "markers": "Franchise Flag",
}
# Halarose EROS "pp50": nine address lines and an Initials column; its updates add Post Code, Register Code,
# Clerical Error and Opt Out Flag.
HALAROSE_PP50 = Layout(
    key="halarose-pp50",
    label="Halarose EROS (pp50)",
    headers=_PD_ENO
    | {
        "forenames": ("First Name", "First Names"),
        "initials": "Initials",
        "postcode": ("Postcode", "Post Code"),
        "opt_out": ("Opt Out Flag", "Opt Out"),
    },
    optional=frozenset({"change", "title", "name_suffix", "dob", "opt_out"}),
    address_headers=tuple(f"Address {i}" for i in range(1, 10)),
    marks=("Address 9",),
)
IDOX = Layout(
    key="idox",
    label="Idox",
    headers=_PD_ENO
    | {
        "forenames": ("First Names", "First Name"),
        "initials": "Initials",
        "postcode": ("Postcode", "Post Code"),
        "opt_out": ("Opt Out", "Opt Out Flag"),
    },
    optional=frozenset({"change", "title", "name_suffix", "dob", "initials", "opt_out"}),
    address_headers=tuple(f"Address {i}" for i in range(1, 10)),
)
HALAROSE = Layout(
    key="halarose",
    label="Halarose EROS (Polling District / Elector No)",
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
# Order matters: the most specific first (the 14-column Xpress form before the 13-column one, pp50 before Idox).
REGISTER_LAYOUTS = (XPRESS_UPDATE, XPRESS_14, XPRESS_13, HALAROSE_ROLLNO, HALAROSE_PP50, IDOX, HALAROSE)

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


# The postal and proxy lists councils send: `AV Type` (Postal / Proxy / Postal Proxy) and one `PD/ENO` column.
POSTAL_PROXY = Layout(
    key="postal-proxy",
    label="Postal and proxy list (AV Type, PD/ENO)",
    headers={"reference": ("PD/ENO", "Elector Number"), "absent_type": "AV Type"},
)
ABSENT_LAYOUTS = (POSTAL_PROXY, *_keyed("absent_voters", "absent_type", "Absent Type"))
MARKED_LAYOUTS = _keyed("marked_register", "mark", "Mark")
# What each kind of file reads (RegisterImport.Kind's values).
LAYOUTS_BY_KIND = {"full": REGISTER_LAYOUTS, "update": REGISTER_LAYOUTS, "absent": ABSENT_LAYOUTS}
LAYOUTS_BY_KIND["marked"] = MARKED_LAYOUTS
KIND_LABELS = {
    "full": "a full register",
    "update": "a monthly update",
    "absent": "an absent voters (postal and proxy) list",
    "marked": "a marked register",
}


@dataclass(frozen=True)
class ColumnMap:
    """Where each field sits in this particular file."""

    layout: Layout
    width: int
    index: dict[str, int]
    address: tuple[int, ...]
    header_names: tuple[str, ...]
    # Other columns of the same field, read when the field's own cell is empty: a pp50 update has both
    # `Postcode` and `Post Code` (one header once normalised), and either may be the one filled in.
    fallbacks: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def column_name(self, field_name: str) -> str:
        return self.header_names[self.index[field_name]]

    def has(self, field_name: str) -> bool:
        return field_name in self.index

    @property
    def has_update_columns(self) -> bool:
        return self.has("deleted_month") or self.has("change")

    @property
    def kind(self) -> str:
        """The kind of file this header says it is."""
        if self.has("absent_type"):
            return "absent"
        if self.has("mark"):
            return "marked"
        return "update" if self.layout.update_only or self.has("deleted_month") else "full"


def _positions(header_row: list[str]) -> dict[str, list[int]]:
    """Each normalised header and the columns that carry it (several when a header repeats)."""
    positions: dict[str, list[int]] = {}
    for position, header in enumerate(header_row):
        positions.setdefault(normalise_header(header), []).append(position)
    return positions


def column_map(header_row: list[str], layouts=REGISTER_LAYOUTS) -> ColumnMap | None:
    header_row = [h.replace("\xa0", " ").strip() for h in header_row]
    positions = _positions(header_row)
    for layout in layouts:
        if layout.matches(set(positions)):
            index, fallbacks = {}, {}
            for name, header in layout.headers.items():
                found = [p for h in dict.fromkeys(map(normalise_header, _names(header))) for p in positions.get(h, ())]
                if found:
                    index[name] = found[0]
                if len(found) > 1:
                    fallbacks[name] = tuple(found[1:])
            address = tuple(
                positions[normalise_header(h)][0] for h in layout.address_headers if normalise_header(h) in positions
            )
            return ColumnMap(layout, len(header_row), index, address, tuple(header_row), fallbacks)
    return None


def detect_layout(header_row: list[str], layouts=REGISTER_LAYOUTS) -> ColumnMap:
    found = column_map(header_row, layouts)
    if found is not None:
        return found
    expected = "; ".join(f"{layout.label}: {', '.join(layout.required_headers)}" for layout in layouts)
    seen = ", ".join(h.strip() for h in header_row[:20]) or "(nothing)"
    raise LayoutError(f"The header row matches no supported layout. Found: {seen}. Expected one of — {expected}.")


def detect_kind(header_row: list[str]) -> ColumnMap | None:
    """The layout of any kind this header fits: how a file chosen as the wrong kind is recognised.

    A column of votes (AV Type, Absent Type, Mark) decides first: an absent voters list or a marked register
    that also carries the register's names and addresses is that list, not a register."""
    for layouts in (ABSENT_LAYOUTS, MARKED_LAYOUTS, REGISTER_LAYOUTS):
        found = column_map(header_row, layouts)
        if found is not None:
            return found
    return None
