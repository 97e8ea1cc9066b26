"""The second-factor pages in a real browser (Chromium, phone size): a coordinator sets up an
authenticator app, the code computed by pyotp, and every page on the way passes axe-core."""

import pyotp

from .conftest import PASSWORD, SCREENSHOT_DIR, check_a11y, login
from .test_employment import no_sideways_scroll

PHONE = {"width": 390, "height": 844}
EMAIL = "zweiter-faktor@demo.example"

CREATE = f"""
from allauth.account.models import EmailAddress
from people.models import Membership, School, User
user = User.objects.create_user(email="{EMAIL}", password="{PASSWORD}", first_name="Mia",
                                last_name="Faktor")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
Membership.objects.create(user=user, role="coordinator", school=School.objects.get(code="BBS1"))
"""


def test_a_coordinator_sets_up_an_authenticator_app(new_page, e2e_server):
    e2e_server.shell(CREATE)  # an account of its own: the demo accounts stay without a factor
    page = new_page(viewport=PHONE)
    login(page, EMAIL)
    page.get_by_role("link", name="Konto und Sicherheit").click()
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/2fa/")
    check_a11y(page, "mfa-index")

    page.get_by_role("link", name="Aktivieren").click()
    page.wait_for_load_state()
    if "/reauthenticate/" in page.url:  # setting up a factor asks for the password once more
        check_a11y(page, "mfa-reauthenticate")
        page.locator("main input[type=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in page.url
    check_a11y(page, "mfa-totp-activate")
    no_sideways_scroll(page)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "mfa-totp-activate.png"), full_page=True)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("main input[name=code]").fill(pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert "/accounts/2fa/totp/activate/" not in page.url
    check_a11y(page, "mfa-after-activation")
    no_sideways_scroll(page)
    page.goto("/accounts/2fa/")
    assert "Authentifizierung mit einer Authentifizierungs-App ist aktiv" in page.content() or (
        page.get_by_role("link", name="Deaktivieren").count() == 1
    )
    page.goto("/staff/")
    assert page.url.endswith("/staff/")
