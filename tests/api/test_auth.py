import datetime as dt
import uuid

import pytest
from django.core.cache import cache, caches
from django.utils import timezone
from rest_framework.test import APIClient

from canvass.models import ApiToken

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


def sign_in(client, device="Vera's phone"):
    answer = client.post(TOKEN, {"username": "vera", "password": "doorstep-pass-1", "device": device}).json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer['token']}")
    return answer


def test_a_token_expires(vera, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    client = APIClient()
    sign_in(client)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401


def test_a_token_is_made_for_a_lifetime(vera, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 7
    sign_in(APIClient())
    lifetime = ApiToken.objects.get().expires_at - timezone.now()
    assert dt.timedelta(days=6, hours=23) < lifetime <= dt.timedelta(days=7)


def test_the_key_itself_is_not_stored(vera):
    key = sign_in(APIClient())["token"]
    assert not ApiToken.objects.filter(digest=key).exists()


def test_a_user_lists_their_devices_and_revokes_one(vera):
    phone, tablet = APIClient(), APIClient()
    sign_in(phone, "phone")
    tablet_token = sign_in(tablet, "tablet")
    listed = phone.get("/api/v1/auth/tokens/").json()
    assert sorted(row["device"] for row in listed) == ["phone", "tablet"]
    assert "token" not in listed[0] and "digest" not in listed[0]
    assert phone.delete(f"/api/v1/auth/tokens/{tablet_token['id']}/").status_code == 204
    assert tablet.get("/api/v1/me/").status_code == 401
    assert phone.get("/api/v1/me/").status_code == 200


def test_nobody_revokes_someone_elses_token(vera, victor):
    vera_token = sign_in(APIClient())
    other = APIClient()
    other.force_authenticate(victor)
    assert other.delete(f"/api/v1/auth/tokens/{vera_token['id']}/").status_code == 404
    assert ApiToken.objects.filter(pk=vera_token["id"]).exists()


def test_api_logout_revokes_only_this_devices_token(vera):
    phone, tablet = APIClient(), APIClient()
    sign_in(phone, "phone")
    sign_in(tablet, "tablet")
    phone.post("/api/v1/auth/logout/")
    assert tablet.get("/api/v1/me/").status_code == 200


def test_web_logout_revokes_the_api_tokens(client, vera):
    api = APIClient()
    sign_in(api)
    client.force_login(vera)
    client.post("/accounts/logout/")
    assert api.get("/api/v1/me/").status_code == 401
