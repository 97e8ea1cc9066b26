from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm

from .models import Chamber, TraineeProfile


class SignupProfileForm(DomainErrorForm):
    """Extra fields on allauth's signup: who the trainee is. No list of businesses: an employer
    is a link the business confirms, asked for after sign-up ("Mein Arbeitgeber"). allauth's
    signup form derives from it, and so takes on the input rules of core.forms (names on one
    line)."""

    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    kind = forms.ChoiceField(label=_("Ich bin"), choices=TraineeProfile.Kind.choices)
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
            occupation=self.cleaned_data.get("occupation", ""),
        )


class JoinByMemberNumberForm(DomainErrorForm):
    chamber = forms.ModelChoiceField(
        label=_("Kammer"), queryset=Chamber.objects.all(), empty_label=None
    )
    member_number = forms.CharField(
        label=_("Mitgliedsnummer des Betriebs"),
        max_length=32,
        help_text=_("Die Nummer, unter der Ihr Betrieb bei der Kammer geführt wird."),
    )


class JoinByCodeForm(DomainErrorForm):
    code = forms.CharField(
        label=_("Einladungscode"), max_length=32, help_text=_("z. B. ABCD-EFGH-JKMN-PQRS")
    )


class InviteForm(DomainErrorForm):
    email = forms.EmailField(label=_("E-Mail-Adresse der Person"))
