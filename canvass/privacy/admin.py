from django.contrib import admin, messages

from canvass.admin_audit import ReadOnlyAdmin
from canvass.privacy.models import Erasure, Objection, RetentionRun, SubjectAccessRequest
from canvass.privacy.services.objections import CannotWithdraw, objection_withdraw


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["id", "voter_id", "source", "recorded_by", "recorded_at", "flagged", "withdrawn_at", "withdrawn_by"]
    list_filter = ["source", "flagged", ("withdrawn_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recorded_by", "withdrawn_by"]
    actions = ["withdraw"]

    @admin.action(description="Reverse these volunteers' do-not-contact marks")
    def withdraw(self, request, queryset):
        done = 0
        for objection in queryset:
            try:
                objection_withdraw(objection=objection, by=request.user)
                done += 1
            except CannotWithdraw as error:
                messages.error(request, f"Objection {objection.pk}: {error}")
        messages.success(request, f"{done} mark{'s' if done != 1 else ''} reversed.")

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.is_staff  # the action only; rows stay as recorded


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["id", "voter_id", "erased_by", "erased_at", "counts"]
    list_select_related = ["erased_by"]


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "voter_id", "format", "produced_by", "produced_at"]
    list_select_related = ["produced_by"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "dry_run", "status", "started_at", "finished_at", "counts", "started_by"]
    list_filter = ["dry_run", "status"]
    list_select_related = ["started_by"]
