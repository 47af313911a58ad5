"""Sessions: the organiser plans one and sees it (replies, rounds, figures); the volunteer sees upcoming ones on
the phone and answers whether they are coming."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from canvass.models import CanvassSession, SessionReply, WalkList
from canvass.sessions.selectors import session_figures, sessions_upcoming_for
from canvass.sessions.services import SessionError, session_plan, session_reply
from canvass.walklists.selectors import walk_list_progress_rows
from wards.models import Ward
from wards.views.access import organiser_required, ward_in_scope


class SessionForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label="Starts", widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label="Ends", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    meeting_point = forms.CharField(max_length=200)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    rounds = forms.ModelMultipleChoiceField(
        queryset=WalkList.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rounds"].queryset = WalkList.objects.filter(ward=ward).order_by("-created_at", "-id")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < timezone.localdate():
            raise forms.ValidationError("The date has passed: plan a session from today on.")
        return date


@organiser_required
def session_new(request, pk: int):
    ward = ward_in_scope(request.user, pk)
    form = SessionForm(request.POST or None, ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_plan(ward=ward, created_by=request.user, **form.cleaned_data)
        except SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Session planned.")
            return redirect("wards:session", pk=session.pk)
    return render(request, "wards/session_new.html", {"ward": ward, "form": form})


@organiser_required
def session_detail(request, pk: int):
    session = get_object_or_404(
        CanvassSession.objects.filter(ward__in=Ward.objects.visible_to(request.user)).select_related("ward"), pk=pk
    )
    context = {
        "session": session,
        "ward": session.ward,
        "rounds": walk_list_progress_rows(session.rounds.order_by("pk")),
        "figures": session_figures(session),
        "past": session.date <= timezone.localdate(),
    }
    return render(request, "wards/session_detail.html", context)


@login_required
def sessions_mine(request):
    sessions = sessions_upcoming_for(request.user)
    return render(request, "canvass/doorstep/sessions.html", {"sessions": sessions, "answers": SessionReply.Answer})


@require_POST
@login_required
def session_answer(request, pk: int):
    session = get_object_or_404(sessions_upcoming_for(request.user), pk=pk)
    try:
        session_reply(session=session, volunteer=request.user, answer=request.POST.get("answer", ""))
    except SessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Thanks: your organiser can see your answer.")
    return redirect("doorstep-sessions")
