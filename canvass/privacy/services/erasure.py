"""Erasure of one person: irreversible, confirmed by typing their reference, recorded."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from canvass.models import ContactRecord, Household, Voter
from canvass.models.people import Role
from canvass.privacy.models import CarriedObjection, Erasure, Objection
from canvass.register.staging import name_key_sql
from canvass.scoping import role_of
from canvass.surveys.models import Answer

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
VOTER_BLANKS = {"title": "", "surname": "", "forenames": "", "name_key": "", "attainer_date": None}


class ErasureRefused(Exception):
    pass


def register_key(*, address_key: str, name_key: str) -> str:
    """A keyed digest of a normalised address and name, as the register import normalises them: it finds an
    erased person again in a later register without keeping their name. Keyed with SECRET_KEY, so nobody
    holding the register alone can compute it (a SECRET_KEY change makes the old keys match nobody)."""
    value = f"{address_key}\x1f{name_key}"
    return salted_hmac("canvass.privacy.register-key", value, algorithm="sha256").hexdigest()


def _voter_register_key(voter_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT h.address_key, {name_key_sql("v.surname", "v.forenames")}
            FROM {Voter._meta.db_table} v JOIN {Household._meta.db_table} h ON h.id = v.household_id
            WHERE v.id = %s""",
            [voter_id],
        )
        address_key, name_key = cursor.fetchone()
    return register_key(address_key=address_key, name_key=name_key)


def _objection_carry(voter: Voter) -> bool:
    """If the person had objected, keep the objection (who, when, how) under their register key, and drop the
    tombstone's own objection rows: nothing links the tombstone to the key."""
    objection = Objection.objects.active().filter(voter=voter).order_by("recorded_at").first()
    if objection is None and not voter.do_not_contact:
        return False
    CarriedObjection.objects.update_or_create(
        key=_voter_register_key(voter.pk),
        defaults={
            "source": objection.source if objection else Objection.Source.VOTER_REQUEST,
            "recorded_by": objection.recorded_by if objection else None,
            "recorded_at": objection.recorded_at if objection else (voter.do_not_contact_since or timezone.now()),
        },
    )
    Objection.objects.filter(voter=voter).delete()
    return True


def voter_tombstone(*, voter_ids, now) -> tuple[int, int]:
    """Blank the named fields of these voters and their contacts' free text; returns (voters, contacts)."""
    voters = Voter.objects.filter(pk__in=voter_ids).update(
        **VOTER_BLANKS, do_not_contact=True, do_not_contact_since=now
    )
    contacts = ContactRecord.objects.filter(voter_id__in=voter_ids).update(**CONTACT_BLANKS)
    Answer.objects.filter(contact__voter_id__in=voter_ids).delete()  # answers to the campaign's questions too
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
        carried = _objection_carry(voter)
        _, contacts = voter_tombstone(voter_ids=[voter.pk], now=now)
        counts = {"contacts_anonymised": contacts} | ({"objection_carried": 1} if carried else {})
        # Audit rows already hold ids and counts only (canvass.models.audit): they stay, naming no one.
        return Erasure.objects.create(voter=voter, erased_by=by, erased_at=now, counts=counts)
