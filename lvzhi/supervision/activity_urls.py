from django.urls import path

from lvzhi.supervision import activity_views as views

urlpatterns = [
    path("topics/<int:pk>/work/", views.topic_work, name="topic_work"),
    path("topics/<int:pk>/work/<slug:what>/", views.topic_work_record, name="topic_work_record"),
    path("checks/<int:pk>/file/", views.site_check_file, name="site_check_file"),
]
