from django.utils import timezone

from canvass.models import Voter


def voter_do_not_contact_record(*, voter: Voter) -> Voter:
    """The voter asked for no contact: flag them now; walk lists and target lists read the flag live."""
    if not voter.do_not_contact:
        voter.do_not_contact = True
        voter.do_not_contact_since = timezone.now()
        voter.save(update_fields=["do_not_contact", "do_not_contact_since"])
    return voter
