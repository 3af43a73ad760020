"""The budget pages: one module of routes per part, all under the one 'budget' namespace."""

from lvzhi.budget import urls_analysis, urls_imports, urls_participation, urls_reports, urls_rules, urls_warnings

app_name = "budget"

urlpatterns = [
    *urls_imports.urlpatterns,
    *urls_warnings.urlpatterns,
    *urls_rules.urlpatterns,
    *urls_analysis.urlpatterns,
    *urls_participation.urlpatterns,
    *urls_reports.urlpatterns,
]
