import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

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


def test_another_username_from_the_same_address_is_not_throttled(client):
    for _ in range(3):
        fail_login(client, reverse("login"))
    assert fail_login(client, reverse("login"), username="someone-else").status_code == 200


def test_successful_logins_do_not_count(client):
    UserFactory(username="walter")
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "walter", "password": "doorstep-pass-1"})
        assert response.status_code == 302
        client.logout()
