"""The filing kind's pages (part A)."""

from django.urls import path

from lvzhi.filing import intake_views, review_views

urlpatterns = [
    path("mine/", intake_views.mine, name="mine"),
    path("new/", intake_views.new, name="new"),
    path("<int:pk>/receipt.docx", intake_views.receipt, name="receipt"),
    path("<int:pk>/opinion.docx", intake_views.opinion_doc, name="opinion_doc"),
    path("review/", review_views.review_queue, name="review_queue"),
]
