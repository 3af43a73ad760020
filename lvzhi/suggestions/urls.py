from django.urls import path

from lvzhi.suggestions import views

urlpatterns = [
    path("my/", views.my_cases, name="my_cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/merge-targets/", views.merge_targets, name="merge_targets"),
    path("office/intake/", views.intake, name="intake"),
    path("office/key/", views.key_cases, name="key_cases"),
]
