"""The one login throttle, for the web login, the admin login and the API token endpoint.

Failed attempts are counted in the shared cache (every worker counts together), twice:

- per client address: past the limit, that address is refused (429) until the window passes;
- per account: past the limit, each further attempt is slowed down, doubling up to a few seconds,
  but still checked, so an attacker elsewhere cannot lock the real user out.

The client address is REMOTE_ADDR, or, when the request comes through a proxy named in
TRUSTED_PROXIES, the last X-Forwarded-For entry that is not one of those proxies: a client-supplied
header is never trusted on its own. Keys are hashed, so the cache holds no username or address.
"""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
MAX_SLOWDOWN_SECONDS = 4.0


def login_rate() -> tuple[int, int]:
    """LOGIN_THROTTLE_RATE as (attempts, seconds): '10/min' is ten failed attempts a minute."""
    attempts, period = str(settings.LOGIN_THROTTLE_RATE).split("/")
    return int(attempts), PERIODS[period]


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def client_address(meta) -> str:
    """The caller's address; X-Forwarded-For is read only as far as our own proxies wrote it."""
    address = meta.get("REMOTE_ADDR", "")
    if not _trusted(address):
        return address
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            return hop
    return hops[0] if hops else address


def _key(kind: str, value: str) -> str:
    return f"login-failures:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _keys(*, username: str, address: str) -> tuple[str, str]:
    return _key("address", address), _key("account", username.strip().lower())


def login_refused_for(*, address: str) -> int:
    """Seconds to wait when this address has failed too often; 0 when it may try."""
    limit, seconds = login_rate()
    return seconds if cache.get(_key("address", address), 0) >= limit else 0


def login_slowdown(*, username: str) -> float:
    """Seconds to hold this attempt back: none until the account's limit, then doubling per failure."""
    limit, _ = login_rate()
    over = cache.get(_key("account", username.strip().lower()), 0) - limit
    return 0.0 if over < 0 else min(MAX_SLOWDOWN_SECONDS, 0.25 * 2**over)


def pause(seconds: float) -> None:
    if seconds:
        time.sleep(seconds)


def login_attempt_begin(*, username: str, address: str) -> int:
    """Call before checking a password: the seconds to refuse for (0 to go on), slowing the attempt down."""
    refused = login_refused_for(address=address)
    if not refused:
        pause(login_slowdown(username=username))
    return refused


def login_attempt_failed(*, username: str, address: str) -> None:
    _, seconds = login_rate()
    for key in _keys(username=username, address=address):
        if not cache.add(key, 1, seconds):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, seconds)


def login_attempt_succeeded(*, username: str) -> None:
    """The real user got in: their account is not slowed down any longer."""
    cache.delete(_key("account", username.strip().lower()))
