"""Pages of duty activities (履职活动)."""

from django.urls import path

from lvzhi.deputies import activity_views as v

urlpatterns = [
    path("activities/", v.activity_list, name="activities"),
    path("activities/new/", v.activity_new, name="activity_new"),
    path("activities/mine/", v.my_activities, name="my_activities"),
    path("activities/mine/new/", v.self_report, name="self_report"),
    path("activities/<int:pk>/", v.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", v.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/check/", v.activity_check, name="activity_check"),
    path("activities/<int:pk>/files/", v.activity_files, name="activity_files"),
    path("activities/files/<int:pk>/", v.activity_file, name="activity_file"),
    path("activities/entries/<int:pk>/confirm/", v.participation_confirm, name="participation_confirm"),
    path("activities/entries/<int:pk>/dispute/", v.participation_dispute, name="participation_dispute"),
    path("activities/entries/<int:pk>/settle/", v.participation_settle, name="participation_settle"),
]
