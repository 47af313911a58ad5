from canvass.models import Voter
from canvass.models.people import Role
from canvass.scoping import role_of


def voter_do_not_contact_record(*, voter: Voter, by=None) -> Voter:
    """The voter asked for no contact: an objection recorded with who and when (canvass.privacy), and the flag
    walk lists and target lists read live. A volunteer's mark is rate-limited (TooManyMarks) and reversible by
    an organiser; an organiser's or admin's records the voter's own request."""
    from canvass.privacy.models import Objection
    from canvass.privacy.services.objections import objections_record

    source = Objection.Source.DOORSTEP if role_of(by) == Role.VOLUNTEER else Objection.Source.VOTER_REQUEST
    objections_record(voter_ids=[voter.pk], by=by, source=source, strict=True)
    voter.refresh_from_db(fields=["do_not_contact", "do_not_contact_since"])
    return voter
