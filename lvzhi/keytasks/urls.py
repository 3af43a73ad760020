from django.urls import path

from lvzhi.keytasks import views

app_name = "keytasks"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.task_new, name="new"),
    path("approval/", views.approval, name="approval"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("import/", views.import_tasks, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("export.xlsx", views.export, name="export"),
]
