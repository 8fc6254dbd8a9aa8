import pytest

pytestmark = pytest.mark.django_db


def test_healthcheck_answers_in_the_envelope(api_client):
    response = api_client.get("/healthcheck")
    assert response.status_code == 200
    assert response.json() == {
        "data": {"status": "ok", "database": "ok", "migrations": "ok"},
        "meta": {},
        "errors": [],
    }
