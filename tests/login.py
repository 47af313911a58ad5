"""How tests log in: `client_for(user)` for Django's test client, `log_in(page, base_url, user)` for a browser."""

from django.test import Client

PASSWORD = "doorstep-pass-1"  # every UserFactory user's password


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def log_in(page, base_url: str, user, *, lands_on: str, asked_for: bool = False) -> None:
    """Log in through the login form, as a person does, and wait for the page it lands on.

    `asked_for=True`: the person asked for `lands_on` first and was sent to log in (`?next=`), as a link shared
    with a teller or a volunteer does.
    """
    page.goto(f"{base_url}/accounts/login/" + (f"?next={lands_on}" if asked_for else ""))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}{lands_on}")
