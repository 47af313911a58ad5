"""Survey questions and scripts in the Django admin; a question's wording is saved through the services,
so an edit after answers exist makes a new version there too."""

from django import forms
from django.contrib import admin

from canvass.surveys.models import Question, QuestionKind, QuestionVersion, Script
from canvass.surveys.services import question_create, question_update
from wards.models import Segment


class QuestionAdminForm(forms.ModelForm):
    wording = forms.CharField(max_length=300)
    choices_text = forms.CharField(
        label="Choices", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="One a line."
    )
    min_value = forms.IntegerField(required=False)
    max_value = forms.IntegerField(required=False)
    segments = forms.MultipleChoiceField(choices=Segment.choices, required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Question
        fields = ["council", "kind", "order", "wards", "starts_on", "ends_on", "segments", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            current = self.instance.versions.order_by("-number").first()
            if current:
                self.initial.update(
                    wording=current.wording,
                    choices_text="\n".join(current.choices),
                    min_value=current.min_value,
                    max_value=current.max_value,
                )
            self.fields["kind"].disabled = True

    def clean(self):
        cleaned = super().clean()
        cleaned["choices"] = [line.strip() for line in (cleaned.get("choices_text") or "").splitlines() if line.strip()]
        if cleaned.get("kind") in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(cleaned["choices"]) < 2:
            self.add_error("choices_text", "Give at least two choices, one a line.")
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", f"The highest number is below the lowest ({low}).")
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and starts > ends:
            self.add_error("ends_on", "The question ends before it starts.")
        return cleaned


class QuestionVersionInline(admin.TabularInline):
    model = QuestionVersion
    fields = ["number", "wording", "choices", "min_value", "max_value", "created_at", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["__str__", "council", "kind", "order", "is_active"]
    list_filter = ["council", "kind", "is_active"]
    inlines = [QuestionVersionInline]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        common = {
            "wording": data["wording"],
            "choices": data["choices"],
            "min_value": data.get("min_value"),
            "max_value": data.get("max_value"),
            "order": data["order"],
            "starts_on": data.get("starts_on"),
            "ends_on": data.get("ends_on"),
            "segments": data.get("segments") or [],
            "by": request.user,
        }
        # The form has checked what the services would refuse (QuestionError), so they do not raise here.
        if change:
            question_update(question=obj, wards=data.get("wards") or [], is_active=data["is_active"], **common)
        else:
            created = question_create(council=data["council"], kind=data["kind"], **common)
            Question.objects.filter(pk=created.pk).update(is_active=data["is_active"])
            obj.pk = created.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        form.instance.wards.set(form.cleaned_data.get("wards") or [])


@admin.register(Script)
class ScriptAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updated_at", "updated_by"]
    fields = ["council", "walk_list", "text"]
    raw_id_fields = ["walk_list"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
