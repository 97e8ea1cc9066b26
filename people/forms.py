from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm

from .models import Business, TraineeProfile


class SignupProfileForm(DomainErrorForm):
    """Extra fields on allauth's signup: who the trainee is and who employs them. allauth's
    signup form derives from it, and so takes on the input rules of core.forms (names on one
    line)."""

    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    kind = forms.ChoiceField(label=_("Ich bin"), choices=TraineeProfile.Kind.choices)
    business = forms.ModelChoiceField(
        label=_("Arbeitgeber"),
        queryset=Business.objects.filter(is_active=True),
        required=False,
        empty_label=_("– kein Betrieb –"),
    )
    occupation = forms.CharField(
        label=_("Ausbildungsberuf / Tätigkeit"), max_length=200, required=False
    )

    def signup(self, request, user):
        from .services import create_trainee_profile

        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.language = (getattr(request, "LANGUAGE_CODE", "de") or "de")[:2]
        user.save(update_fields=["first_name", "last_name", "language"])
        create_trainee_profile(
            user=user,
            kind=self.cleaned_data["kind"],
            business=self.cleaned_data.get("business"),
            occupation=self.cleaned_data.get("occupation", ""),
        )
