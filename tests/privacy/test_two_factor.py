import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


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
