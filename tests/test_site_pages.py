"""The site's own pages: 403 and 404 in the site's layout with a way back, whatever DEBUG says; the favicon."""

import pytest
from django.test import Client
from django.urls import reverse

LAYOUT = 'class="site-header"'


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(params=[True, False], ids=["debug-on", "debug-off"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_volunteer_asking_for_an_organiser_page_gets_403_in_the_layout_with_a_link_to_her_lists(debug, vera):
    response = signed_in(vera).get(reverse("wards:overview"))
    assert response.status_code == 403
    page = response.content.decode()
    assert LAYOUT in page and "Not allowed" in page
    assert f'href="{reverse("doorstep-lists")}"' in page


def test_unknown_url_is_404_in_the_layout_for_anonymous_with_a_link_to_log_in(debug, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert LAYOUT in page and "Not found" in page and "Traceback" not in page and "URLconf" not in page
    assert f'href="{reverse("login")}"' in page


def test_organiser_gets_404_in_the_layout_with_a_link_to_the_campaign(debug, olivia, south_ham):
    response = signed_in(olivia).get(reverse("wards:ward", args=[south_ham.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert LAYOUT in page and f'href="{reverse("wards:overview")}"' in page


def test_unknown_url_without_its_slash_is_still_redirected(debug, olivia):
    response = signed_in(olivia).get("/campaign")
    assert response.status_code == 301 and response["Location"] == "/campaign/"


def test_unknown_api_url_keeps_a_json_error(settings, olivia):
    settings.DEBUG = False
    response = signed_in(olivia).get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and response.json() == {"detail": "Not found."}


def test_api_errors_stay_json_with_debug_on_or_off(debug, vera):
    response = signed_in(vera).get("/api/v1/audit-events/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")


def test_favicon_answers_from_the_app(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_base_template_links_the_favicon(client):
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in page and "favicon" in page
