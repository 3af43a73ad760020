from django.urls import path

from lvzhi.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/do/<slug:name>/", views.fire_view, name="fire"),
    path("cases/<int:pk>/replies/<int:reply_id>/attachment/", views.reply_attachment,
         name="reply_attachment"),
    path("office/batch-assign/", views.batch_assign, name="batch_assign"),
    path("office/assign-preview/", views.assign_preview, name="assign_preview"),
    path("office/deadlines/", views.deadline_monitor, name="monitor"),
    path("unit/inbox/", views.unit_inbox, name="inbox"),
]
