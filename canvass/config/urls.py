from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from canvass.paper import views as paper
from canvass.privacy import two_factor
from canvass.sessions import views as sessions
from canvass.views import deliveries, doorstep, invitations, refusals, site
from canvass.views.login import login_throttled

urlpatterns = [
    path("", site.home, name="home"),
    path("healthz", site.healthz, name="healthz"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("accounts/login/", login_throttled(auth_views.LoginView.as_view()), name="login"),
    path("accounts/two-factor/", two_factor.two_factor, name="two-factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/invitation/", invitations.invitation, name="invitation"),
    path("admin/login/", login_throttled(admin.site.login)),
    path("admin/privacy/", include("canvass.privacy.urls")),
    path("admin/", admin.site.urls),
    path("sw.js", doorstep.service_worker, name="service-worker"),
    path("doorstep/", doorstep.walk_lists, name="doorstep-lists"),
    path("doorstep/lists/<int:pk>/", doorstep.walk_list, name="doorstep-list"),
    path("doorstep/deliveries/<int:pk>/", deliveries.delivery_round, name="doorstep-delivery"),
    path("doorstep/deliveries/<int:pk>/marks", deliveries.delivery_marks, name="doorstep-delivery-marks"),
    path("doorstep/sessions/", sessions.sessions_mine, name="doorstep-sessions"),
    path("doorstep/sessions/<int:pk>/answer", sessions.session_answer, name="doorstep-session-answer"),
    path("doorstep/offline/", doorstep.offline, name="doorstep-offline"),
    path("doorstep/manifest.webmanifest", doorstep.manifest, name="doorstep-manifest"),
    path("api/", include("canvass.api.urls")),
    path("campaign/paper-returns/", paper.paper_returns, name="paper-returns"),
    path("campaign/paper-returns/elector", paper.paper_lookup, name="paper-lookup"),
    path("campaign/paper-returns/entries", paper.paper_entry, name="paper-entry"),
    path("campaign/paper-returns/undo", paper.paper_undo, name="paper-undo"),
    path("campaign/refused-contacts/", refusals.refused_syncs, name="refused-syncs"),
    path("campaign/", include("wards.urls")),
    path("", include("wards.polling.urls")),
]

handler403 = "canvass.views.site.permission_denied"
handler404 = "canvass.views.site.page_not_found"
