"""Login throttle figures: one address, many addresses (X-Forwarded-For spoofing) and one account.

Usage (the shared cache must be the real one, Redis; a bench user is made and removed in that database):

    DATABASE_URL=postgres://... CACHE_URL=redis://... SECRET_KEY=... .venv/bin/python bench/login_throttle.py

Wrong passwords go to the API token endpoint (the web and admin logins share its rule,
canvass/services/logins.py) through Django's test client, in-process, with LOGIN_THROTTLE_RATE as configured
(default 10/min). For each scenario it prints, per attempt, the answer and how long it took, and then:

  1. one address, one account: the attempt from which that address is refused (429);
  2. one address forging a new X-Forwarded-For each time, with no trusted proxy, and again behind a trusted
     proxy (which appends the real address): the forged header changes nothing;
  3. one account attacked from a new address each time (a botnet): the account is slowed down, never refused,
     and the real user, from their own address, still gets in with the right password.
Passwords are hashed with a fast hasher here, so the times shown are the throttle's own. Cache keys carry a
prefix of their own (bench/fault_settings.py), so other runs sharing the Redis are untouched.
"""

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ["DJANGO_SETTINGS_MODULE"] = "fault_settings"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from canvass.models import Role  # noqa: E402
from canvass.services.logins import login_rate, login_slowdown  # noqa: E402
from tests.factories import ProfileFactory  # noqa: E402

TOKEN = "/api/v1/auth/token/"
PASSWORD = "the-right-password-for-the-bench"


def attempt(client: Client, username: str, password: str, **meta) -> tuple[int, float, float]:
    """(answer, seconds it took, seconds the throttle held it back)."""
    held = login_slowdown(username=username)
    started = time.monotonic()
    response = client.post(TOKEN, {"username": username, "password": password}, content_type="application/json", **meta)
    return response.status_code, time.monotonic() - started, held


def summary(name: str, rows: list[tuple[int, float, float]]) -> None:
    first_429 = next((n for n, (code, _, _) in enumerate(rows, 1) if code == 429), None)
    first_slow = next((n for n, (code, _, held) in enumerate(rows, 1) if held and code != 429), None)
    answers = " ".join(
        f"{code}/{seconds:.2f}s" + (f" held {held}s" if held and code != 429 else "") for code, seconds, held in rows
    )
    print(f"\n{name}\n  attempts (answer/time taken): {answers}")
    print(f"  first 429 at attempt: {first_429 or 'never'}; first slowed attempt: {first_slow or 'never'}")


# The figures are the throttle's, not the password hasher's: on a busy machine one PBKDF2 check takes seconds.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def main() -> None:
    limit, period = login_rate()
    print(f"LOGIN_THROTTLE_RATE={settings.LOGIN_THROTTLE_RATE} ({limit} failures per {period} s), "
          f"TRUSTED_PROXIES={settings.TRUSTED_PROXIES}")  # fmt: skip
    run = f"{os.getpid()}-{random.randrange(10**6)}"
    net = random.randrange(1, 250)
    user, victim = (
        ProfileFactory(user__username=f"throttle-bench-{name}-{run}", role=Role.VOLUNTEER).user
        for name in ("one", "botnet")
    )
    for person in (user, victim):
        person.set_password(PASSWORD)
        person.save()
    client = Client(SERVER_NAME="localhost")
    attempt(client, user.username, PASSWORD, REMOTE_ADDR="192.0.2.1")  # warm up: the first request loads code
    try:
        attacker = f"198.51.100.{net}"
        rows = [attempt(client, user.username, "wrong", REMOTE_ADDR=attacker) for _ in range(limit + 5)]
        summary(f"1. one address ({attacker}), one account, {limit + 5} wrong passwords", rows)

        forger = f"198.51.101.{net}"
        rows = [
            attempt(client, f"nobody-{run}-{n}", "wrong", REMOTE_ADDR=forger, HTTP_X_FORWARDED_FOR=f"10.9.{n}.1")
            for n in range(limit + 20)
        ]
        summary(f"2a. one address ({forger}) forging X-Forwarded-For, no trusted proxy, {limit + 20} tries", rows)

        proxied = f"198.51.102.{net}"
        with override_settings(TRUSTED_PROXIES=["127.0.0.1/32"]):
            rows = [
                attempt(
                    client,
                    f"nobody-{run}-p{n}",
                    "wrong",
                    REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"10.9.{n}.1, {proxied}",
                )
                for n in range(limit + 20)
            ]
        summary(f"2b. the same behind a trusted proxy that appends the real address ({proxied})", rows)

        rows = [attempt(client, victim.username, "wrong", REMOTE_ADDR=f"203.0.{n}.{net}") for n in range(limit + 6)]
        summary(f"3. one account from {limit + 6} different addresses (a botnet)", rows)
        code, seconds, held = attempt(client, victim.username, PASSWORD, REMOTE_ADDR=f"192.0.2.{net}")
        print(
            f"  then, mid-attack, the real user (right password, own address): {code} in {seconds:.2f}s, held {held}s"
        )
        code, seconds, held = attempt(client, victim.username, "wrong", REMOTE_ADDR=f"203.0.99.{net}")
        print(f"  the attacker's next try after that success: {code}, held {held}s (the slow-down starts again)")
    finally:
        user.delete()
        victim.delete()


if __name__ == "__main__":
    main()
