"""allauth's own forms (sign-in, sign-up, e-mail address, password, second factor) with the input
rules our forms keep: one-line text refuses control characters (core.forms.harden) and every
text field has a length limit, so a 10,000-character "name" or a NUL ends as a field error, never
as text in an e-mail or a 500 in the database. config.settings names them in ACCOUNT_FORMS,
MFA_FORMS and SOCIALACCOUNT_FORMS; tests/house checks that allauth is left no form of its own."""

import copy

from allauth.account import forms as account
from allauth.mfa.base import forms as mfa_base
from allauth.mfa.recovery_codes import forms as mfa_recovery
from allauth.mfa.totp import forms as mfa_totp
from allauth.mfa.webauthn import forms as mfa_webauthn
from allauth.socialaccount import forms as social
from django import forms
from django.core.validators import MaxLengthValidator

from core.forms import harden

from .passwords import PASSWORD_MAX_LENGTH

# What the e-mail address column holds (Django's EmailField would take 320).
EMAIL_MAX_LENGTH = 254
# One-time codes, token parts and a security key's name; anything else one line of text.
FIELD_MAX_LENGTH = {"code": 64, "key": 128, "uidb36": 32, "name": 100}
TEXT_MAX_LENGTH = 254


def _limit(name: str, field: forms.Field) -> int:
    if isinstance(field.widget, forms.PasswordInput):
        return PASSWORD_MAX_LENGTH
    if isinstance(field, forms.EmailField):
        return EMAIL_MAX_LENGTH
    return FIELD_MAX_LENGTH.get(name, TEXT_MAX_LENGTH)


def limit_lengths(fields) -> None:
    """Every text field gets a maximum no longer than the one above for its kind (a model's own,
    such as a name's 150, stays when it is shorter)."""
    for name, field in fields.items():
        if not isinstance(field, forms.CharField):
            continue
        limit = _limit(name, field)
        if field.max_length is not None and field.max_length <= limit:
            continue
        field.max_length = limit
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(MaxLengthValidator(limit))
        field.widget.attrs["maxlength"] = str(limit)


class AccountInputRules:
    """The rules for the fields allauth adds in __init__ (the login's e-mail field, the sign-up's
    passwords); those it declares on the class get them from the metaclass."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self.fields)
        limit_lengths(self.fields)


def _hardened(base: type[forms.Form]) -> type[forms.Form]:
    """A subclass of allauth's form `base` with our input rules, named as allauth names it. Its
    fields are copies: allauth's own classes stay as they are."""
    form = type(base)(base.__name__, (AccountInputRules, base), {"__module__": __name__})
    form.base_fields = copy.deepcopy(form.base_fields)
    form.declared_fields = {name: form.base_fields[name] for name in form.declared_fields}
    harden(form.base_fields)
    limit_lengths(form.base_fields)
    return form


# allauth.account
LoginForm = _hardened(account.LoginForm)
SignupForm = _hardened(account.SignupForm)
AddEmailForm = _hardened(account.AddEmailForm)
ChangeEmailForm = _hardened(account.ChangeEmailForm)
ChangePasswordForm = _hardened(account.ChangePasswordForm)
SetPasswordForm = _hardened(account.SetPasswordForm)
ResetPasswordForm = _hardened(account.ResetPasswordForm)
ResetPasswordKeyForm = _hardened(account.ResetPasswordKeyForm)
UserTokenForm = _hardened(account.UserTokenForm)
ReauthenticateForm = _hardened(account.ReauthenticateForm)
RequestLoginCodeForm = _hardened(account.RequestLoginCodeForm)
ConfirmLoginCodeForm = _hardened(account.ConfirmLoginCodeForm)
ConfirmEmailVerificationCodeForm = _hardened(account.ConfirmEmailVerificationCodeForm)
ConfirmReauthenticationCodeForm = _hardened(account.ConfirmReauthenticationCodeForm)
ConfirmPasswordResetCodeForm = _hardened(account.ConfirmPasswordResetCodeForm)

# allauth.mfa
MfaAuthenticateForm = _hardened(mfa_base.AuthenticateForm)
MfaReauthenticateForm = _hardened(mfa_base.ReauthenticateForm)
ActivateTOTPForm = _hardened(mfa_totp.ActivateTOTPForm)
DeactivateTOTPForm = _hardened(mfa_totp.DeactivateTOTPForm)
GenerateRecoveryCodesForm = _hardened(mfa_recovery.GenerateRecoveryCodesForm)
AddWebAuthnForm = _hardened(mfa_webauthn.AddWebAuthnForm)
SignupWebAuthnForm = _hardened(mfa_webauthn.SignupWebAuthnForm)
EditWebAuthnForm = _hardened(mfa_webauthn.EditWebAuthnForm)
AuthenticateWebAuthnForm = _hardened(mfa_webauthn.AuthenticateWebAuthnForm)
LoginWebAuthnForm = _hardened(mfa_webauthn.LoginWebAuthnForm)
ReauthenticateWebAuthnForm = _hardened(mfa_webauthn.ReauthenticateWebAuthnForm)

# allauth.socialaccount
SocialSignupForm = _hardened(social.SignupForm)
DisconnectForm = _hardened(social.DisconnectForm)
