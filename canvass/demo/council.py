"""The Basingstoke and Deane demo council, from DOMAIN.md. Zones are a guess organisers can edit."""

from dataclasses import dataclass

from wards.models import Zone

COUNCIL_NAME = "Basingstoke and Deane"
COUNCIL_ONS_CODE = "E07000084"
TOTAL_SEATS = 54


@dataclass(frozen=True)
class DemoParty:
    code: str
    name: str
    colour: str
    is_ours: bool = False


PARTIES = [
    DemoParty("LAB", "Labour", "#dc241f", is_ours=True),
    DemoParty("CON", "Conservative", "#0087dc"),
    DemoParty("LD", "Liberal Democrats", "#faa61a"),
    DemoParty("BDI", "Basingstoke & Deane Independents", "#6e3b8f"),
    DemoParty("IND", "Independent", "#8c8c8c"),
    DemoParty("GRN", "Green", "#02a95b"),
    DemoParty("WEP", "Women's Equality", "#0d8f8f"),
]


@dataclass(frozen=True)
class DemoWard:
    name: str
    zone: str
    district_prefix: str
    communities: tuple[tuple[str, str], ...]  # (name, kind)
    seats_held_by_us: int
    # Relative electorate: town wards are bigger than the rural ones.
    weight: float
    postcode_area: str


N, V = "neighbourhood", "village"
WARDS = [
    DemoWard("Popley", Zone.NORTH, "PO", (("Popley East", N), ("Popley West", N)), 3, 1.2, "RG24"),
    DemoWard("Norden", Zone.NORTH, "NO", (("Oakridge", N), ("Riverdene", N)), 3, 1.2, "RG21"),
    DemoWard("Chineham", Zone.NORTH, "CH", (("Chineham", N), ("Lychpit", N)), 0, 1.1, "RG24"),
    DemoWard("Winklebury & Manydown", Zone.NORTH, "WM", (("Winklebury", N), ("Manydown", N)), 1, 1.1, "RG23"),
    DemoWard(
        "Sherborne St John & Rooksdown", Zone.NORTH, "SR", (("Rooksdown", N), ("Sherborne St John", V)), 0, 1.0, "RG24"
    ),
    DemoWard("Brookvale & Kings Furlong", Zone.NORTH, "BK", (("Brookvale", N), ("Kings Furlong", N)), 2, 1.1, "RG21"),
    DemoWard(
        "Brighton Hill", Zone.SOUTH, "BH", (("Brighton Hill North", N), ("Brighton Hill South", N)), 0, 1.1, "RG22"
    ),
    DemoWard("South Ham", Zone.SOUTH, "SH", (("South Ham", N), ("Winton Square", N)), 2, 1.1, "RG22"),
    DemoWard("Kempshott & Buckskin", Zone.SOUTH, "KB", (("Kempshott", N), ("Buckskin", N)), 0, 1.1, "RG22"),
    DemoWard("Hatch Warren & Beggarwood", Zone.SOUTH, "HW", (("Hatch Warren", N), ("Beggarwood", N)), 0, 1.1, "RG22"),
    DemoWard("Eastrop & Grove", Zone.SOUTH, "EG", (("Eastrop", N), ("The Grove", N)), 0, 1.0, "RG21"),
    DemoWard("Basing & Upton Grey", Zone.VILLAGES, "BU", (("Old Basing", V), ("Upton Grey", V)), 0, 0.9, "RG24"),
    DemoWard("Bramley", Zone.VILLAGES, "BR", (("Bramley", V), ("Sherfield on Loddon", V)), 0, 0.8, "RG26"),
    DemoWard("Evingar", Zone.VILLAGES, "EV", (("Hannington", V), ("Ashmansworth", V)), 0, 0.8, "RG20"),
    DemoWard("Oakley & The Candovers", Zone.VILLAGES, "OC", (("Oakley", V), ("Preston Candover", V)), 0, 0.8, "RG23"),
    DemoWard("Tadley & Pamber", Zone.VILLAGES, "TP", (("Tadley", V), ("Pamber Heath", V)), 0, 0.9, "RG26"),
    DemoWard(
        "Tadley North, Kingsclere & Baughurst",
        Zone.VILLAGES,
        "TK",
        (("Kingsclere", V), ("Baughurst", V)),
        0,
        0.9,
        "RG26",
    ),
    DemoWard(
        "Whitchurch, Overton & Laverstoke", Zone.VILLAGES, "WO", (("Whitchurch", V), ("Overton", V)), 0, 0.9, "RG28"
    ),
]

# Support for each party by zone in the demo's canvass returns: strong north, weaker south, weakest villages.
LOCAL_SUPPORT_BY_ZONE = {
    Zone.NORTH: {"LAB": 42, "CON": 20, "LD": 12, "BDI": 12, "GRN": 6, "IND": 5, "WEP": 3},
    Zone.SOUTH: {"LAB": 26, "CON": 30, "LD": 18, "BDI": 14, "GRN": 6, "IND": 4, "WEP": 2},
    Zone.VILLAGES: {"LAB": 12, "CON": 40, "LD": 24, "BDI": 12, "GRN": 7, "IND": 4, "WEP": 1},
}

# "30% of those who vote for us locally would vote Tory nationally."
SPLIT_TICKET_SHARE = 0.30

DEMO_USERS = [
    # (username, password, role, wards by name, description printed for the newcomer)
    ("admin", "demo-admin-pass", "admin", (), "admin: everything, and the Django admin"),
    ("olivia", "demo-organiser-pass", "organiser", ("Popley", "Norden"), "organiser of Popley and Norden"),
    (
        "oscar",
        "demo-organiser-pass",
        "organiser",
        ("South Ham", "Brighton Hill"),
        "organiser of South Ham, Brighton Hill",
    ),
    ("vera", "demo-volunteer-pass", "volunteer", (), "volunteer canvassing in Popley"),
    ("victor", "demo-volunteer-pass", "volunteer", (), "volunteer canvassing in South Ham"),
]
