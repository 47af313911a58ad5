"""PostgreSQL loads the staged rows with COPY; the portable path must give exactly the same register."""

import pytest

from canvass.models import Household, Voter
from canvass.register import generator, staging
from canvass.register.services import register_import
from tests.register.conftest import XPRESS_HEADER, csv_bytes

pytestmark = pytest.mark.postgres


def _snapshot():
    voters = Voter.objects.values_list(
        "polling_district__code",
        "elector_number",
        "elector_suffix",
        "surname",
        "forenames",
        "markers",
        "attainer_date",
        "household__address_key",
        "on_register",
    )
    households = Household.objects.values_list(
        "polling_district__code", "address", "postcode", "street", "house_number", "address_key"
    )
    return sorted(voters), sorted(households)


def test_copy_and_portable_paths_give_the_same_voters_and_households(council, register, monkeypatch):
    data = generator.register_bytes(register, dirty=True, layout="xpress14")
    register_import(file=data, council=council)
    with_copy = _snapshot()
    Voter.objects.all().delete()
    Household.objects.all().delete()
    monkeypatch.setattr(staging, "USE_COPY", False)

    register_import(file=data, council=council)

    assert _snapshot() == with_copy


def test_copy_keeps_backslashes_tabs_and_quotes_in_names_and_addresses(council):
    data = csv_bytes(XPRESS_HEADER, 'AB1,1,0,,,O\'NEIL Ann\\Marie,RG21 7AB,"1 Foo\tRoad, ""The Barn""",,,,,')

    register_import(file=data, council=council)

    voter = Voter.objects.select_related("household").get()
    assert voter.forenames == "Ann\\Marie"
    assert voter.household.address == '1 Foo\tRoad, "The Barn"'


def test_progress_reports_may_use_the_database_while_rows_are_copied(council, register, monkeypatch):
    # The database cache writes progress through the import's own connection: never in the middle of a COPY.
    from django.db import connection

    from canvass.register import services

    monkeypatch.setattr(services, "PROGRESS_EVERY", 7)
    monkeypatch.setattr(staging, "COPY_BATCH", 20)
    seen = []

    def progress(rows):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s", [rows])
            seen.append(cursor.fetchone()[0])

    report = register_import(file=generator.register_bytes(register), council=council, progress=progress)

    assert report.applied
    assert seen[:3] == [7, 14, 21]
    assert Voter.objects.count() == len(register)


def test_an_address_line_that_is_copys_end_marker_is_kept(council):
    # `\.` alone on a line ends COPY's input unless it is inside a quoted CSV cell, as a multi-line address is.
    data = csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH Ann,RG21 7AB,1 Foo Road,\\.,Basingstoke,,,")

    register_import(file=data, council=council)

    assert Voter.objects.select_related("household").get().household.address == "1 Foo Road\n\\.\nBasingstoke"


def test_empty_text_is_stored_as_empty_not_null_and_no_date_as_null(council):
    data = csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH,RG21 7AB,1 Foo Road,,,,,")

    register_import(file=data, council=council)

    voter = Voter.objects.get()
    assert (voter.forenames, voter.markers, voter.attainer_date) == ("", "", None)
