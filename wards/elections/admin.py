"""Admin for elections: results entered by hand (contest with its candidates) or imported from CSV."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from wards.elections.importer import ResultsImportError, election_results_import
from wards.elections.services import last_results_refresh
from wards.models import Candidate, Constituency, Contest, Council, Election, ElectionKind


class ResultsUploadForm(forms.Form):
    council = forms.ModelChoiceField(queryset=Council.objects.all())
    kind = forms.ChoiceField(choices=ElectionKind.choices)
    results = forms.FileField(
        help_text="CSV, one row per candidate: election date, ward, candidate, party, votes, elected "
        "(and optionally seats, ballots issued, electorate)."
    )
    totals = forms.FileField(
        required=False, help_text="Optional CSV, one row per ward: election date, ward, ballots issued, electorate."
    )


class ContestInline(admin.TabularInline):
    model = Contest
    extra = 0
    fields = ["ward", "constituency", "seats_contested", "ballots_issued", "electorate"]
    autocomplete_fields = ["ward", "constituency"]
    show_change_link = True


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "kind", "council"]
    list_filter = ["kind", "council"]
    date_hierarchy = "date"
    search_fields = ["name"]
    autocomplete_fields = ["council"]
    readonly_fields = ["opened_by"]
    inlines = [ContestInline]
    change_list_template = "admin/wards/election/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="wards_election_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:wards_election_changelist")
        form = ResultsUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                summary = election_results_import(
                    council=data["council"],
                    kind=data["kind"],
                    results=data["results"].read(),
                    totals=data["totals"].read() if data["totals"] else None,
                    results_name=data["results"].name,
                    totals_name=data["totals"].name if data["totals"] else "totals",
                )
            except ResultsImportError as error:
                errors = error.errors
            else:
                messages.success(
                    request,
                    f"Imported {summary.candidates} candidates in {summary.contests} ward contests "
                    f"({summary.elections} election(s)).",
                )
                return redirect(reverse("admin:wards_election_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "errors": errors, "title": "Import results"}
        context["opts"] = self.model._meta
        return TemplateResponse(request, "admin/wards/election/import.html", context)


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 3
    autocomplete_fields = ["party"]


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "seats_contested", "ballots_issued", "electorate", "turnout_shown"]
    list_filter = ["election__kind", "election"]
    list_select_related = ["election", "ward", "constituency"]
    search_fields = ["ward__name", "constituency__name"]
    autocomplete_fields = ["election", "ward", "constituency"]
    inlines = [CandidateInline]

    @admin.display(description="turnout")
    def turnout_shown(self, contest):
        return "—" if contest.turnout is None else f"{contest.turnout * 100:.1f}%"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.ward_id:
            last_results_refresh(ward_ids=[form.instance.ward_id])


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    filter_horizontal = ["wards", "polling_districts"]
