from django.urls import path

from canvass.privacy.views import urlpatterns_views as views

urlpatterns = [
    path("", views["overview"], name="privacy-overview"),
    path("voters/<int:voter_id>/access/", views["access"], name="privacy-access"),
    path("voters/<int:voter_id>/access.json", views["access_json"], name="privacy-access-json"),
    path("voters/<int:voter_id>/erase/", views["erase"], name="privacy-erase"),
    path("purge/", views["purge"], name="privacy-purge"),
]
