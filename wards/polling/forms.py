from django import forms
from django.contrib.auth import get_user_model

from wards.models import Ward
from wards.polling.models import CLOSES, OPENS


class PollingDayForm(forms.Form):
    election_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    wards = forms.ModelMultipleChoiceField(queryset=Ward.objects.none(), widget=forms.CheckboxSelectMultiple)
    opens_at = forms.TimeField(initial=OPENS, widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(initial=CLOSES, widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].queryset = wards


class UsernameForm(forms.Form):
    username = forms.CharField(max_length=150)

    def clean_username(self):
        try:
            return get_user_model().objects.get(username=self.cleaned_data["username"])
        except get_user_model().DoesNotExist as error:
            raise forms.ValidationError(f"no user called {self.cleaned_data['username']!r}") from error


class RoundSizeForm(forms.Form):
    size = forms.IntegerField(min_value=1, max_value=500, initial=30, help_text="Voters per round.")
