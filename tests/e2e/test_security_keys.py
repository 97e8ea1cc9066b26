"""Staff sign-in security in Chromium, on a server that requires a second factor for staff
(MFA_REQUIRED_FOR_STAFF) and knows the district's identity provider (a real OpenID Connect
provider process, tests/signin/oidc_provider):

- a coordinator without a second factor is sent to set one up, registers a security key through
  allauth's pages with Chromium's virtual authenticator (CTAP2, built in, user verification), and
  signs in with it next time;
- a first sign-in through the provider ends on the "waits for confirmation" page, a refused link
  on the "refused" page.

Every page on the way passes axe-core (no serious or critical violation), reports no
Content-Security-Policy violation and does not scroll sideways at 390 px."""

import contextlib
import json
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.signin.oidc_provider.process import running_provider

from .conftest import ROOT, SCREENSHOT_DIR, _free_port, check_a11y

PHONE = {"width": 390, "height": 844}
PASSWORD = "Werkbank-2026!"
IDP_PASSWORD = "idp-password"
KEY_OWNER = "schluessel@demo.example"
SSO_PERSON = "kim.sso@kreis.example"


@pytest.fixture(scope="module")
def strict_server(e2e_server, tmp_path_factory):
    """A second server on the e2e database, as production sets it up: second factor required
    for staff, and the district's identity provider configured. Served as http://localhost (a
    WebAuthn relying party must be a host name, not an IP address)."""
    port = _free_port()
    url = f"http://localhost:{port}"
    workdir = tmp_path_factory.mktemp("strict")
    with running_provider(
        users=[
            {"email": SSO_PERSON, "first_name": "Kim", "last_name": "Sso", "password": IDP_PASSWORD}
        ],
        client_id="lernwerkstatt",
        client_secret="client-secret-of-the-test-provider",  # noqa: S106 - the test provider's
        redirect_uri=f"{url}/accounts/oidc/kreis/login/callback/",
        workdir=workdir,
    ) as provider:
        env = {
            **e2e_server.env,
            "MFA_REQUIRED_FOR_STAFF": "1",
            "SITE_URL": url,
            "OIDC_PROVIDERS": json.dumps(
                [
                    {
                        "id": "kreis",
                        "name": "Kreis-Login",
                        "server_url": f"{provider.url}/o",
                        "client_id": "lernwerkstatt",
                        "secret": "client-secret-of-the-test-provider",
                    }
                ]
            ),
        }
        log = (workdir / "server.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError((workdir / "server.log").read_text()) from None
                    time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            log.close()


@pytest.fixture
def phone(browser, strict_server, request):
    """A phone-sized page on the strict server that collects CSP violations."""
    context = browser.new_context(base_url=strict_server, locale="de-DE", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda m: (
            page.csp_violations.append(m.text)
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
            else None
        ),
    )
    yield page
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(Exception):
        page.screenshot(path=str(SCREENSHOT_DIR / f"{request.node.name}.png"), full_page=True)
    context.close()


def _page_is_fine(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    check_a11y(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{name}: {width}px wide at 390 px"
    assert not page.csp_violations, page.csp_violations
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-390.png"), full_page=True)


def _sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail").first.fill(email)
    page.get_by_label("Passwort").first.fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_a_coordinator_registers_a_security_key_and_signs_in_with_it(phone, e2e_server):
    e2e_server.shell(
        f"""
from allauth.account.models import EmailAddress
from people.models import Membership, School, User
user = User.objects.create_user(email="{KEY_OWNER}", password="{PASSWORD}", first_name="Sina",
                                last_name="Schlüssel")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
Membership.objects.create(user=user, role="coordinator", school=School.objects.get(code="BBS1"))
"""
    )
    page = phone
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    # Signed in with the password only, staff land on the second-factor page, whatever they open.
    _sign_in(page, KEY_OWNER)
    page.goto("/staff/")
    assert page.url.endswith("/accounts/2fa/"), page.url
    _page_is_fine(page, "mfa-index-required")

    page.locator("main a[href*='/webauthn/add']").first.click()
    page.wait_for_load_state()
    if "/reauthenticate/" in page.url:  # adding a factor asks for the password once more
        _page_is_fine(page, "mfa-reauthenticate")
        page.locator("main input[type=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    assert "/accounts/2fa/webauthn/add/" in page.url, page.url
    _page_is_fine(page, "mfa-webauthn-add")
    page.locator("main input[name=name]").fill("Schlüsselbund")
    with page.expect_navigation():
        page.locator("#mfa_webauthn_add").click()
    page.wait_for_load_state()
    assert "/accounts/2fa/webauthn/add/" not in page.url, page.content()[:2000]
    _page_is_fine(page, "mfa-after-webauthn-added")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    key = e2e_server.shell(
        "from allauth.mfa.models import Authenticator\n"
        f"print(Authenticator.objects.filter(user__email='{KEY_OWNER}', type='webauthn').count())"
    )
    assert key.strip().splitlines()[-1] == "1"

    page.goto("/staff/")  # the staff area is open now
    assert "/staff/" in page.url and "/accounts/2fa/" not in page.url
    for path, name in [
        ("/accounts/2fa/webauthn/", "mfa-webauthn-list"),
        ("/accounts/email/", "account-email-change"),
        ("/accounts/password/change/", "account-password-change"),
    ]:
        page.goto(path)
        assert page.url.endswith(path), page.url
        _page_is_fine(page, name)

    # Next time: the password, then the security key.
    page.context.clear_cookies()
    _sign_in(page, KEY_OWNER)
    assert "/accounts/2fa/authenticate/" in page.url, page.url
    _page_is_fine(page, "mfa-authenticate")
    sign_count = credentials["credentials"][0]["signCount"]
    with page.expect_navigation():
        page.locator("#mfa_webauthn_authenticate").click()
    page.wait_for_load_state()
    assert "/accounts/2fa/authenticate/" not in page.url and "/accounts/login/" not in page.url
    after = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert after["credentials"][0]["signCount"] > sign_count  # the key really signed
    page.goto("/staff/")
    assert "/staff/" in page.url and "/accounts/" not in page.url
    _page_is_fine(page, "staff-after-security-key")


def _through_provider(page) -> None:
    page.goto("/accounts/login/")
    page.locator("main form[action*='/oidc/'] button").first.click()
    page.wait_for_load_state()
    if "/login/" in page.url and "127.0.0.1" in page.url:  # the provider's own login form
        page.locator("input[name=username]").fill(SSO_PERSON)
        page.locator("input[name=password]").fill(IDP_PASSWORD)
        page.locator("button").click()
    page.wait_for_load_state()


def test_the_single_sign_on_pending_and_refused_pages(phone, e2e_server):
    e2e_server.shell(
        f"""
from allauth.account.models import EmailAddress
from people.models import Membership, School, User
user = User.objects.create_user(email="{SSO_PERSON}", password="{PASSWORD}", first_name="Kim",
                                last_name="Sso")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
Membership.objects.create(user=user, role="coordinator", school=School.objects.get(code="BBS1"))
"""
    )
    page = phone
    _through_provider(page)
    assert "Anmeldung wartet auf Bestätigung" in page.content(), page.url
    _page_is_fine(page, "sso-pending")

    e2e_server.shell(  # the district admin refuses the link
        "from people.models import User\nfrom signin import services\n"
        "from signin.models import SignInLink\n"
        f"link = SignInLink.objects.get(user__email='{SSO_PERSON}')\n"
        "services.refuse_link(link=link, actor=User.objects.get(email='admin@demo.example'))"
    )
    _through_provider(page)  # still signed in at the provider: straight back
    assert "Anmeldung nicht möglich" in page.content(), page.url
    _page_is_fine(page, "sso-refused")
