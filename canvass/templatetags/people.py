from django import template

from canvass.models.people import display_name as display_name_of

register = template.Library()


@register.filter
def display_name(user) -> str:
    """`{{ user|display_name }}`: full name, falling back to the username (canvass.models.people)."""
    return display_name_of(user)
