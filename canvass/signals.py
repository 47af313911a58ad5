from django.dispatch import Signal

# Sent once new contact records are committed, with `ward_ids`: the wards whose statistics and
# target lists they change. The statistics jobs listen; the senders need not know about them.
contacts_recorded = Signal()

# Sent once an applied register import (full register, update, absent voters or marked register) is
# committed, with `ward_ids`: the wards of the polling districts the file covered.
register_changed = Signal()
