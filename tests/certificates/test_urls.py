"""Every page of certificates declares who may call it: core.access's @access(...) or @public set
`access_perm` on the view, so a view that forgets it fails here."""

import pytest
from django.urls import URLPattern, reverse

from certificates import urls


def test_every_url_declares_its_access():
    patterns = [p for p in urls.urlpatterns if isinstance(p, URLPattern)]
    assert len(patterns) == len(urls.urlpatterns)
    undeclared = [p.name for p in patterns if not hasattr(p.callback, "access_perm")]
    assert undeclared == []


@pytest.mark.parametrize(
    ("name", "perm", "private"),
    [
        ("index", "certificates.manage_certificates", False),
        ("settings", "certificates.manage_certificates", False),
        ("run", "certificates.issue_certificate", False),
        ("job_progress", "certificates.issue_certificate", False),
        ("revoke", "certificates.revoke_certificate", True),
        ("reissue", "certificates.revoke_certificate", True),
        ("download", "certificates.download_certificate", True),
        ("mine", None, False),
    ],
)
def test_certificates_are_private_runs_and_jobs_are_not(name, perm, private):
    callback = next(p.callback for p in urls.urlpatterns if p.name == name)
    assert (callback.access_perm, callback.access_private) == (perm, private)


@pytest.mark.django_db
def test_anonymous_users_go_to_the_login_page(client):
    for name, args in [("mine", []), ("index", []), ("settings", []), ("download", [1])]:
        response = client.get(reverse(f"certificates:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login/" in response.url, name


def test_the_verification_and_issuer_documents_are_public_on_purpose():
    public = {p.name for p in urls.urlpatterns if getattr(p.callback, "access_public", False)}
    assert {"verify", "badge"} <= public
