from django.urls import path

from lvzhi.assist import views

urlpatterns = [
    path("models/", views.models_page, name="assist_models"),
    path("models/table/", views.models_table, name="assist_models_table"),
    path("models/retrain/", views.retrain, name="assist_retrain"),
    path("similar/", views.similar, name="assist_similar"),
    path("hot-topics/", views.hot_topics, name="assist_hot_topics"),
    path("cases/<int:pk>/units/", views.case_units, name="assist_case_units"),
    path("cases/<int:pk>/similar/", views.case_similar, name="assist_case_similar"),
    path("cases/<int:pk>/reply-check/", views.reply_check, name="assist_reply_check"),
]
