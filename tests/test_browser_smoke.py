import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_page_renders_in_a_real_browser(live_server, phone_page):
    phone_page.goto(f"{live_server.url}/accounts/login/")
    assert phone_page.get_by_label("Username").is_visible()
