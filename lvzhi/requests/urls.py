"""The people's side's pages: each part's urlpatterns concatenated (app_name "requests")."""

from __future__ import annotations

from lvzhi.requests import citizen_urls, hotline_urls, petition_urls

app_name = "requests"

urlpatterns = citizen_urls.urlpatterns + hotline_urls.urlpatterns + petition_urls.urlpatterns
