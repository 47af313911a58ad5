from django.dispatch import receiver

from canvass.signals import contacts_recorded
from wards.tasks import recompute_ward_soon


@receiver(contacts_recorded, dispatch_uid="wards.recompute_after_contacts")
def recompute_after_contacts(sender, ward_ids=(), **kwargs):
    for ward_id in sorted(set(ward_ids)):
        recompute_ward_soon(ward_id)
