import datetime as dt
import uuid

import pytest
from django.core.cache import cache, caches
from django.utils import timezone
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def test_a_member_gets_a_token_that_opens_the_api(vera):
    client = APIClient()
    token = client.post(TOKEN, {"username": "vera", "password": "doorstep-pass-1"}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["username"] == "vera"


def test_a_wrong_password_names_no_field_but_says_why(vera):
    response = APIClient().post(TOKEN, {"username": "vera", "password": "guess"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unknown username or wrong password."]}


def test_login_is_throttled_even_for_the_right_password_after_too_many_tries(vera, settings):
    settings.LOGIN_THROTTLE_RATE = "3/min"
    client = APIClient()
    for _ in range(3):
        client.post(TOKEN, {"username": "vera", "password": "guess"})
    response = client.post(TOKEN, {"username": "vera", "password": "doorstep-pass-1"})
    assert response.status_code == 429


def test_login_throttle_counts_in_the_shared_cache(vera):
    APIClient().post(TOKEN, {"username": "vera", "password": "guess"})
    keys = [key for key in _cache_keys() if key.startswith("login-failures:")]
    assert keys, "the throttle history is not in the shared cache"
    assert "vera" not in "".join(keys)


def _cache_keys():
    backend = caches["default"]
    if type(backend).__name__ == "RedisCache":
        client = backend._cache.get_client()
        return [key.decode().split(":", 2)[-1] for key in client.keys("*")]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM django_cache")
        return [row[0].split(":", 2)[-1] for row in cursor.fetchall()]


def test_logout_revokes_the_token(vera):
    client = APIClient()
    token = client.post(TOKEN, {"username": "vera", "password": "doorstep-pass-1"}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_session_pages_must_send_the_csrf_token(vera, veras_list, popley_voters):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(vera)
    item = {
        "client_uuid": str(uuid.uuid4()),
        "voter": popley_voters[0].pk,
        "contacted_at": (timezone.now() - dt.timedelta(minutes=5)).isoformat(),
        "outcome": "spoke",
    }
    assert client.post("/api/v1/contacts/", item, format="json").status_code == 403
    client.get("/accounts/login/")  # any of the app's pages with a form sets the csrftoken cookie
    csrf_value = client.cookies["csrftoken"].value
    response = client.post("/api/v1/contacts/", item, format="json", HTTP_X_CSRFTOKEN=csrf_value)
    assert response.status_code == 201
