"""Public comment's pages, in the "legislation" namespace (lvzhi.legislation.urls)."""

from django.urls import path

from lvzhi.legislation import comment_public_views as public
from lvzhi.legislation import comment_views as views

urlpatterns = [
    path("comments/", views.periods, name="comment_periods"),
    path("comments/open/", views.period_open, name="comment_period_open"),
    path("comments/<int:pk>/", views.period, name="comment_period"),
    path("comments/<int:pk>/close/", views.period_close, name="comment_period_close"),
    path("comments/<int:pk>/group/", views.period_group, name="comment_period_group"),
    path("comments/<int:pk>/summary/", views.period_summary, name="comment_summary"),
    path("comments/<int:pk>/summary.docx", views.period_summary_docx, name="comment_summary_docx"),
    path("comments/<int:pk>/comment/", views.own_comment, name="comment_own"),
    path("comments/<int:period_pk>/template.xlsx", views.point_template, name="point_template"),
    path("comments/item/<int:pk>/ungroup/", views.comment_ungroup, name="comment_ungroup"),
    path("comments/item/<int:pk>/move/", views.comment_move, name="comment_move"),
    path("comments/item/<int:pk>/decide/", views.comment_decide, name="comment_decide"),
    path("comments/item/<int:pk>/link/", views.comment_link, name="comment_link"),
    path("comments/mine/", views.mine, name="comment_mine"),
    path("contact-points/", views.contact_points, name="contact_points"),
    path("contact-point/", views.point_home, name="point_home"),
    path("contact-point/<int:pk>/<int:period_pk>/enter/", views.point_enter, name="point_enter"),
    path("contact-point/<int:pk>/<int:period_pk>/import/", views.point_import, name="point_import"),
    path("contact-point/<int:pk>/<int:period_pk>/feedback.docx", views.point_feedback, name="point_feedback"),
    path("public/comments/", public.public_list, name="public_comments"),
    path("public/comments/receipt/", public.public_receipt, name="public_receipt"),
    path("public/comments/<int:pk>/", public.public_draft, name="public_comment_draft"),
    path("public/comments/<int:pk>/comment/", public.public_comment, name="public_comment"),
    path("public/comments/done/<str:receipt>/", public.public_comment_done, name="public_comment_done"),
]
