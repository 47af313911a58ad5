from django.contrib import admin
from django.db.models import Sum
from django.utils.html import format_html

from canvass.admin_audit import ReadOnlyAdmin
from wards.elections.services import council_cycle_set
from wards.models import Council, Party, PollingDistrict, Village, Ward, WardResult, ZoneOpening


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_code", "total_seats", "cycle", "majority", "seats_we_hold"]
    search_fields = ["name", "ons_code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(held=Sum("wards__seats_held"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "cycle" in form.changed_data:
            council_cycle_set(council=obj, cycle=obj.cycle)

    @admin.display(description="seats we hold", ordering="held")
    def seats_we_hold(self, council):
        return council.held or 0


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "swatch", "is_ours"]
    list_filter = ["is_ours"]
    search_fields = ["name", "code"]

    @admin.display(description="colour")
    def swatch(self, party):
        return format_html(
            '<span style="display:inline-block;width:1.5em;height:1em;background:{};border:1px solid #333"></span> {}',
            party.colour,
            party.colour,
        )


class PollingDistrictInline(admin.TabularInline):
    model = PollingDistrict
    extra = 0


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0


class WardResultInline(admin.TabularInline):
    model = WardResult
    extra = 0
    autocomplete_fields = ["party"]
    verbose_name_plural = "last election result"


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "zone",
        "rollout_order",
        "seats",
        "seats_held",
        "seats_up",
        "expected_turnout_percent",
        "council",
    ]
    list_editable = ["zone", "rollout_order"]
    list_filter = ["zone", "council"]
    list_select_related = ["council"]
    search_fields = ["name", "ons_code"]
    autocomplete_fields = ["council"]
    inlines = [PollingDistrictInline, VillageInline, WardResultInline]
    fieldsets = [
        (None, {"fields": ["council", "name", "ons_code", "seats"]}),
        ("Campaign", {"fields": ["zone", "rollout_order", "seats_held", "seats_up", "expected_turnout_percent"]}),
        (
            "Last election",
            {
                "fields": ["last_election_date", "last_turnout_votes"],
                "description": "Derived from the ward's election history: enter results as Contests, or import them.",
            },
        ),
    ]
    readonly_fields = ["last_election_date", "last_turnout_votes"]


@admin.register(PollingDistrict)
class PollingDistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "ward"]
    list_filter = ["ward__zone", "ward"]
    list_select_related = ["ward"]
    search_fields = ["code", "name", "ward__name"]
    autocomplete_fields = ["ward"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ward"]
    list_filter = ["kind", "ward__zone", "ward"]
    list_select_related = ["ward"]
    search_fields = ["name", "ward__name"]
    autocomplete_fields = ["ward"]


@admin.register(WardResult)
class WardResultAdmin(admin.ModelAdmin):
    list_display = ["ward", "party", "votes"]
    list_filter = ["party", "ward__zone"]
    list_select_related = ["ward", "party"]
    search_fields = ["ward__name", "party__name"]
    autocomplete_fields = ["ward", "party"]


@admin.register(ZoneOpening)
class ZoneOpeningAdmin(ReadOnlyAdmin):
    """The rollout's trail, read-only: who opened which zone of which council, and when."""

    list_display = ["at", "campaign", "from_zone", "to_zone", "username"]
    list_filter = ["to_zone", "campaign__council"]
    list_select_related = ["campaign__council"]
    readonly_fields = ["at", "campaign", "from_zone", "to_zone", "opened_by", "username"]


from wards.elections import admin as elections_admin  # noqa: E402, F401  (registers the elections admin)
