from django.dispatch import Signal

# Sent once new contact records are committed, with `ward_ids`: the wards whose statistics and
# target lists they change. The statistics jobs listen; the senders need not know about them.
contacts_recorded = Signal()
