"""Contact history follows the person across spellings, moves with renumbering, and a change of supplier."""

import csv
import io

import pytest
from django.urls import reverse

from canvass.models import ContactRecord, RegisterImport, Voter
from canvass.register import generator
from canvass.register.services import (
    MatchNotConfirmable,
    register_import,
    register_import_job_run,
    register_match_confirm,
)
from tests.factories import ContactRecordFactory
from tests.register.conftest import XPRESS_HEADER, csv_bytes
from tests.register.test_supplier_files import PP50_HEADER


def _only_voter_on_register():
    return Voter.objects.get(on_register=True)


def test_accented_name_in_another_case_is_the_same_person(council):
    register_import(file=csv_bytes(XPRESS_HEADER, "AB1,1,0,,,Müller Jürgen,RG21 7AB,1 Foo Road,,,,,"), council=council)
    voter = Voter.objects.get()

    report = register_import(
        file=csv_bytes(XPRESS_HEADER, "AB1,4,0,,,MÜLLER JÜRGEN,RG21 7AB,1 Foo Road,,,,,"), council=council
    )

    assert (report.counts["matched"], report.counts["new"]) == (1, 0)
    assert _only_voter_on_register().pk == voter.pk


def test_accents_break_a_tie_between_namesakes_at_one_address(council):
    first = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,DUPONT René,RG21 7AB,1 Foo Road,,,,,",
        "AB1,2,0,,,DUPONT Rene,RG21 7AB,1 Foo Road,,,,,",
    )
    register_import(file=first, council=council)
    accented = Voter.objects.get(forenames="René").pk
    swapped = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,DUPONT Rene,RG21 7AB,1 Foo Road,,,,,",
        "AB1,2,0,,,DUPONT René,RG21 7AB,1 Foo Road,,,,,",
    )

    register_import(file=swapped, council=council)

    assert Voter.objects.get(pk=accented).elector_number == 2


def test_open_register_prefix_is_not_part_of_the_name(council):
    register_import(file=csv_bytes(XPRESS_HEADER, "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,"), council=council)
    voter = Voter.objects.get()

    report = register_import(
        file=csv_bytes(XPRESS_HEADER, "AB1,2,0,,,(z) SMITH John,RG21 7AB,1 Foo Road,,,,,"), council=council
    )

    assert report.counts["new"] == 0
    assert _only_voter_on_register().pk == voter.pk and "Z" in _only_voter_on_register().markers


def test_renumbered_mover_keeps_their_contacts(council):
    first = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,",
        "AB1,2,0,,,JONES Ann,RG21 7AB,2 Foo Road,,,,,",
    )
    register_import(file=first, council=council)
    mover = Voter.objects.get(surname="SMITH")
    ContactRecordFactory(voter=mover)
    republished = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,JONES Ann,RG21 7AB,2 Foo Road,,,,,",
        "AB1,2,0,,,SMITH John,RG21 8XY,44 New Street,,,,,",
    )

    report = register_import(file=republished, council=council)

    assert report.counts["matched by name alone (moved and renumbered)"] == 1
    assert report.counts["new"] == 0 and report.counts["gone"] == 0
    mover.refresh_from_db()
    assert (mover.on_register, mover.elector_number, mover.household.address) == (True, 2, "44 New Street")
    assert ContactRecord.objects.filter(voter=mover).count() == 1


def test_ambiguous_mover_is_listed_for_an_admin_and_not_guessed(council):
    first = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,",
        "AB1,2,0,,,SMITH John,RG21 7AB,9 Bar Lane,,,,,",
    )
    register_import(file=first, council=council)
    republished = csv_bytes(XPRESS_HEADER, "AB1,5,0,,,SMITH John,RG21 8XY,44 New Street,,,,,")

    report = register_import(file=republished, council=council)

    assert report.counts["ambiguous matches (an admin confirms)"] == 1
    assert report.samples["ambiguous matches"] == ["line 2 AB1-5: AB1-1 or AB1-2"]
    assert report.counts["new"] == 1 and report.counts["gone"] == 2


def test_the_same_people_from_another_supplier_match(council, register):
    named = [e for e in register if e.surname][:40]
    register_import(file=generator.register_bytes(named), council=council)
    before = set(Voter.objects.values_list("pk", flat=True))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for e in named:
        address = (list(e.address) + [""] * 9)[:9]
        writer.writerow(
            [e.pd, e.number + 100, e.title, e.forenames, "", e.surname, "", "", e.markers, *address, e.postcode]
        )
    pp50 = (PP50_HEADER + "\n" + out.getvalue()).encode()

    report = register_import(file=pp50, council=council)

    assert report.layout == "Halarose EROS (pp50)"
    assert (report.counts["matched"], report.counts["new"], report.counts["gone"]) == (len(named), 0, 0)
    assert set(Voter.objects.filter(on_register=True).values_list("pk", flat=True)) == before


def test_admin_confirms_an_ambiguous_match_and_the_history_follows(client, alice, council, eager_tasks):
    first = csv_bytes(
        XPRESS_HEADER,
        "AB1,1,0,,,SMITH John,RG21 7AB,1 Foo Road,,,,,",
        "AB1,2,0,,,SMITH John,RG21 7AB,9 Bar Lane,,,,,",
    )
    register_import(file=first, council=council)
    chosen = Voter.objects.get(elector_number=2)
    ContactRecordFactory(voter=chosen)
    data = csv_bytes(XPRESS_HEADER, "AB1,5,0,,,SMITH John,RG21 8XY,44 New Street,,,,,")
    job = RegisterImport.objects.create(council=council, file_name="december.csv", file_data=data)
    job = register_import_job_run(job_id=job.pk)
    client.force_login(alice)
    page_url = reverse("admin:canvass_registerimport_change", args=[job.pk])
    page = client.get(page_url).content.decode()
    assert f'name="match" value="2:{chosen.pk}"' in page and 'formaction="confirm-match/"' in page

    response = client.post(page_url + "confirm-match/", {"match": f"2:{chosen.pk}"})

    assert response.status_code == 302
    chosen.refresh_from_db()
    assert (chosen.on_register, chosen.elector_number, chosen.household.address) == (True, 5, "44 New Street")
    assert Voter.objects.filter(on_register=True).get() == chosen
    assert ContactRecord.objects.filter(voter=chosen).count() == 1
    job.refresh_from_db()
    assert job.report["to_confirm"][0]["confirmed"] == chosen.pk
    assert "AB1-2 (confirmed)" in client.get(page_url).content.decode()


def test_a_match_the_import_did_not_list_cannot_be_confirmed(council):
    job = RegisterImport.objects.create(
        council=council, file_name="x.csv", status=RegisterImport.Status.APPLIED, report={"to_confirm": []}
    )

    with pytest.raises(MatchNotConfirmable, match="line 2 of x.csv has no match waiting"):
        register_match_confirm(job=job, line=2, voter_id=1)
