"""Admin for the register and the canvass. Big tables: autocomplete for every foreign key,
select_related for every column shown, and no full-table COUNT on unfiltered pages."""

import json

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils import timezone

from canvass.admin_paginator import EstimatedCountPaginator
from canvass.models import AuditAction, ContactRecord, Household, Profile, RefusedSyncItem, TurnoutRecord, Voter
from canvass.models.contacts import ANSWER_FIELDS
from canvass.services.audit import audit_record


class StoredSplitDateTime(AdminSplitDateTime):
    """Shows a time local time cannot hold (year 1 before London's offset) in UTC instead of failing."""

    def decompress(self, value):
        try:
            return super().decompress(value)
        except OverflowError:
            return [value.date(), value.time()]


def shown_time(value) -> str:
    try:
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    except OverflowError:
        return f"{value:%Y-%m-%d %H:%M} UTC"


# Stored rows from before validation bounded their times must not break an admin page.
STORED_TIMES = {models.DateTimeField: {"widget": StoredSplitDateTime}}

# What an inline's rows are, in the audit trail.
INLINE_RESOURCES = {Voter: "voter", ContactRecord: "contact_record", TurnoutRecord: "turnout_record"}


def _audit(request, action: str, resource: str, ids) -> None:
    audit_record(
        user=request.user,
        action=action,
        resource=resource,
        object_ids=ids,
        request_id=getattr(request, "request_id", ""),
    )


class PersonalDataAuditMixin:
    """Admins listing or opening voters' records leave the same audit trail as the API and pages do:
    the change list, the change page and the rows its inlines show, the history and the delete
    confirmation (both name the record) and the autocomplete answers (AuditedAutocompleteJsonView)."""

    audit_resource = ""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            ids = [row.pk for row in changelist.result_list]
            _audit(request, AuditAction.LIST, self.audit_resource, ids)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and str(object_id).isdigit():
            _audit(request, AuditAction.VIEW, self.audit_resource, [object_id])
            self._audit_inline_rows(request, response)
        return response

    def _audit_inline_rows(self, request, response) -> None:
        for inline in getattr(response, "context_data", {}).get("inline_admin_formsets", []):
            resource = INLINE_RESOURCES.get(inline.opts.model)
            ids = [form.instance.pk for form in inline.formset.initial_forms if form.instance.pk]
            if resource and ids:
                _audit(request, AuditAction.LIST, resource, ids)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200 and str(object_id).isdigit():
            _audit(request, AuditAction.VIEW, self.audit_resource, [object_id])
        return response

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        if request.method == "GET" and response.status_code == 200 and str(object_id).isdigit():
            _audit(request, AuditAction.VIEW, self.audit_resource, [object_id])
        return response


class AuditedAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete answers name voters and addresses: audited like a list of the model they come from."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        resource = getattr(self.model_admin, "audit_resource", "")
        if resource and response.status_code == 200:
            results = json.loads(response.content)["results"]
            ids = [int(row["id"]) for row in results if str(row["id"]).isdigit()]
            _audit(request, AuditAction.LIST, resource, ids)
        return response


admin.site.autocomplete_view = lambda request: AuditedAutocompleteJsonView.as_view(admin_site=admin.site)(request)


class BigTableAdmin(PersonalDataAuditMixin, admin.ModelAdmin):
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    # Newest first walks the primary key index; users can still sort by any column.
    ordering = ["-pk"]


class VoterInline(admin.TabularInline):
    model = Voter
    extra = 0
    fields = ["polling_district", "elector_number", "elector_suffix", "surname", "forenames", "markers", "on_register"]
    autocomplete_fields = ["polling_district"]
    show_change_link = True


