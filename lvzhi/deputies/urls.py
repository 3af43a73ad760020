"""Deputies' duty work pages: each part's urlpatterns concatenated (app_name "deputies")."""

from __future__ import annotations

from lvzhi.deputies import activity_urls, liaison_urls, performance_urls, station_urls, training_urls

app_name = "deputies"

urlpatterns = (activity_urls.urlpatterns + station_urls.urlpatterns + training_urls.urlpatterns
               + liaison_urls.urlpatterns + performance_urls.urlpatterns)
