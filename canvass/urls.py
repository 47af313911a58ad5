from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from canvass.privacy import two_factor
from canvass.views import doorstep, refusals, site
from canvass.views.login import login_throttled

urlpatterns = [
    path("", site.home, name="home"),
    path("healthz", site.healthz, name="healthz"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("accounts/login/", login_throttled(auth_views.LoginView.as_view()), name="login"),
    path("accounts/two-factor/", two_factor.two_factor, name="two-factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/login/", login_throttled(admin.site.login)),
    path("admin/privacy/", include("canvass.privacy.urls")),
    path("admin/", admin.site.urls),
    path("sw.js", doorstep.service_worker, name="service-worker"),
    path("doorstep/", doorstep.walk_lists, name="doorstep-lists"),
    path("doorstep/lists/<int:pk>/", doorstep.walk_list, name="doorstep-list"),
    path("doorstep/offline/", doorstep.offline, name="doorstep-offline"),
    path("doorstep/manifest.webmanifest", doorstep.manifest, name="doorstep-manifest"),
    path("api/", include("canvass.api.urls")),
    path("campaign/refused-contacts/", refusals.refused_syncs, name="refused-syncs"),
    path("campaign/", include("wards.urls")),
    path("", include("wards.polling.urls")),
]

handler403 = "canvass.views.site.permission_denied"
handler404 = "canvass.views.site.page_not_found"
