"""What an elector may vote in, from the register's franchise markers (see DOMAIN.md). Who counts as a council
elector is `canvass.rules.COUNCIL_ELECTOR`, built on these markers."""

import functools

from django.db import models

# Markers that take away one of the two franchises this campaign cares about.
WESTMINSTER_ONLY_MARKERS = frozenset("F")  # overseas electors
LOCAL_ONLY_MARKERS = frozenset("GBL")  # EU citizens, EU citizens with retained rights, peers
ANONYMOUS_MARKER = "N"
OPEN_REGISTER_OPT_OUT_MARKER = "Z"


class Franchise(models.TextChoices):
    ALL = "all", "Council and parliamentary"
    LOCAL_ONLY = "local", "Council elections only"
    WESTMINSTER_ONLY = "westminster", "Parliamentary elections only"


@functools.lru_cache(maxsize=256)  # a register has a handful of distinct markers; a walk list asks per voter
def franchise_for_markers(markers: str) -> Franchise:
    flags = set(markers.upper())
    if flags & WESTMINSTER_ONLY_MARKERS:
        return Franchise.WESTMINSTER_ONLY
    if flags & LOCAL_ONLY_MARKERS:
        return Franchise.LOCAL_ONLY
    return Franchise.ALL
