"""The organiser's volunteers page: who canvasses which wards, and inviting a new volunteer with a one-time link."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from canvass.models import Invitation, Role
from canvass.services.invitations import InvitationError, invitation_email, invitation_renew, volunteer_invite
from wards.models import Ward
from wards.views.access import organiser_required


class InviteForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z", max_length=150, help_text="What they sign in with: letters, digits and @/./+/-/_."
    )
    email = forms.EmailField(required=False, help_text="The link is emailed too when email is set up.")
    wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Wards they canvass"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].queryset = Ward.objects.visible_to(user).order_by("name")


class VolunteerWardsForm(forms.Form):
    wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].queryset = Ward.objects.visible_to(user).order_by("name")


def _volunteers():
    pending = Invitation.objects.live().filter(user_id=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(profile__role=Role.VOLUNTEER)
        .select_related("profile")
        .prefetch_related(Prefetch("profile__wards", queryset=Ward.objects.order_by("name")))
        .annotate(invited=Exists(pending))
        .order_by("first_name", "last_name", "username")
    )


def _link(request, key: str) -> str:
    return request.build_absolute_uri(reverse("invitation") + "?" + urlencode({"key": key}))


@organiser_required
def volunteers(request):
    form = InviteForm(request.POST or None, user=request.user)
    invited = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation, key = volunteer_invite(by=request.user, **form.cleaned_data)
        except InvitationError as error:
            form.add_error("username", str(error))
        else:
            link = _link(request, key)
            invited = {
                "user": invitation.user,
                "link": link,
                "emailed": invitation_email(invitation=invitation, link=link),
            }
            form = InviteForm(user=request.user)
    return render(request, "wards/volunteers.html", {"form": form, "volunteers": _volunteers(), "invited": invited})


@require_POST
@organiser_required
def volunteer_reinvite(request, pk: int):
    volunteer = get_object_or_404(_volunteers(), pk=pk)
    try:
        invitation, key = invitation_renew(user=volunteer, by=request.user)
    except InvitationError as error:
        messages.error(request, str(error))
        return redirect("wards:volunteers")
    link = _link(request, key)
    invited = {"user": volunteer, "link": link, "emailed": invitation_email(invitation=invitation, link=link)}
    form = InviteForm(user=request.user)
    return render(request, "wards/volunteers.html", {"form": form, "volunteers": _volunteers(), "invited": invited})


@organiser_required
def volunteer_wards(request, pk: int):
    """Set the wards a volunteer canvasses, among the organiser's own (other wards stay as they are)."""
    volunteer = get_object_or_404(_volunteers(), pk=pk)
    mine = set(Ward.objects.visible_to(request.user).values_list("pk", flat=True))
    current = [ward for ward in volunteer.profile.wards.all() if ward.pk in mine]
    form = VolunteerWardsForm(request.POST or None, user=request.user, initial={"wards": current})
    if request.method == "POST" and form.is_valid():
        others = [ward.pk for ward in volunteer.profile.wards.all() if ward.pk not in mine]
        volunteer.profile.wards.set([*others, *(ward.pk for ward in form.cleaned_data["wards"])])
        messages.success(request, "Wards saved.")
        return redirect("wards:volunteers")
    return render(request, "wards/volunteer_wards.html", {"volunteer": volunteer, "form": form})
