"""The plan, legislative-suggestion and bill pages, in lvzhi.legislation.urls (namespace "legislation")."""

from django.urls import path

from lvzhi.legislation import bill_views, plan_views

urlpatterns = [
    path("plan/", plan_views.plan, name="plan"),
    path("plan/<int:pk>/approve/", plan_views.plan_approve, name="plan_approve"),
    path("plan/<int:pk>/publish/", plan_views.plan_publish, name="plan_publish"),
    path("plan/<int:pk>/adjust/", plan_views.plan_adjust, name="plan_adjust"),
    path("plan/items/new/", plan_views.plan_item_new, name="plan_item_new"),
    path("plan/items/<int:pk>/", plan_views.plan_item, name="plan_item"),
    path("suggestions/", plan_views.suggestion_list, name="suggestions"),
    path("suggestions/template/", plan_views.suggestion_template, name="suggestion_template"),
    path("public/plan/<int:year>/", plan_views.public_plan, name="public_plan"),
    path("bills/", bill_views.bill_list, name="bills"),
    path("bills/new/", bill_views.bill_new, name="bill_new"),
    path("bills/<int:pk>/", bill_views.bill_detail, name="bill"),
]
