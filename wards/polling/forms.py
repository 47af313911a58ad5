import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from wards.models import Election, Ward
from wards.polling.models import CLOSES, OPENS

# Elections offered when opening polling day: coming ones, and those of the past week (sheets keyed late).
RECENT = dt.timedelta(days=7)


def elections_to_open(wards: QuerySet[Ward]) -> QuerySet[Election]:
    """Elections of the wards' councils (and council-less ones, a general election's) with no polling day yet."""
    return Election.objects.filter(
        Q(council__in=wards.values("council_id")) | Q(council__isnull=True),
        date__gte=timezone.localdate() - RECENT,
        polling_day__isnull=True,
    ).order_by("date", "kind")


class PollingDayForm(forms.Form):
    election = forms.ModelChoiceField(queryset=Election.objects.none(), help_text="Polling day is for this election.")
    wards = forms.ModelMultipleChoiceField(queryset=Ward.objects.none(), widget=forms.CheckboxSelectMultiple)
    opens_at = forms.TimeField(initial=OPENS, widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(initial=CLOSES, widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].queryset = wards
        self.fields["election"].queryset = elections_to_open(wards)


class UsernameForm(forms.Form):
    username = forms.CharField(max_length=150)

    def clean_username(self):
        try:
            return get_user_model().objects.get(username=self.cleaned_data["username"])
        except get_user_model().DoesNotExist as error:
            raise forms.ValidationError(f"no user called {self.cleaned_data['username']!r}") from error


class RoundSizeForm(forms.Form):
    size = forms.IntegerField(min_value=1, max_value=500, initial=30, help_text="Voters per round.")
