from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def offline_days() -> int:
    """How long the phone keeps its offline copy without a sync (DOORSTEP_OFFLINE_MAX_DAYS)."""
    return settings.DOORSTEP_OFFLINE_MAX_DAYS
