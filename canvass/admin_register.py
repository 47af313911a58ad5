"""Admin for register imports: upload a file, watch the Celery job's progress, read the report.

Registered from `CanvassConfig.ready()` so it lives beside the core models' admin, not inside it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import path

from canvass.models import RegisterImport
from canvass.register.kinds import KINDS
from canvass.register.reader import CsvRows, RegisterFileError, WrongKindError
from canvass.register.services import (
    MatchNotConfirmable,
    progress_key,
    register_match_confirm,
    register_no_change_confirm,
)
from canvass.register.tasks import register_import_job_queue, register_import_job_rerun


class RegisterUploadForm(forms.ModelForm):
    file = forms.FileField(help_text="The CSV file from the council's software (Xpress, Idox or Halarose EROS).")

    class Meta:
        model = RegisterImport
        fields = ["council", "kind", "election_date", "dry_run", "accept_skipped_rows"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == RegisterImport.Kind.MARKED and not data.get("election_date"):
            self.add_error("election_date", "A marked register needs the date of the election it marks.")
        upload = data.get("file")
        if upload and data.get("kind"):
            # Only the first bytes and the header row are read here: a wrong file is refused at once.
            try:
                CsvRows(upload.open("rb"), KINDS[data["kind"]].layouts, kind=data["kind"])
            except WrongKindError as error:
                # Propose the kind the header says: the form comes back with it chosen.
                self.data = self.data.copy()
                self.data["kind"] = error.kind
                proposed = RegisterImport.Kind(error.kind).label
                self.add_error(
                    "kind", f"{error} The kind is now set to “{proposed}”: choose the file again to import it."
                )
            except RegisterFileError as error:
                self.add_error("file", str(error))
            finally:
                upload.seek(0)
        return data


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    form = RegisterUploadForm
    list_display = ["id", "kind", "council", "file_name", "status", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind", "council"]
    actions = ["apply_accepting_skipped_rows", "confirm_nothing_to_change"]
    readonly_fields = [
        "council",
        "kind",
        "election_date",
        "dry_run",
        "accept_skipped_rows",
        "file_name",
        "file_size_shown",
        "status",
        "progress",
        "error",
        "report_table",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).without_file().select_related("council", "created_by")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        if obj:
            return self.readonly_fields
        return ["council", "kind", "election_date", "file", "dry_run", "accept_skipped_rows"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)  # an import is a record: view it only

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"]
        obj.file_name = upload.name[:255]
        obj.file_data = b"".join(upload.chunks())
        obj.created_by = request.user
        register_import_job_queue(job=obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "refresh_seconds": 2 if job and not job.is_finished else None}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        confirm = path(
            "<int:object_id>/change/confirm-match/",
            self.admin_site.admin_view(self.confirm_match_view),
            name="canvass_registerimport_confirm_match",
        )
        return [confirm, *super().get_urls()]

    def confirm_match_view(self, request, object_id):
        """A button of the report's "Matches to confirm": `line:voter id`."""
        job = self.get_object(request, str(object_id))
        back = redirect("admin:canvass_registerimport_change", object_id)
        # Confirming changes voters: it needs the permission to change imports, not only to view them.
        if request.method != "POST" or job is None or not self.has_change_permission(request):
            return back
        line, _, voter_id = request.POST.get("match", "").partition(":")
        try:
            voter = register_match_confirm(job=job, line=int(line), voter_id=int(voter_id))
        except (ValueError, MatchNotConfirmable) as error:
            self.message_user(request, f"Not confirmed: {error}.", messages.ERROR)
        else:
            self.message_user(
                request, f"Line {line} confirmed: voter {voter.pk} keeps their history.", messages.SUCCESS
            )
        return back

    @admin.display(description="file size")
    def file_size_shown(self, obj):
        return filesizeformat(obj.file_size)

    @admin.display(description="progress")
    def progress(self, obj):
        if obj.is_finished:
            return "Finished"
        rows = cache.get(progress_key(obj.pk))
        return f"{obj.get_status_display()}: {rows:,} rows read" if rows else obj.get_status_display()

    @admin.display(description="report")
    def report_table(self, obj):
        if not obj.report:
            return "-"
        return render_to_string("canvass/includes/_register_report.html", {"report": obj.report, "job": obj})

    @admin.action(description="Confirm: this update changes nothing (it was the file meant)")
    def confirm_nothing_to_change(self, request, queryset):
        waiting = queryset.filter(status=RegisterImport.Status.NO_CHANGE)
        for job in waiting:
            register_no_change_confirm(job=job, user=request.user)
            self.message_user(request, f"{job.file_name}: confirmed, nothing changed.", messages.SUCCESS)
        if len(waiting) < len(queryset):
            self.message_user(
                request,
                "Only updates found to change nothing can be confirmed; the others were left.",
                messages.WARNING,
            )

    @admin.action(description="Apply again, accepting skipping the bad rows")
    def apply_accepting_skipped_rows(self, request, queryset):
        for job in queryset.filter(status__in=[RegisterImport.Status.REJECTED, RegisterImport.Status.DRY_RUN]):
            if job.file_data:
                again = register_import_job_rerun(job=job, user=request.user)
                self.message_user(request, f"Queued import {again.pk} from {job.file_name}.", messages.SUCCESS)
