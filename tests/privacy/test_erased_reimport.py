"""An erased person still on the council's register, at the next register import (docs/privacy.md, Erasure).

They come back as a new elector with no history; the tombstone never gets their name back; an objection they
had made comes back with them, found by a keyed digest of name and address rather than by a kept name."""

from dataclasses import replace

import pytest

from canvass.models import ContactRecord, Voter
from canvass.privacy.models import CarriedObjection, Objection
from canvass.privacy.services.erasure import voter_erase
from canvass.register import generator
from canvass.register.services import register_import, register_update_apply
from canvass.services.voters import voter_do_not_contact_record
from tests.factories import ContactRecordFactory, CouncilFactory, PollingDistrictFactory, WardFactory

DISTRICTS = ("HA1", "HA2")


@pytest.fixture
def council(db):
    council = CouncilFactory()
    ward = WardFactory(council=council, name="Hatch Warren")
    for code in DISTRICTS:
        PollingDistrictFactory(ward=ward, code=code)
    return council


@pytest.fixture
def register(council):
    electors = list(generator.electors(districts=DISTRICTS, count=40, seed=11))
    register_import(file=generator.register_bytes(electors), council=council)
    return electors


@pytest.fixture
def elector(register):
    return next(e for e in register if e.surname)


def _voter(elector) -> Voter:
    return Voter.objects.on_register().get(
        polling_district__code=elector.pd, elector_number=elector.number, elector_suffix=elector.suffix
    )


def _erase(voter, alice):
    ContactRecordFactory(voter=voter, notes="Lives with her sister")
    voter_erase(voter=voter, by=alice, confirmation=voter.reference)
    return Voter.objects.get(pk=voter.pk)


def test_the_next_full_register_brings_them_back_without_history(council, register, elector, alice):
    tombstone = _erase(_voter(elector), alice)

    report = register_import(file=generator.register_bytes(register), council=council)

    assert report.applied
    back = _voter(elector)
    assert back.pk != tombstone.pk and back.surname == elector.surname
    assert not ContactRecord.objects.filter(voter=back).exists()
    assert not back.do_not_contact  # they erased, they did not object: a register entry like any other
    tombstone.refresh_from_db()
    assert (tombstone.surname, tombstone.forenames, tombstone.on_register) == ("", "", False)
    assert ContactRecord.objects.filter(voter=tombstone).count() == 1
    assert Voter.objects.on_register().count() == len(register)  # the figures count the person once


def test_an_erased_persons_objection_comes_back_with_them(council, register, elector, alice, olivia):
    voter = _voter(elector)
    voter_do_not_contact_record(voter=voter, by=olivia)
    recorded_at = Objection.objects.get(voter=voter).recorded_at
    tombstone = _erase(voter, alice)
    assert not Objection.objects.filter(voter=tombstone).exists()  # nothing ties the tombstone to the key

    register_import(file=generator.register_bytes(register), council=council)

    back = _voter(elector)
    assert back.do_not_contact and not ContactRecord.objects.filter(voter=back).exists()
    objection = Objection.objects.active().get(voter=back)
    assert (objection.recorded_by, objection.recorded_at) == (olivia, recorded_at)
    assert not CarriedObjection.objects.exists()


def test_the_objection_follows_them_through_the_annual_renumbering(council, register, alice, olivia):
    republished = generator.renumbered(register, seed=5, leavers=3, joiners=3)
    same = {(e.surname, e.forenames, e.address): e for e in republished}
    elector, later = next(
        (e, same[(e.surname, e.forenames, e.address)])
        for e in register
        if e.surname and same.get((e.surname, e.forenames, e.address), e).number != e.number
    )
    voter = _voter(elector)
    voter_do_not_contact_record(voter=voter, by=olivia)
    _erase(voter, alice)

    register_import(file=generator.register_bytes(republished, layout="idox"), council=council)

    assert _voter(later).do_not_contact


def test_a_monthly_amendment_never_names_the_tombstone_again(council, register, elector, alice, olivia):
    voter = _voter(elector)
    voter_do_not_contact_record(voter=voter, by=olivia)
    tombstone = _erase(voter, alice)

    report = register_update_apply(
        file=generator.update_bytes([("amend", replace(elector, markers="E"))]), council=council
    )

    assert report.applied
    tombstone.refresh_from_db()
    assert (tombstone.surname, tombstone.on_register) == ("", False)
    back = _voter(elector)
    assert back.pk != tombstone.pk and back.surname == elector.surname and back.markers == "E"
    assert back.do_not_contact and Objection.objects.active().get(voter=back).recorded_by == olivia
    assert not ContactRecord.objects.filter(voter=back).exists()


def test_a_namesake_elsewhere_is_not_taken_for_the_erased_person(council, register, elector, alice, olivia):
    voter = _voter(elector)
    voter_do_not_contact_record(voter=voter, by=olivia)
    _erase(voter, alice)
    elsewhere = next(e for e in register if e.address != elector.address)
    namesake = replace(elsewhere, suffix=9, surname=elector.surname, forenames=elector.forenames)

    register_import(file=generator.register_bytes([*register, namesake]), council=council)

    assert not _voter(namesake).do_not_contact
    assert _voter(elector).do_not_contact
