"""Files in and out, mounted at /files/ by config/urls.py."""

from django.urls import path

from lvzhi.suggestions import views_files as views

urlpatterns = [
    path("import/", views.import_cases, name="import_cases"),
    path("import-template.xlsx", views.import_template, name="import_template"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("cases/<int:pk>/notice.docx", views.case_notice_docx, name="case_notice_docx"),
]
