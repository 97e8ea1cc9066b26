import pytest


@pytest.fixture
def workshop(db):
    from tests.factories import WorkshopFactory

    return WorkshopFactory()
