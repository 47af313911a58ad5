import pytest
from django.core.management import CommandError, call_command

from canvass.models import TurnoutRecord, Voter
from canvass.register import generator
from tests.register.conftest import XPRESS_HEADER, absent_voters_bytes, csv_bytes, marked_register_bytes

GOOD_ROW = "AB1,3,0,,,SMITH Al,RG21 7AB,3 Foo Road,,,,,"


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_register", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def register_file(tmp_path, register):
    path = tmp_path / "register.csv"
    path.write_bytes(generator.register_bytes(register, dirty=True))
    return path


def test_command_imports_a_full_register_and_prints_the_report(council, register, register_file):
    out = _run(str(register_file))

    lines = len(register) + 1 + 4  # the header, and the blank lines of a dirty file
    assert f"full register import of register.csv (Xpress (13 columns: one name column)): {lines} lines read, " in out
    assert f"{len(register)} rows parsed; applied." in out
    assert f"new: {len(register)}" in out
    assert Voter.objects.count() == len(register)


def test_command_dry_run_changes_nothing(council, register_file):
    out = _run(str(register_file), "--dry-run")

    assert "Dry run: nothing was changed." in out
    assert not Voter.objects.exists()


def test_command_with_rejected_rows_prints_them_and_fails(council, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(XPRESS_HEADER, "AB1,,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,"))

    with pytest.raises(CommandError, match="1 rows rejected: nothing was changed"):
        _run(str(path))


def test_command_accepting_skipped_rows_applies_the_rest(council, tmp_path):
    path = tmp_path / "bad.csv"
    rows = ["AB1,,0,,,SMITH Jo,RG21 7AB,2 Foo Road,,,,,", "AB1,3,0,,,SMITH Al,RG21 7AB,3 Foo Road,,,,,"]
    path.write_bytes(csv_bytes(XPRESS_HEADER, *rows))

    out = _run(str(path), "--accept-skipped-rows")

    assert "line 2, column Elector Number: missing elector number" in out
    assert Voter.objects.count() == 1


def test_command_refuses_an_image_with_a_clear_error(council, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))

    with pytest.raises(CommandError, match="This file is a PNG image, not a CSV register"):
        _run(str(path))


def test_command_imports_updates_absent_voters_and_marked_registers(council, register, register_file, tmp_path):
    _run(str(register_file))
    update, absent, marked = tmp_path / "update.csv", tmp_path / "absent.csv", tmp_path / "marked.csv"
    update.write_bytes(generator.update_bytes(generator.monthly_changes(register, adds=2, deletes=1)))
    absent.write_bytes(absent_voters_bytes(register))
    marked.write_bytes(marked_register_bytes(register))

    assert "postal voters:" in _run(str(absent), "--kind", "absent")
    assert "voted in person:" in _run(str(marked), "--kind", "marked", "--election-date", "2024-05-02")
    assert "added: 2" in _run(str(update), "--kind", "update")
    assert TurnoutRecord.objects.exists()


def test_marked_register_without_an_election_date_is_refused(council, register_file):
    with pytest.raises(CommandError, match="--election-date is required"):
        _run(str(register_file), "--kind", "marked")


def test_command_refuses_an_update_given_as_a_full_register_naming_its_kind(council, register, tmp_path):
    path = tmp_path / "update.csv"
    path.write_bytes(generator.update_bytes(generator.monthly_changes(register, adds=2), layout="xpress-update"))

    with pytest.raises(CommandError, match=r"update.csv: This file looks like a monthly update"):
        _run(str(path))


def test_command_reports_an_open_quote_with_the_file_and_line(council, tmp_path):
    path = tmp_path / "quote.csv"
    path.write_bytes(csv_bytes(XPRESS_HEADER, 'AB1,1,0,,,SMITH Jo,RG21 7AB,"1 Foo Road,,,,,', GOOD_ROW))

    with pytest.raises(CommandError, match=r"quote.csv: Line 2: a quote"):
        _run(str(path))


def _nothing_to_change_update(tmp_path, council):
    from tests.register.test_supplier_files import XPRESS_UPDATE_HEADER, _xpress_update_row

    _run(
        str(
            _write(tmp_path / "register.csv", csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH John,RG21 7AB,3 Foo Road,,,,,"))
        )
    )
    row = _xpress_update_row("AB1-1", "John", "SMITH", 0, 0, 0)
    return _write(tmp_path / "update.csv", csv_bytes(XPRESS_UPDATE_HEADER, row))


def _write(path, data):
    path.write_bytes(data)
    return path


def test_command_refuses_an_update_that_changes_nothing_unless_confirmed(tmp_path, council):
    update = _nothing_to_change_update(tmp_path, council)

    with pytest.raises(CommandError, match="nothing in this update would change the register"):
        _run(str(update), "--kind", "update")


def test_command_confirms_an_update_that_changes_nothing_when_told_it_is_expected(tmp_path, council):
    update = _nothing_to_change_update(tmp_path, council)

    out = _run(str(update), "--kind", "update", "--confirm-nothing-to-change")

    assert "Confirmed: nothing in this update changes the register." in out
    assert Voter.objects.count() == 1
