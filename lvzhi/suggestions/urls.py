from django.urls import path

from lvzhi.suggestions import views

urlpatterns = [
    path("my/", views.my_cases, name="my_cases"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/do/<slug:name>/", views.fire_view, name="case_fire"),
    path("cases/<int:pk>/replies/<int:reply_id>/attachment/", views.reply_attachment,
         name="reply_attachment"),
    path("office/intake/", views.intake, name="intake"),
    path("office/batch-assign/", views.batch_assign, name="batch_assign"),
    path("office/assign-preview/", views.assign_preview, name="assign_preview"),
    path("office/deadlines/", views.deadline_monitor, name="deadline_monitor"),
    path("office/key/", views.key_cases, name="key_cases"),
    path("unit/inbox/", views.unit_inbox, name="unit_inbox"),
]
