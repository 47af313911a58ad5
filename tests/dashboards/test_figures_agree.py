"""The ward page's figures agree with each other: electors, doors and promises counted one way."""

from django.urls import reverse

from canvass.models import ContactRecord, Outcome, Voter
from wards.models import Segment
from wards.services import ward_statistics_recompute
from wards.services.targets import target_lists_rebuild


def page(as_olivia, popley):
    return as_olivia.get(reverse("wards:ward", args=[popley.pk])).context


def test_the_places_electors_and_doors_add_up_to_the_header(campaign, as_olivia, popley):
    overseas = Voter.objects.filter(polling_district__ward=popley).first()
    overseas.markers = "F"  # on the register, not a council elector: in neither figure
    overseas.save()
    ward_statistics_recompute(ward_ids=[popley.pk])
    context = page(as_olivia, popley)
    districts = context["polling_districts"]
    assert sum(p.electors for p in districts) == context["stats"].electors
    assert sum(p.households for p in districts) == context["stats"].households


def test_promises_in_the_header_reconcile_with_the_promises_segment(campaign, as_olivia, popley):
    promised = ContactRecord.objects.filter(ward=popley, outcome=Outcome.SPOKE, likelihood=5).values("voter")
    refuser = Voter.objects.filter(id__in=promised).first()
    refuser.do_not_contact = True
    refuser.save()
    ward_statistics_recompute(ward_ids=[popley.pk])
    target_lists_rebuild(ward=popley)
    context = page(as_olivia, popley)
    listed = next(s.voters for s in context["segments"] if s.segment == Segment.PROMISE)
    promises = context["stats"].promises
    assert listed < promises
    assert context["promises_note"] == (
        f"{listed} in the promises segment; {promises - listed} do-not-contact or off the lists"
    )
