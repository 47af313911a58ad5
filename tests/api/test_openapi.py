import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_and_lists_the_contract(client, vera):
    client.force_login(vera)
    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/me/",
        "/api/v1/auth/token/",
        "/api/v1/auth/logout/",
        "/api/v1/parties/",
        "/api/v1/walk-lists/",
        "/api/v1/walk-lists/{id}/",
        "/api/v1/contacts/sync/",
        "/api/v1/contacts/",
        "/api/v1/contacts/{client_uuid}/",
    ):
        assert path in schema["paths"], path


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_api_docs_load_their_assets_from_the_app_not_a_cdn(client, vera, page):
    client.force_login(vera)
    html = client.get(page).content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn" not in html.lower()
