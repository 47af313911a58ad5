from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from canvass.api.views import auth, contacts, walklists, wards

router = DefaultRouter()
router.register("walk-lists", walklists.WalkListViewSet, basename="walk-list")

v1 = [
    path("me/", auth.MeView.as_view(), name="me"),
    path("auth/token/", auth.TokenView.as_view(), name="auth-token"),
    path("auth/logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("parties/", wards.PartyListView.as_view(), name="party-list"),
    path("contacts/sync/", contacts.ContactSyncView.as_view(), name="contact-sync"),
    path("contacts/", contacts.ContactCreateView.as_view(), name="contact-create"),
    path("contacts/<uuid:client_uuid>/", contacts.ContactUndoView.as_view(), name="contact-undo"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
