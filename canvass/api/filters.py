"""Filters by id: a foreign key is filtered as a plain integer, never as a choice among rows.

django-filter's default for a foreign key is a ModelChoiceFilter, whose form field checks the id against
every row of the table: an id that does not exist answers 400, one outside the caller's scope 200 with
nothing, so the filter told anyone which ids exist, and its drop-down listed every row. Here an id is a
bounded integer; one outside the caller's scope, or that does not exist, simply matches nothing.
"""

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError as FormError
from django.db import models
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend, FilterSet
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

BIGINT_MAX = 2**63 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": BIGINT_MAX}


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class StrictBooleanField(forms.NullBooleanField):
    """true or false (or 1 or 0); anything else is an error, not silently 'no filter'."""

    widget = forms.TextInput  # the select widget turned anything it did not know into "no filter"

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise FormError("Give true or false.", code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, turned to UTC before it reaches the database: PostgreSQL refuses offsets beyond
    ±15:59 (a 500, before), and a time that has no UTC equivalent (year 1 with an offset) is a clear 400."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            raise FormError("This time is out of range.", code="invalid") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


ID_FILTER = {"filter_class": IdFilter}


class IdFilterSet(FilterSet):
    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: ID_FILTER,
        models.OneToOneField: ID_FILTER,
        models.ManyToManyField: ID_FILTER,
        models.ManyToOneRel: ID_FILTER,
        models.OneToOneRel: ID_FILTER,
        models.ManyToManyRel: ID_FILTER,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        models.DateTimeField: {"filter_class": UtcDateTimeFilter},
    }


class IdFilterBackend(DjangoFilterBackend):
    """`filterset_fields` on a view build an IdFilterSet; a query parameter given twice is an error (every
    parameter of this API takes one value), not one of them silently chosen."""

    filterset_base = IdFilterSet

    def filter_queryset(self, request, queryset, view):
        repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1)
        if repeated:
            raise ValidationError({name: ["Give this parameter once."] for name in repeated})
        filterset = self.get_filterset(request, queryset, view)
        # An empty id, time, choice or flag is a mistake, not "no filter" (an empty text filter is a text).
        typed = {name for name, field in (filterset.filters.items() if filterset else []) if not _is_text(field)}
        typed |= PAGING
        empty = sorted(name for name, value in request.query_params.items() if value == "" and name in typed)
        if empty:
            raise ValidationError({name: ["Give a value, or leave the parameter out."] for name in empty})
        return super().filter_queryset(request, queryset, view)


PAGING = {"page", "page_size", "cursor"}


def _is_text(filter_) -> bool:
    return isinstance(filter_, django_filters.CharFilter) and not isinstance(filter_, django_filters.ChoiceFilter)
