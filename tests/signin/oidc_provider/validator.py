from oauth2_provider.oauth2_validators import OAuth2Validator

# The users the provider serves, and whether it says each address is verified.
VERIFIED: dict[str, bool] = {}


class ClaimsValidator(OAuth2Validator):
    """Standard claims from the provider's user: e-mail, whether it is verified, and names."""

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": VERIFIED.get(user.email, True),
            "name": f"{user.first_name} {user.last_name}".strip(),
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
