"""Erasure of one person: irreversible, confirmed by typing their reference, recorded."""

from django.db import transaction
from django.utils import timezone

from canvass.models import ContactRecord, Voter
from canvass.models.people import Role
from canvass.privacy.models import Erasure
from canvass.scoping import role_of

# What a contact keeps after erasure: only what aggregate figures read (outcome, intentions, likelihood).
CONTACT_BLANKS = {
    "notes": "",
    "issues": [],
    "wants_postal_vote": False,
    "will_take_poster": False,
    "wants_to_volunteer": False,
    "casework": False,
}
# The register entry as a tombstone: still counted in its district and household, franchise markers kept for
# the electorate figures, nothing that names the person.
VOTER_BLANKS = {"title": "", "surname": "", "forenames": "", "attainer_date": None}


class ErasureRefused(Exception):
    pass


def voter_tombstone(*, voter_ids, now) -> tuple[int, int]:
    """Blank the named fields of these voters and their contacts' free text; returns (voters, contacts)."""
    voters = Voter.objects.filter(pk__in=voter_ids).update(
        **VOTER_BLANKS, do_not_contact=True, do_not_contact_since=now
    )
    contacts = ContactRecord.objects.filter(voter_id__in=voter_ids).update(**CONTACT_BLANKS)
    return voters, contacts


def voter_erase(*, voter: Voter, by, confirmation: str) -> Erasure:
    """Erase one elector. `confirmation` must be their reference, typed by the admin."""
    if role_of(by) != Role.ADMIN:
        raise ErasureRefused("only an admin may erase a person")
    if confirmation.strip() != voter.reference:
        raise ErasureRefused(f"type the elector's reference ({voter.reference}) to confirm the erasure")
    with transaction.atomic():
        voter = Voter.objects.select_for_update().get(pk=voter.pk)
        if Erasure.objects.filter(voter=voter).exists():
            raise ErasureRefused(f"voter {voter.pk} has already been erased")
        now = timezone.now()
        _, contacts = voter_tombstone(voter_ids=[voter.pk], now=now)
        # Audit rows already hold ids and counts only (canvass.models.audit): they stay, naming no one.
        return Erasure.objects.create(
            voter=voter, erased_by=by, erased_at=now, counts={"contacts_anonymised": contacts}
        )
