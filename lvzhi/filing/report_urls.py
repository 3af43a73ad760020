"""Routes of the 发文目录, special reviews, the annual report and the public pages."""

from django.urls import path

from lvzhi.filing import public_views, report_views

urlpatterns = [
    path("reports/", report_views.home, name="report_home"),
    path("reports/catalogues/", report_views.catalogues, name="catalogues"),
    path("reports/catalogues/missing/", report_views.catalogues, name="catalogue_missing"),
    path("reports/catalogues/entries/<int:pk>/resolve/", report_views.catalogue_resolve, name="catalogue_resolve"),
    path("catalogue/", report_views.catalogue_submit, name="catalogue_submit"),
    path("catalogue/template.xlsx", report_views.catalogue_template, name="catalogue_template"),
    path("reports/special/", report_views.specials, name="specials"),
    path("reports/special/<int:pk>/", report_views.special_detail, name="special_detail"),
    path("reports/<int:year>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:year>/report.docx", report_views.report_docx, name="report_docx"),
    path("reports/<int:year>/directory.xlsx", report_views.directory_xlsx, name="directory_xlsx"),
    path("public/", public_views.documents, name="public_documents"),
    path("public/<int:year>/directory/", public_views.directory, name="public_directory"),
    path("public/outcomes/", public_views.outcomes, name="public_outcomes"),
    path("public/reports/", public_views.reports, name="public_reports"),
    path("public/reports/<int:year>/", public_views.report_page, name="public_report"),
]
