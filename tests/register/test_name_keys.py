"""The name key a voter is paired by is stored on the voter: the same in Python and in SQL, kept in step with the
name by every write, and what a later register is matched on."""

import pytest
from django.db import connection

from canvass.models import Voter
from canvass.privacy.services.erasure import voter_tombstone
from canvass.register.names import name_key
from canvass.register.services import register_import
from canvass.register.staging import name_key_sql
from tests.factories import VoterFactory
from tests.register.conftest import XPRESS_HEADER, csv_bytes

NAMES = [
    ("SMITH", "John A"),
    ("O'NEIL", "Ann-Marie"),
    ("O’Neil", "Zoë"),
    ("Müller", "Jürgen"),
    ("DE LA CRUZ", "José (Pepe)"),
    ("Straße", "Øyvind"),
    ("", ""),
    ("Smith, Jnr.", "Ann/Marie"),
]


@pytest.mark.parametrize(("surname", "forenames"), NAMES)
def test_the_python_key_is_the_sql_key(db, surname, forenames):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {name_key_sql('n.surname', 'n.forenames')} FROM (SELECT %s AS surname, %s AS forenames) n",
            [surname, forenames],
        )
        assert cursor.fetchone()[0] == name_key(surname, forenames)


def test_punctuation_case_and_accents_are_folded():
    assert name_key("O'NEIL", "Ann-Marie") == name_key("oneil", "ANN MARIE") == "ONEILANNMARIE"
    assert name_key("Müller", "") == name_key("MULLER", "") == "MULLER"


def test_the_import_stores_the_key_of_every_voter(council):
    register_import(
        file=csv_bytes(XPRESS_HEADER, "AB1,1,0,,,O'NEIL Ann-Marie,RG21 7AB,1 Foo Road,,,,,"), council=council
    )

    assert Voter.objects.get().name_key == "ONEILANNMARIE"


def test_a_renamed_voter_is_paired_by_the_new_name(council):
    """An admin corrects a name: the key follows, so the next register pairs the voter by the name it prints."""
    register_import(file=csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMTIH John,RG21 7AB,1 Foo Road,,,,,"), council=council)
    voter = Voter.objects.get()
    voter.surname = "SMITH"
    voter.save(update_fields=["surname"])

    report = register_import(
        file=csv_bytes(XPRESS_HEADER, "AB1,7,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,"), council=council
    )

    assert Voter.objects.get(pk=voter.pk).name_key == "SMITHJOHN"
    assert (report.counts["matched"], report.counts["new"]) == (1, 0)
    assert Voter.objects.get(on_register=True).pk == voter.pk


def test_a_voter_a_later_register_adds_has_their_key(council):
    register_import(file=csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,"), council=council)

    register_import(
        file=csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH-JONES John,RG21 7AB,1 Foo Road,,,,,"), council=council
    )

    assert Voter.objects.get(on_register=True).name_key == "SMITHJONESJOHN"


def test_a_tombstone_keeps_no_name_key(db):
    voter = VoterFactory(surname="SMITH", forenames="John")
    assert voter.name_key == "SMITHJOHN"

    voter_tombstone(voter_ids=[voter.pk], now=None)

    assert Voter.objects.get(pk=voter.pk).name_key == ""
