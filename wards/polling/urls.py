"""Polling day's pages under /polling/ and its API under /api/v1/polling/ (in the OpenAPI schema)."""

from django.urls import include, path

from wards.polling import api, views

pages = [
    path("", views.index, name="index"),
    path("new/", views.day_new, name="day-new"),
    path("<int:day_id>/", views.day_detail, name="day"),
    path("<int:day_id>/board/", views.board, name="board"),
    path("<int:day_id>/turnout/", views.turnout_record, name="turnout"),
    path("<int:day_id>/wards/<int:ward_id>/knock-up/", views.knock_up, name="knock-up"),
    path("<int:day_id>/postal/<int:voter_id>/returned/", views.postal_returned, name="postal-returned"),
    path("stations/<int:station_id>/teller/", views.teller, name="teller"),
    path("stations/<int:station_id>/key/", views.keying, name="keying"),
    path("stations/<int:station_id>/tellers/", views.station_teller_add, name="teller-add"),
    path("stations/<int:station_id>/tellers/<int:user_id>/remove/", views.station_teller_remove, name="teller-remove"),
    path("rounds/<int:round_id>/", views.round_phone, name="round"),
    path("rounds/<int:round_id>/print/", views.round_print, name="round-print"),
    path("rounds/<int:round_id>/send/", views.round_send, name="round-send"),
    path("rounds/<int:round_id>/back/", views.round_back, name="round-back"),
]

api_v1 = [
    path("stations/", api.StationListView.as_view(), name="stations"),
    path("stations/<int:station_id>/entries/", api.EntryListView.as_view(), name="entries"),
    path("stations/<int:station_id>/entries/sync/", api.EntrySyncView.as_view(), name="entry-sync"),
    path("stations/<int:station_id>/hourly/", api.HourlyCountView.as_view(), name="hourly"),
    path("stations/<int:station_id>/tellers/", api.StationTellerView.as_view(), name="tellers"),
    path(
        "stations/<int:station_id>/tellers/<int:user_id>/",
        api.StationTellerRemoveView.as_view(),
        name="teller-remove",
    ),
    path("entries/<uuid:client_uuid>/", api.EntryUndoView.as_view(), name="entry-undo"),
    path("rounds/", api.RoundListView.as_view(), name="rounds"),
    path("rounds/<int:round_id>/", api.RoundDetailView.as_view(), name="round"),
    path("days/<int:day_id>/board/", api.BoardView.as_view(), name="board"),
    path("days/", api.PollingDayListView.as_view(), name="days"),
    path("days/<int:day_id>/wards/<int:ward_id>/rounds/", api.RoundBuildView.as_view(), name="round-build"),
    path("days/<int:day_id>/wards/<int:ward_id>/postal/", api.PostalPromiseListView.as_view(), name="postal"),
    path("days/<int:day_id>/postal/<int:voter_id>/returned/", api.PostalReturnedView.as_view(), name="postal-returned"),
    path("rounds/<int:round_id>/send/", api.RoundSendView.as_view(), name="round-send"),
    path("rounds/<int:round_id>/back/", api.RoundBackView.as_view(), name="round-back"),
]

urlpatterns = [
    path("polling/", include((pages, "polling"), namespace="polling")),
    path("api/v1/polling/", include((api_v1, "polling-api"), namespace="polling-api")),
]
