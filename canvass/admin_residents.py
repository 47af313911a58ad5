"""New residents met at the door: organisers match each to an elector after the next register update."""

from django.contrib import admin
from django.utils import timezone

from canvass.models import NewResident


@admin.register(NewResident)
class NewResidentAdmin(admin.ModelAdmin):
    list_display = ["name", "household", "reported_by", "reported_at", "matched_voter"]
    list_filter = [("matched_voter", admin.EmptyFieldListFilter)]
    fields = ["name", "note", "household", "contact", "reported_by", "reported_at", "matched_voter", "matched_at"]
    readonly_fields = ["household", "contact", "reported_by", "reported_at", "matched_at"]
    raw_id_fields = ["matched_voter"]

    def has_add_permission(self, request):
        return False  # they come from the door only

    def save_model(self, request, obj, form, change):
        if "matched_voter" in form.changed_data:
            obj.matched_at = timezone.now() if obj.matched_voter_id else None
        super().save_model(request, obj, form, change)
