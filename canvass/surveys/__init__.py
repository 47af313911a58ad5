"""The campaign's own survey questions and doorstep scripts.

A package of the canvass app (like canvass.walklists), not an app of its own: an answer belongs to a contact
record and travels in the contact's sync, so both live in one migration history and one transaction.
"""
