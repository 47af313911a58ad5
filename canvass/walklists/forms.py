from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef

from canvass.models import Household, Profile, Role
from canvass.models.people import display_name
from canvass.walklists.rounds import DEFAULT_ROUND_SIZE
from wards.models import Segment


def volunteer_choices(ward=None):
    """Active volunteers by name; with a ward, those who canvass it (their profile's wards) first."""
    volunteers = get_user_model().objects.filter(is_active=True, profile__role=Role.VOLUNTEER)
    if ward is None:
        return volunteers.order_by("first_name", "last_name", "username")
    canvasses_here = Profile.wards.through.objects.filter(profile__user_id=OuterRef("pk"), ward_id=ward.pk)
    return volunteers.annotate(canvasses_here=Exists(canvasses_here)).order_by(
        "-canvasses_here", "first_name", "last_name", "username"
    )


class RoundsAssignForm(forms.Form):
    """One volunteer per round of a cut, those who canvass the ward offered first."""

    def __init__(self, *args, rounds, ward, **kwargs):
        super().__init__(*args, **kwargs)
        # One read of the volunteers for every round's choice, however many rounds.
        label = _ward_label(ward)
        choices = [("", "— nobody —"), *((user.pk, label(user)) for user in volunteer_choices(ward))]
        self.rounds = rounds
        for walk_list in rounds:
            assigned = [user.pk for user in walk_list.assigned_to.all()]
            self.fields[f"round-{walk_list.pk}"] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                label=walk_list.name,
                initial=assigned[0] if assigned else "",
            )

    def assignments(self):
        """(round, volunteer id or None) for each round."""
        return [(walk_list, self.cleaned_data[f"round-{walk_list.pk}"]) for walk_list in self.rounds]

    def rows(self):
        return [(walk_list, self[f"round-{walk_list.pk}"]) for walk_list in self.rounds]


class WalkListAssignForm(forms.Form):
    volunteers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = volunteer_choices(ward)
        self.fields["volunteers"].label_from_instance = _ward_label(ward)


def _ward_label(ward):
    """Labels naming the volunteers who canvass the ward, so the page can offer them first."""

    def label(user) -> str:
        if ward is not None and getattr(user, "canvasses_here", False):
            return f"{display_name(user)} · canvasses {ward.name}"
        return display_name(user)

    return label


class WalkListCutForm(forms.Form):
    """Cut a walk list from one of the ward's target segments or from chosen streets, and assign it."""

    name = forms.CharField(max_length=120)
    segment = forms.ChoiceField(
        choices=[("", "— none: use the streets below —"), *Segment.choices],
        required=False,
        help_text="Every household with a voter in this segment.",
    )
    streets = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="With a segment: only its households in these streets. Alone: every household in them.",
    )
    volunteers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who walks it; you can assign it later too.",
    )
    round_size = forms.IntegerField(
        min_value=5,
        max_value=300,
        required=False,
        initial=DEFAULT_ROUND_SIZE,
        label="Doors per round",
        help_text="Split the doors into rounds of at most this many (30-50 suit a two-hour session in a town; "
        "15-30 in villages). Leave empty for one list.",
    )

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward = ward
        streets = (
            Household.objects.filter(polling_district__ward=ward)
            .exclude(street="")
            .values("street")
            .annotate(doors=Count("id"))
            .order_by("street")
        )
        self.fields["streets"].choices = [(s["street"], f"{s['street']} ({s['doors']} doors)") for s in streets]
        self.fields["volunteers"].queryset = volunteer_choices(ward)
        self.fields["volunteers"].label_from_instance = _ward_label(ward)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("segment") and not cleaned.get("streets"):
            raise forms.ValidationError("Choose a target segment, one or more streets, or both.")
        return cleaned


class LeafletForm(forms.Form):
    """A leaflet for every household of chosen streets (or the whole ward), split into delivery rounds."""

    name = forms.CharField(max_length=120, help_text="E.g. “Focus, spring”.")
    streets = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="None chosen: every street in the ward."
    )
    round_size = forms.IntegerField(
        min_value=10, max_value=1000, initial=150, label="Doors per round",
        help_text="A deliverer covers far more doors than a canvasser: 100-200 suit an hour or two.",
    )  # fmt: skip

    def __init__(self, *args, ward, **kwargs):
        super().__init__(*args, **kwargs)
        streets = (
            Household.objects.filter(polling_district__ward=ward)
            .exclude(street="")
            .values("street")
            .annotate(doors=Count("id"))
            .order_by("street")
        )
        self.fields["streets"].choices = [(s["street"], f"{s['street']} ({s['doors']} doors)") for s in streets]
