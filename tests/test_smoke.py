import pytest


@pytest.mark.django_db
def test_catalogue_page_answers_in_german(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Kursangebot" in response.content.decode()


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
