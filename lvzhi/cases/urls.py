from django.urls import path

from lvzhi.cases import views
from lvzhi.cases.views import monitor as monitor_views
from lvzhi.cases.views import todo as todo_views

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
    path("office/deadlines/urge/", monitor_views.urge_batch, name="monitor_urge"),
    path("office/deadlines/overdue.xlsx", monitor_views.overdue_xlsx, name="monitor_xlsx"),
    path("unit/inbox/", views.unit_inbox, name="inbox"),
    path("todo/", todo_views.todo_index, name="todo"),
    path("todo/<slug:code>/", todo_views.todo_list, name="todo_list"),
]
