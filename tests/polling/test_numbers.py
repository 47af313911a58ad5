import pytest

from wards.polling.numbers import ElectorNumber, UnreadableNumber, number_parse


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("888", ElectorNumber(None, 888, 0)),
        ("888/8", ElectorNumber(None, 888, 8)),
        ("888.8", ElectorNumber(None, 888, 8)),
        ("PO1 888", ElectorNumber("PO1", 888, 0)),
        ("PO1-888/8", ElectorNumber("PO1", 888, 8)),
        ("po1-888", ElectorNumber("PO1", 888, 0)),
        ("  PO1 - 888 / 8 ", ElectorNumber("PO1", 888, 8)),
        ("PO1 888.8", ElectorNumber("PO1", 888, 8)),
    ],
)
def test_every_form_tellers_write_is_read(typed, expected):
    assert number_parse(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "abc", "888/", "88a", "PO1", "PO1 888 9", "-888", "1234567", "888/8/8"])
def test_unreadable_numbers_say_which_forms_are_accepted(typed):
    with pytest.raises(UnreadableNumber, match="888, 888/8, 888.8, PO1 888 or PO1-888/8"):
        number_parse(typed)
