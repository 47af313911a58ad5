from django.contrib import admin, messages

from wards.polling.models import KnockUpRound, PollingDay, PollingStation, TellerEntry
from wards.polling.services import PollingDayError, polling_station_merge


class PollingStationInline(admin.TabularInline):
    model = PollingStation
    extra = 0
    fields = ["name", "ward"]
    autocomplete_fields = ["ward"]
    show_change_link = True


@admin.register(PollingDay)
class PollingDayAdmin(admin.ModelAdmin):
    list_display = ["election_date", "election", "opens_at", "closes_at", "turnout_recorded_at"]
    list_select_related = ["election"]
    autocomplete_fields = ["election", "wards", "opened_by"]
    inlines = [PollingStationInline]
    search_fields = ["election_date"]


@admin.register(PollingStation)
class PollingStationAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "polling_day"]
    list_select_related = ["ward", "polling_day"]
    autocomplete_fields = ["polling_day", "ward", "districts", "tellers"]
    search_fields = ["name", "ward__name"]
    actions = ["merge_stations"]

    @admin.action(description="Merge the selected stations into one (several districts voting at one place)")
    def merge_stations(self, request, queryset):
        stations = list(queryset.order_by("id"))
        if len(stations) < 2:
            self.message_user(request, "Choose at least two stations to merge.", messages.WARNING)
            return
        try:
            merged = polling_station_merge(stations=stations, name=stations[0].name)
        except PollingDayError as error:
            self.message_user(request, f"Not merged: {error}.", messages.ERROR)
        else:
            self.message_user(request, f"Merged into “{merged.name}”.", messages.SUCCESS)


@admin.register(TellerEntry)
class TellerEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are what tellers typed and were told; undo happens on the teller's page."""

    list_display = ["typed", "outcome", "station", "entered_at", "undone_at"]
    list_filter = ["outcome"]
    list_select_related = ["station"]
    search_fields = ["=client_uuid"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(KnockUpRound)
class KnockUpRoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "polling_day", "assigned_to", "sent_out_at", "back_at"]
    list_select_related = ["ward", "polling_day", "assigned_to"]
    autocomplete_fields = ["polling_day", "ward", "assigned_to"]
