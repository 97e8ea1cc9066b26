import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import SCOPES
from api.services import create_api_key
from tests.factories import BusinessFactory, ChamberFactory, TraineeProfileFactory

ALL_SCOPES = [code for code, _label in SCOPES]


@pytest.fixture(autouse=True)
def _api_settings(settings):
    # High enough to never throttle; the throttle test lowers it.
    settings.API_THROTTLE_RATE = "100000/min"
    settings.SITE_URL = "https://lernwerkstatt.example"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chamber(db):
    return ChamberFactory(code="HWK-LG", name="Handwerkskammer Lüneburg-Stade")


@pytest.fixture
def other_chamber(db):
    return ChamberFactory(code="HWK-H", name="Handwerkskammer Hannover")


def client_for(plaintext: str | None) -> APIClient:
    client = APIClient()
    if plaintext:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    return client


@pytest.fixture
def make_client(db):
    def make(chamber, scopes=None):
        _key, plaintext = create_api_key(chamber=chamber, name="test", scopes=scopes or ALL_SCOPES)
        return client_for(plaintext)

    return make


@pytest.fixture
def api(make_client, chamber):
    return make_client(chamber)


@pytest.fixture
def member(chamber):
    return BusinessFactory(chamber=chamber, member_number="4711", name="Tischlerei Schröder")


@pytest.fixture
def apprentice(member):
    return TraineeProfileFactory(
        business=member, lehrlingsrolle_number="LR-2024-001", occupation="Tischler:in"
    )