class ContactRecordInline(admin.TabularInline):
    model = ContactRecord
    fk_name = "voter"
    extra = 0
    formfield_overrides = STORED_TIMES
    fields = [
        "contacted_at",
        "channel",
        "outcome",
        *ANSWER_FIELDS,
        "volunteer",
    ]
    autocomplete_fields = ["local_party", "national_party", "volunteer"]
    show_change_link = True
    ordering = ["-contacted_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("local_party", "national_party", "volunteer")


class TurnoutInline(admin.TabularInline):
    """Turnout history from marked registers: read-only, it is what the council published."""

    model = TurnoutRecord
    extra = 0
    fields = ["election_date", "method", "source"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(BigTableAdmin):
    audit_resource = "household"
    list_display = ["__str__", "street", "house_number", "postcode", "polling_district", "village"]
    list_filter = ["polling_district__ward__zone", "polling_district__ward", "village"]
    list_select_related = ["polling_district", "village"]
    search_fields = ["street", "=postcode", "address"]
    autocomplete_fields = ["polling_district", "village"]
    readonly_fields = ["house_number_parity"]
    inlines = [VoterInline]


@admin.register(Voter)
class VoterAdmin(BigTableAdmin):
    audit_resource = "voter"
    list_display = [
        "reference",
        "surname",
        "forenames",
        "household",
        "markers",
        "franchise_display",
        "is_postal_voter",
        "do_not_contact",
        "on_register",
    ]
    list_filter = [
        "polling_district__ward__zone",
        "polling_district__ward",
        "household__village",
        "on_register",
        "do_not_contact",
        "is_postal_voter",
        "is_proxy_voter",
    ]
    list_select_related = ["polling_district", "household"]
    search_fields = ["surname", "forenames"]
    autocomplete_fields = ["polling_district", "household"]
    inlines = [ContactRecordInline, TurnoutInline]

    @admin.display(description="franchise")
    def franchise_display(self, voter):
        return voter.franchise.label

    def get_search_results(self, request, queryset, search_term):
        """An elector reference such as `PO1-124` or `PO1-124/1` finds that elector."""
        prefix, dash, number = search_term.strip().upper().partition("-")
        number, _, suffix = number.partition("/")
        if dash and number.isdecimal() and (not suffix or suffix.isdecimal()):
            return queryset.filter(
                polling_district__code=prefix, elector_number=int(number), elector_suffix=int(suffix or 0)
            ), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(ContactRecord)
class ContactRecordAdmin(BigTableAdmin):
    audit_resource = "contact_record"
    formfield_overrides = STORED_TIMES
    list_display = [
        "contacted_when",
        "voter",
        "ward",
        "channel",
        "outcome",
        *ANSWER_FIELDS,
        "volunteer",
    ]
    list_filter = [
        "ward__zone",
        "ward",
        "outcome",
        "local_intention",
        "national_intention",
        "channel",
        "likelihood",
        "voter_was_off_register",
    ]
    list_select_related = ["voter__polling_district", "ward", "local_party", "national_party", "volunteer"]
    search_fields = ["=client_uuid", "voter__surname"]
    autocomplete_fields = ["voter", "household", "ward", "volunteer", "local_party", "national_party"]
    readonly_fields = ["client_uuid", "recorded_at"]
    ordering = ["-contacted_at", "-pk"]

    @admin.display(description="contacted at", ordering="contacted_at")
    def contacted_when(self, record):
        return shown_time(record.contacted_at)


@admin.register(RefusedSyncItem)
class RefusedSyncItemAdmin(PersonalDataAuditMixin, admin.ModelAdmin):
    """Sync items the server refused (canvass.services.refusals): read-only, scoped and audited like the
    organiser's page (/campaign/refused-contacts/)."""

    audit_resource = "refused_sync_item"
    list_display = ["last_refused_at", "username", "ward", "status", "client_uuid", "times"]
    list_filter = ["status", "ward"]
    list_select_related = ["ward"]
    readonly_fields = [
        "volunteer",
        "username",
        "ward",
        "client_uuid",
        "status",
        "errors",
        "item",
        "refused_at",
        "last_refused_at",
        "times",
    ]
    exclude = ["fingerprint"]
    date_hierarchy = "last_refused_at"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "may_advance_rollout"]
    list_filter = ["role", "may_advance_rollout", "wards"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "wards"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["wards"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class CampaignUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "is_staff", "role"]
    list_select_related = ["profile"]
    list_filter = ["profile__role", "is_staff", "is_superuser", "is_active"]

    @admin.display(description="role", ordering="profile__role")
    def role(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"
