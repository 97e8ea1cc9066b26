"""allauth's account settings, imported by config/settings.py."""

__all__ = [
    "ACCOUNT_CHANGE_EMAIL",
    "ACCOUNT_EMAIL_MAX_LENGTH",
    "ACCOUNT_EMAIL_NOTIFICATIONS",
    "ACCOUNT_EMAIL_SUBJECT_PREFIX",
    "ACCOUNT_EMAIL_VERIFICATION",
    "ACCOUNT_FORMS",
    "ACCOUNT_LOGIN_METHODS",
    "ACCOUNT_LOGOUT_ON_GET",
    "ACCOUNT_REAUTHENTICATION_REQUIRED",
    "ACCOUNT_REAUTHENTICATION_TIMEOUT",
    "ACCOUNT_SIGNUP_FIELDS",
    "ACCOUNT_SIGNUP_FORM_CLASS",
    "ACCOUNT_UNIQUE_EMAIL",
    "ACCOUNT_USER_MODEL_USERNAME_FIELD",
    "MFA_FORMS",
    "SOCIALACCOUNT_FORMS",
]

# allauth: the e-mail address is the login, and it must be verified before booking.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "people.forms.SignupProfileForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lernwerkstatt] "
# One address per account. A new address replaces the old one only once a link sent to the new
# address is opened; the old address is told (ACCOUNT_EMAIL_NOTIFICATIONS, as it is of a changed or
# reset password and of a second factor added or removed). Changing the address or a second factor
# asks for the password again (unless typed for that in the last five minutes; signing in does not
# count), so a session left open in a workshop cannot take the account over.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_MAX_LENGTH = 254
# allauth's own forms with our input rules (people.account_forms): one line without control
# characters, a length limit on every field. tests/house/test_input_rules.py checks that no form
# allauth looks up is missing here.
_ACCOUNT_FORMS = "people.account_forms."
ACCOUNT_FORMS = {
    key: _ACCOUNT_FORMS + name
    for key, name in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_email": "ChangeEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "user_token": "UserTokenForm",
        "reauthenticate": "ReauthenticateForm",
        "request_login_code": "RequestLoginCodeForm",
        "confirm_login_code": "ConfirmLoginCodeForm",
        "confirm_email_verification_code": "ConfirmEmailVerificationCodeForm",
        "confirm_reauthentication_code": "ConfirmReauthenticationCodeForm",
        "confirm_password_reset_code": "ConfirmPasswordResetCodeForm",
    }.items()
}
MFA_FORMS = {
    key: _ACCOUNT_FORMS + name
    for key, name in {
        "authenticate": "MfaAuthenticateForm",
        "reauthenticate": "MfaReauthenticateForm",
        "activate_totp": "ActivateTOTPForm",
        "deactivate_totp": "DeactivateTOTPForm",
        "generate_recovery_codes": "GenerateRecoveryCodesForm",
        "add_webauthn": "AddWebAuthnForm",
        "signup_webauthn": "SignupWebAuthnForm",
        "edit_webauthn": "EditWebAuthnForm",
        "authenticate_webauthn": "AuthenticateWebAuthnForm",
        "login_webauthn": "LoginWebAuthnForm",
        "reauthenticate_webauthn": "ReauthenticateWebAuthnForm",
    }.items()
}
SOCIALACCOUNT_FORMS = {
    "signup": _ACCOUNT_FORMS + "SocialSignupForm",
    "disconnect": _ACCOUNT_FORMS + "DisconnectForm",
}
