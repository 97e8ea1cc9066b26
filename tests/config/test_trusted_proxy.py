"""The client's address behind the documented reverse proxy, and the login lockout built on it:
a stranger's failed logins lock the stranger out, never the whole school or the account's owner."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client, RequestFactory

from tests.factories import PASSWORD, UserFactory

PROXY = "10.0.0.2"  # the reverse proxy as the web process sees it
LOCKOUT = {"login_failed": "10/m/ip,5/5m/key"}  # production's rate (tests run without one)


@pytest.fixture
def lockout(settings):
    """Production's lockout on a cache of this test's own (the counts live in the cache)."""
    settings.ACCOUNT_RATE_LIMITS = LOCKOUT
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def behind_proxy(settings, lockout):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def member(db):
    user = UserFactory(email="lena@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _login(client, *, client_ip: str, password: str, forwarded_prefix: str = ""):
    forwarded = f"{forwarded_prefix}{client_ip}"
    return client.post(
        "/accounts/login/",
        {"login": "lena@example.org", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def _locked_out(response) -> bool:
    return response.status_code == 429 or "Anmeldeversuche" in response.content.decode()


def test_ten_failures_from_one_client_do_not_lock_out_everyone_behind_the_proxy(
    behind_proxy, member
):
    stranger = Client()
    for _ in range(12):
        _login(stranger, client_ip="198.51.100.7", password="falsch")
    assert _locked_out(_login(Client(), client_ip="198.51.100.7", password="falsch"))

    owner = Client()
    response = _login(owner, client_ip="203.0.113.20", password=PASSWORD)
    assert response.status_code == 302
    assert int(owner.session["_auth_user_id"]) == member.pk


def test_five_failures_by_a_stranger_do_not_lock_the_owner_out_of_the_right_password(
    behind_proxy, member
):
    for _ in range(6):
        _login(Client(), client_ip="198.51.100.7", password="falsch")
    owner = Client()
    assert _login(owner, client_ip="203.0.113.20", password=PASSWORD).status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_lockout(behind_proxy, member):
    # The client writes its own X-Forwarded-For; the proxy appends the real address, which wins.
    for n in range(12):
        _login(
            Client(), client_ip="198.51.100.7", password="falsch", forwarded_prefix=f"1.1.1.{n}, "
        )
    response = _login(
        Client(), client_ip="198.51.100.7", password="falsch", forwarded_prefix="9.9.9.9, "
    )
    assert _locked_out(response)


def test_without_a_trusted_proxy_the_header_is_ignored(settings, lockout, member):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(12):
        _login(Client(), client_ip=f"198.51.100.{n}", password="falsch")
    # Every attempt came from the one REMOTE_ADDR: the made-up header changed nothing.
    assert _locked_out(_login(Client(), client_ip="198.51.100.99", password="falsch"))


@pytest.mark.parametrize("header", ["", "not-an-address", " , ", "[::1", "1.2.3.4:5:6"])
def test_a_short_or_garbled_header_falls_back_to_the_peer_address(settings, header):
    from config.middleware import TrustedProxyMiddleware

    settings.TRUSTED_PROXY_COUNT = 2
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]

    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    TrustedProxyMiddleware(view)(request)
    assert seen["address"] == PROXY


def test_the_client_is_read_as_many_entries_from_the_right_as_there_are_proxies(settings):
    from config.middleware import TrustedProxyMiddleware

    settings.TRUSTED_PROXY_COUNT = 2
    seen = {}
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.0.0.1"
    )
    TrustedProxyMiddleware(lambda r: seen.setdefault("a", r.META["REMOTE_ADDR"]))(request)
    assert seen["a"] == "203.0.113.9"


def test_a_single_wrong_password_is_not_reported_as_a_lockout(behind_proxy, member):
    assert not _locked_out(_login(Client(), client_ip="198.51.100.7", password="falsch"))


def test_allauths_other_limits_count_the_real_client_behind_the_proxy(settings, member):
    """Password-reset requests (as every allauth limit "per ip") are counted per client, not per
    proxy: one client asking too often is stopped, the next one behind the same proxy is not."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "3/m/ip"}
    cache.clear()

    def reset(client_ip):
        return Client().post(
            "/accounts/password/reset/",
            {"email": "lena@example.org"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=client_ip,
        )

    answers = [reset("198.51.100.7").status_code for _ in range(4)]
    assert answers[:3] == [302, 302, 302] and answers[3] == 429
    assert reset("203.0.113.20").status_code == 302
