from django.dispatch import receiver

from canvass.signals import contacts_recorded, register_changed
from wards.tasks import recompute_ward_soon, recompute_wards


@receiver(contacts_recorded, dispatch_uid="wards.recompute_after_contacts")
def recompute_after_contacts(sender, ward_ids=(), **kwargs):
    for ward_id in sorted(set(ward_ids)):
        recompute_ward_soon(ward_id)


# Named so the register import benchmark can time the import without the recompute it triggers.
AFTER_REGISTER_IMPORT = "wards.recompute_after_register_import"


@receiver(register_changed, dispatch_uid=AFTER_REGISTER_IMPORT)
def recompute_after_register_import(sender, ward_ids=(), **kwargs):
    if ward_ids:
        recompute_wards.delay(sorted(set(ward_ids)))
