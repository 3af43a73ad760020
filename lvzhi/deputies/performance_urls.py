"""履职档案 routes (mounted under /deputies/)."""

from django.urls import path

from lvzhi.deputies import performance_views as views

urlpatterns = [
    path("record/", views.my_record, name="my_record"),
    path("records/", views.records, name="records"),
    path("<int:pk>/record/", views.deputy_record, name="record"),
    path("<int:pk>/record/report.docx", views.report, name="record_report"),
    path("<int:pk>/public/", views.public, name="public"),
]
