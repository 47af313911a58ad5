import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from canvass.services import logins
from tests.factories import ProfileFactory, UserFactory

TOKEN = "/api/v1/auth/token/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_attempts_a_minute(settings):
    settings.LOGIN_THROTTLE_RATE = "3/min"
    cache.clear()
    yield
    cache.clear()


def fail_login(client, url, username="walter"):
    return client.post(url, {"username": username, "password": "wrong-password"})


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_too_many_failed_logins_are_refused(client, url_name):
    url = reverse(url_name)
    for _ in range(3):
        assert fail_login(client, url).status_code == 200
    assert fail_login(client, url).status_code == 429


def test_a_throttled_username_cannot_log_in_even_with_the_right_password(client):
    UserFactory(username="walter")
    for _ in range(3):
        fail_login(client, reverse("login"))
    response = client.post(reverse("login"), {"username": "walter", "password": "doorstep-pass-1"})
    assert response.status_code == 429


def test_the_address_is_limited_whatever_username_it_tries(client):
    for name in ("walter", "wendy", "wilma"):
        fail_login(client, reverse("login"), username=name)
    assert fail_login(client, reverse("login"), username="someone-else").status_code == 429


@pytest.fixture
def pauses(monkeypatch):
    held = []
    monkeypatch.setattr(logins, "pause", lambda seconds: held.append(seconds))
    return held


def from_address(address, **forwarded):
    return {"REMOTE_ADDR": address, **forwarded}


def test_a_forged_forwarded_for_header_does_not_dodge_the_limit(pauses):
    api = APIClient()
    answers = [
        api.post(TOKEN, {"username": f"user{n}", "password": "x"}, HTTP_X_FORWARDED_FOR=f"10.9.{n}.1").status_code
        for n in range(30)
    ]
    assert answers[:3] == [400, 400, 400]
    assert set(answers[3:]) == {429}


def test_behind_a_trusted_proxy_each_client_address_counts_apart(settings, pauses):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    api = APIClient()
    for _ in range(3):
        api.post(TOKEN, {"username": "x", "password": "x"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    blocked = api.post(
        TOKEN, {"username": "y", "password": "x"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    other = api.post(
        TOKEN, {"username": "y", "password": "x"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert (blocked.status_code, other.status_code) == (429, 400)


def test_a_client_cannot_prepend_a_forwarded_address_through_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    meta = from_address("10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert logins.client_address(meta) == "203.0.113.7"


def test_an_account_attacked_from_many_addresses_is_slowed_not_locked(pauses):
    walter = UserFactory(username="walter")
    ProfileFactory(user=walter)
    api = APIClient()
    for n in range(8):
        assert (
            api.post(TOKEN, {"username": "walter", "password": "x"}, REMOTE_ADDR=f"198.51.100.{n}").status_code == 400
        )
    assert pauses[:3] == [0.0, 0.0, 0.0] and pauses[3] > 0 and pauses[-1] > pauses[3]
    assert max(pauses) <= logins.MAX_SLOWDOWN_SECONDS
    real = api.post(TOKEN, {"username": "walter", "password": "doorstep-pass-1"}, REMOTE_ADDR="192.0.2.50")
    assert real.status_code == 200


def test_the_web_and_api_logins_count_together(client, pauses):
    for _ in range(3):
        fail_login(client, reverse("login"))
    assert APIClient().post(TOKEN, {"username": "walter", "password": "x"}).status_code == 429


def test_a_refusal_says_when_to_try_again(client):
    for _ in range(3):
        fail_login(client, reverse("login"))
    assert fail_login(client, reverse("login"))["Retry-After"] == "60"


def test_successful_logins_do_not_count(client):
    UserFactory(username="walter")
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "walter", "password": "doorstep-pass-1"})
        assert response.status_code == 302
        client.logout()
