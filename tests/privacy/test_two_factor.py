import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from canvass.services.tokens import api_token_create


@pytest.fixture
def required(settings):
    settings.PRIVACY_REQUIRE_2FA = True


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_production_settings_require_two_factor_by_default():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.PRIVACY_REQUIRE_2FA)"],
        env={
            "DJANGO_SETTINGS_MODULE": "canvass.config.settings",
            "DATABASE_URL": "postgres://x@127.0.0.1/x",
            "SECRET_KEY": "k" * 50,
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True"


def test_an_organiser_without_a_code_is_sent_to_the_code_page(client, required, olivia):
    client.force_login(olivia)

    response = client.get("/campaign/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")


def test_the_api_says_a_code_is_needed(client, required, olivia):
    client.force_login(olivia)

    response = client.get("/api/v1/voters/")

    assert response.status_code == 403 and "Two-factor" in response.json()["detail"]


def test_an_admin_enrols_an_app_and_is_let_in(client, required, alice):
    client.force_login(alice)
    assert "totp-secret" in client.get("/accounts/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=alice)

    response = client.post("/accounts/two-factor/", {"token": _code(device), "next": "/admin/"})

    assert response["Location"] == "/admin/"
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_with_a_reason(client, required, alice):
    client.force_login(alice)
    client.get("/accounts/two-factor/")

    response = client.post("/accounts/two-factor/", {"token": "000000"})

    assert response.status_code == 200 and "not right" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_volunteers_sign_in_with_a_password_alone(client, required, vera):
    client.force_login(vera)

    assert client.get("/doorstep/").status_code == 200


# The API token endpoint has no session to send to the code page: the code comes with the password.

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def olivias_app(olivia):
    return TOTPDevice.objects.create(user=olivia, name="Authenticator app", confirmed=True)


def _token_request(**fields):
    return APIClient().post(TOKEN, {"password": "doorstep-pass-1", **fields})


def test_an_organiser_gets_no_token_without_a_code(required, olivias_app, _fresh_throttle_counts):
    response = _token_request(username="olivia")

    assert response.status_code == 400
    assert "six-digit code" in response.json()["otp"][0]
    assert not olivias_app.user.api_tokens.exists()


def test_an_organiser_gets_no_token_with_a_wrong_code_and_it_counts_as_a_failed_sign_in(
    required, olivias_app, settings, _fresh_throttle_counts
):
    settings.LOGIN_THROTTLE_RATE = "2/min"
    for _ in range(2):
        assert "not right" in _token_request(username="olivia", otp="000000").json()["otp"][0]

    response = _token_request(username="olivia", otp=_code(olivias_app))

    assert response.status_code == 429
    assert not olivias_app.user.api_tokens.exists()


def test_an_organiser_who_never_enrolled_is_told_to_add_an_app_on_the_web(required, olivia, _fresh_throttle_counts):
    response = _token_request(username="olivia", otp="123456")

    assert response.status_code == 400
    assert "/accounts/two-factor/" in response.json()["otp"][0]
    assert not TOTPDevice.objects.filter(user=olivia).exists()


def test_an_organiser_with_the_right_code_gets_a_token_that_opens_the_api(
    required, olivias_app, _fresh_throttle_counts
):
    token = _token_request(username="olivia", otp=_code(olivias_app)).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.get("/api/v1/me/").json()["username"] == "olivia"


def test_an_organisers_token_made_before_two_factor_was_required_stops_working(settings, olivia):
    _, key = api_token_create(user=olivia, device="old phone")
    settings.PRIVACY_REQUIRE_2FA = True
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get("/api/v1/me/")

    assert response.status_code == 401 and "without two-factor" in response.json()["detail"]


def test_a_volunteer_gets_a_token_with_a_password_alone(required, vera, _fresh_throttle_counts):
    response = _token_request(username="vera")

    assert response.status_code == 200 and response.json()["token"]
