from django.urls import path

from canvass.sessions import views as sessions
from canvass.surveys import views as surveys
from canvass.walklists import views as walk_lists
from wards.views import dashboard, exports, overview, volunteers

app_name = "wards"

urlpatterns = [
    path("", overview.campaign_overview, name="overview"),
    path("advance/", overview.campaign_advance, name="advance"),
    path("wards/<int:pk>/", dashboard.ward_dashboard, name="ward"),
    path("wards/<int:pk>/segments/<slug:segment>/", dashboard.segment_voters, name="segment"),
    path("wards/<int:pk>/by-election/", dashboard.by_election_open_view, name="by-election-open"),
    path("wards/<int:pk>/segments/<slug:segment>/export.csv", exports.segment_csv, name="segment-csv"),
    path("wards/<int:pk>/walk-lists/new/", walk_lists.walk_list_new, name="walk-list-new"),
    path("walk-lists/<int:pk>/", walk_lists.walk_list_detail, name="walk-list"),
    path("wards/<int:pk>/sessions/new/", sessions.session_new, name="session-new"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("volunteers/", volunteers.volunteers, name="volunteers"),
    path("volunteers/<int:pk>/wards/", volunteers.volunteer_wards, name="volunteer-wards"),
    path("volunteers/<int:pk>/invitation/", volunteers.volunteer_reinvite, name="volunteer-reinvite"),
    path("wards/<int:pk>/leaflets/new/", walk_lists.leaflet_new, name="leaflet-new"),
    path("walk-list-cuts/<int:pk>/", walk_lists.walk_list_cut_detail, name="walk-list-cut"),
    path("walk-lists/<int:pk>/export.csv", exports.walk_list_csv, name="walk-list-csv"),
    path("walk-lists/<int:pk>/sheet/", exports.walk_sheet, name="walk-sheet"),
    path("walk-lists/<int:pk>/script/", surveys.walk_list_script, name="walk-list-script"),
    path("wards/<int:pk>/answers.csv", exports.survey_csv, name="survey-csv"),
    path("questions/", surveys.question_list, name="questions"),
    path("questions/new/", surveys.question_new, name="question-new"),
    path("questions/<int:pk>/", surveys.question_edit, name="question-edit"),
]
