"""Verification codes a person can type: no look-alike characters, grouped, case-insensitive,
and the codes issued before keep working."""

import pytest
from django.urls import reverse

from certificates.codes import ALPHABET, candidates, new_code, normalise
from certificates.models import Certificate
from certificates.services import issue_certificate


def test_codes_have_no_look_alikes_and_come_in_groups():
    for _ in range(200):
        code = new_code()
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4, 4]
        assert not set("".join(groups)) & set("01OIL")
        assert set("".join(groups)) <= set(ALPHABET)
    assert len({new_code() for _ in range(1000)}) == 1000


def test_typed_forms_normalise():
    code = "ABCD-EFGH-JKMN-PQRS-TVWX"
    assert normalise("abcd efgh jkmn pqrs tvwx") == code
    assert normalise("ABCDEFGHJKMNPQRSTVWX") == code
    assert normalise(" abcd-efgh-jkmn-pqrs-tvwx ") == code
    assert normalise("ABCD-EFGH-JKMN-PQRS-TVW0") is None  # 0 is not in the alphabet
    assert normalise("short") is None
    # An old code is looked up exactly as given (it is case-sensitive).
    assert candidates("fX670ZXXr62BNlmZR42McQ") == ["fX670ZXXr62BNlmZR42McQ"]


@pytest.mark.django_db
def test_the_page_answers_to_the_code_typed_in_lower_case(enrolment, client):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    typed = certificate.verification_code.lower().replace("-", "")
    response = client.get(f"/verify/{typed}/")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "certificates:verify", args=[certificate.verification_code]
    )
    assert client.get(response["Location"]).status_code == 200
    # The printed URL carries the code as issued.
    assert certificate.data["verification_url"].endswith(f"/{certificate.verification_code}/")


@pytest.mark.django_db
def test_an_old_code_still_works(enrolment, client):
    certificate = issue_certificate(enrolment=enrolment, actor=None)
    Certificate.objects.filter(pk=certificate.pk).update(verification_code="fX670ZXXr62BNlmZR42McQ")
    assert client.get("/verify/fX670ZXXr62BNlmZR42McQ/").status_code == 200
    assert client.get("/verify/fx670zxxr62bnlmzr42mcq/").status_code == 404
