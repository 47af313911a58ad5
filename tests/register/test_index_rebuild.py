"""A whole-register load drops the register tables' indexes and foreign keys and builds them again once;
smaller loads keep them. Either way the schema after the import is exactly the one the migrations made."""

import pytest
from django.db import IntegrityError, connection, transaction

from canvass.models import Household, Voter
from canvass.register import apply, generator, rebuild
from canvass.register.services import register_import, register_update_apply

pytestmark = pytest.mark.postgres

TABLES = (Household._meta.db_table, Voter._meta.db_table)


class Crash(RuntimeError):
    pass


def _schema() -> list[tuple]:
    return sorted((s.kind, s.name, s.table, s.definition) for s in rebuild.secondary_structures(TABLES))


@pytest.fixture
def small_loads_rebuild(monkeypatch):
    """The tests' registers are small: let them count as whole-register loads."""
    monkeypatch.setattr(rebuild, "MIN_ROWS", 1)


def test_the_register_tables_have_their_indexes_and_foreign_keys_to_rebuild(db):
    kinds = {(s.table, s.constraint_type) for s in rebuild.secondary_structures(TABLES)}

    assert kinds == {(table, kind) for table in TABLES for kind in ("f", "i")} | {(TABLES[0], "u")}


def test_whole_register_load_leaves_the_schema_as_the_migrations_made_it(council, register, small_loads_rebuild):
    before = _schema()

    report = register_import(file=generator.register_bytes(register), council=council)

    assert report.indexes_rebuilt
    assert report.applied and Voter.objects.count() == len(register)
    assert _schema() == before


def test_rebuilt_foreign_keys_still_refuse_a_voter_without_a_household(council, register, small_loads_rebuild):
    register_import(file=generator.register_bytes(register), council=council)
    voter = Voter.objects.first()

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLES[1]} SET household_id = -1 WHERE id = %s", [voter.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_rebuilt_unique_reference_still_refuses_a_second_current_elector(council, register, small_loads_rebuild):
    register_import(file=generator.register_bytes(register), council=council)
    first, second = Voter.objects.order_by("id")[:2]

    with pytest.raises(IntegrityError), transaction.atomic():
        Voter.objects.filter(pk=second.pk).update(
            polling_district=first.polling_district, elector_number=first.elector_number, elector_suffix=0
        )


def test_failure_after_the_indexes_are_dropped_restores_them_with_the_rows(
    council, register, small_loads_rebuild, monkeypatch
):
    before = _schema()

    def crash(where):
        assert _schema() == []  # half-way: the indexes and foreign keys are gone
        raise Crash

    monkeypatch.setattr(apply, "voters_insert", crash)

    with pytest.raises(Crash):
        register_import(file=generator.register_bytes(register), council=council)

    assert _schema() == before
    assert not Household.objects.exists()


def test_a_register_small_beside_the_table_keeps_its_indexes(council, register, monkeypatch):
    register_import(file=generator.register_bytes(register), council=council)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLES[1]}")
    monkeypatch.setattr(rebuild, "MIN_ROWS", 1)
    one_district = [elector for elector in register if elector.pd == "CD1"][:20]

    report = register_import(file=generator.register_bytes(one_district), council=council)

    assert not report.indexes_rebuilt


def test_a_dry_run_never_takes_the_tables(council, register, small_loads_rebuild):
    report = register_import(file=generator.register_bytes(register), council=council, dry_run=True)

    assert not report.indexes_rebuilt
    assert not Voter.objects.exists()


def test_a_file_with_rejected_rows_never_takes_the_tables(council, register, small_loads_rebuild):
    data = generator.register_bytes(register) + b"ZZ9,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,\n"

    report = register_import(file=data, council=council)

    assert report.rejected_total == 1 and not report.applied
    assert not report.indexes_rebuilt


def test_monthly_updates_keep_the_indexes_in_place(council, register, small_loads_rebuild):
    register_import(file=generator.register_bytes(register), council=council)
    changes = generator.monthly_changes(register, seed=3, adds=5, amends=5, deletes=5)

    report = register_update_apply(file=generator.update_bytes(changes), council=council)

    assert report.applied and not report.indexes_rebuilt


def test_reimporting_an_unchanged_register_keeps_the_indexes(council, register, small_loads_rebuild):
    data = generator.register_bytes(register)
    register_import(file=data, council=council)

    report = register_import(file=data, council=council)

    assert report.counts["matched"] == len(register)
    assert not report.indexes_rebuilt


def test_the_annual_renumbering_rebuilds_them(council, register, small_loads_rebuild):
    register_import(file=generator.register_bytes(register), council=council)
    before = _schema()
    republished = generator.renumbered(register, seed=8, leavers=20, joiners=20)

    report = register_import(file=generator.register_bytes(republished), council=council)

    assert report.counts["renumbered"] > len(register) / 2
    assert report.indexes_rebuilt
    assert _schema() == before


def test_the_voters_are_inserted_after_the_new_households_are_analysed(
    council, register, small_loads_rebuild, monkeypatch
):
    # Without statistics for the households just created, the planner joins them as an empty table (a nested
    # loop): 150,000 electors took minutes. The rebuild analyses them again at the end, but that is too late.
    monkeypatch.setattr(apply, "ANALYZE_AFTER_NEW_HOUSEHOLDS", 1)
    seen = []
    insert = apply.voters_insert

    def voters_insert(where):
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Household._meta.db_table])
            seen.append(cursor.fetchone()[0])
        return insert(where)

    monkeypatch.setattr(apply, "voters_insert", voters_insert)

    report = register_import(file=generator.register_bytes(register), council=council)

    assert report.indexes_rebuilt
    assert seen == [Household.objects.count()]


def test_the_renumbering_rebuilds_the_voters_indexes_but_not_the_households(
    council, register, small_loads_rebuild, monkeypatch
):
    """It rewrites every voter but adds few doors: rebuilding the households' indexes would be wasted."""
    register_import(file=generator.register_bytes(register), council=council)
    before = _schema()
    rebuilt = []
    original = rebuild.indexes_rebuilt_after

    def indexes_rebuilt_after(models_, *, enabled):
        rebuilt.append([model._meta.db_table for model in models_])
        return original(models_, enabled=enabled)

    monkeypatch.setattr("canvass.register.services.indexes_rebuilt_after", indexes_rebuilt_after)
    monkeypatch.setattr(rebuild, "MIN_ROWS", 50)  # the 20 joiners are too few to count as a load of households

    report = register_import(
        file=generator.register_bytes(generator.renumbered(register, seed=8, leavers=20, joiners=20)),
        council=council,
    )

    assert report.indexes_rebuilt
    assert rebuilt == [[Voter._meta.db_table]]
    assert _schema() == before


def test_a_first_import_rebuilds_both_tables(council, register, small_loads_rebuild, monkeypatch):
    rebuilt = []
    original = rebuild.indexes_rebuilt_after

    def indexes_rebuilt_after(models_, *, enabled):
        rebuilt.append([model._meta.db_table for model in models_])
        return original(models_, enabled=enabled)

    monkeypatch.setattr("canvass.register.services.indexes_rebuilt_after", indexes_rebuilt_after)

    register_import(file=generator.register_bytes(register), council=council)

    assert rebuilt == [list(TABLES)]
