"""Routes of the budget analysis pages (included by lvzhi/budget/urls.py under the one 'budget' namespace)."""

from django.urls import URLPattern, path

from lvzhi.budget import views_analysis as v

urlpatterns: list[URLPattern] = [
    path("", v.overview, name="overview"),
    path("departments/", v.departments, name="departments"),
    path("departments/<str:code>/", v.department, name="department"),
    path("drill/", v.drill, name="drill"),
    path("yoy/", v.yoy, name="yoy"),
    path("debt/", v.debt, name="debt"),
    path("open-warnings/", v.open_warnings, name="open_warnings"),
    path("audit/", v.audit, name="audit"),
    path("export/<slug:key>/", v.export, name="export"),
]
