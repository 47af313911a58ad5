"""The organiser's survey pages: the campaign's questions and script, and a walk list's own script."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from canvass.surveys.forms import QuestionForm, ScriptForm
from canvass.surveys.models import Question, Script
from canvass.surveys.selectors import current_versions
from canvass.surveys.services import QuestionError, question_create, question_update, script_set
from wards import dashboards
from wards.views.access import organiser_required, walk_list_in_scope

SERVICE_FIELDS = ("wording", "choices", "min_value", "max_value", "order", "wards", "starts_on", "ends_on", "segments")


def _council_or_none(user):
    return dashboards.council_for(user)


@organiser_required
def question_list(request):
    council = _council_or_none(request.user)
    if council is None:
        return render(request, "wards/no_wards.html")
    script = Script.objects.filter(council=council).first()
    form = ScriptForm(request.POST or None, initial={"text": script.text if script else ""})
    if request.method == "POST" and form.is_valid():
        script_set(council=council, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, "The campaign's script is saved.")
        return redirect("wards:questions")
    questions = list(
        Question.objects.filter(council=council).annotate(answer_count=Count("answers__contact", distinct=True))
    )
    current = current_versions([question.pk for question in questions])
    for question in questions:
        question.current = current.get(question.pk)
    return render(request, "wards/questions.html", {"council": council, "questions": questions, "script_form": form})


@organiser_required
def question_new(request):
    council = _council_or_none(request.user)
    if council is None:
        return render(request, "wards/no_wards.html")
    form = QuestionForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question_create(
                council=council, kind=data["kind"], by=request.user, **{name: data[name] for name in SERVICE_FIELDS}
            )
        except QuestionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Question “{data['wording']}” added.")
            return redirect("wards:questions")
    return render(request, "wards/question_form.html", {"form": form, "question": None})


@organiser_required
def question_edit(request, pk: int):
    council = _council_or_none(request.user)
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk, council=council)
    current = question.versions.order_by("-number").first()
    assert current is not None
    initial = {
        "wording": current.wording,
        "kind": question.kind,
        "choices": "\n".join(current.choices) if question.kind != "yes_no" else "",
        "min_value": current.min_value,
        "max_value": current.max_value,
        "order": question.order,
        "wards": question.wards.all(),
        "starts_on": question.starts_on,
        "ends_on": question.ends_on,
        "segments": question.segments,
        "is_active": question.is_active,
    }
    form = QuestionForm(request.POST or None, council=council, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = question_update(
                question=question,
                by=request.user,
                is_active=data["is_active"],
                **{name: data[name] for name in SERVICE_FIELDS},
            )
        except QuestionError as error:
            form.add_error(None, str(error))
        else:
            if version.number != current.number:
                messages.success(request, f"Saved as version {version.number}: earlier answers keep their wording.")
            else:
                messages.success(request, "Question saved.")
            return redirect("wards:questions")
    return render(request, "wards/question_form.html", {"form": form, "question": question, "current": current})


@organiser_required
def walk_list_script(request, pk: int):
    walk_list = walk_list_in_scope(request.user, pk)
    form = ScriptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        script_set(walk_list=walk_list, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, "The list's script is saved.")
    return redirect("wards:walk-list", pk=walk_list.pk)
