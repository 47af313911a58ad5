from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from canvass.api.views import audit, auth, contacts, register, walklist_changes, walklists
from wards.api import targets
from wards.api import views as wards

router = DefaultRouter()
router.register("walk-lists", walklists.WalkListViewSet, basename="walk-list")
router.register("wards", wards.WardViewSet, basename="ward")
router.register("polling-districts", wards.PollingDistrictViewSet, basename="polling-district")
router.register("villages", wards.VillageViewSet, basename="village")
router.register("households", register.HouseholdViewSet, basename="household")
router.register("voters", register.VoterViewSet, basename="voter")
router.register("contact-records", contacts.ContactRecordViewSet, basename="contact-record")
router.register("audit-events", audit.AuditEventViewSet, basename="audit-event")
router.register("ward-statistics", targets.WardStatisticsViewSet, basename="ward-statistics")

v1 = [
    path("me/", auth.MeView.as_view(), name="me"),
    path("auth/token/", auth.TokenView.as_view(), name="auth-token"),
    path("auth/logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("auth/tokens/", auth.TokenListView.as_view(), name="auth-tokens"),
    path("auth/tokens/<int:pk>/", auth.TokenRevokeView.as_view(), name="auth-token-revoke"),
    path("parties/", wards.PartyListView.as_view(), name="party-list"),
    path("contacts/sync/", contacts.ContactSyncView.as_view(), name="contact-sync"),
    path("contacts/", contacts.ContactCreateView.as_view(), name="contact-create"),
    path("contacts/<uuid:client_uuid>/", contacts.ContactUndoView.as_view(), name="contact-undo"),
    path("target-lists/", targets.TargetListView.as_view(), name="target-list"),
    path("walk-lists/<int:pk>/changes/", walklist_changes.WalkListChangesView.as_view(), name="walk-list-changes"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
