"""Filing review's pages: each part keeps its own routes."""

from lvzhi.filing import intake_urls, report_urls, request_urls

app_name = "filing"
urlpatterns = [*intake_urls.urlpatterns, *request_urls.urlpatterns, *report_urls.urlpatterns]
