"""代表码上见's routes (mounted under /requests/). /requests/r/<token>/ is what a QR code opens."""

from django.urls import path

from lvzhi.requests import citizen_views as views

urlpatterns = [
    path("r/<str:token>/", views.new, name="citizen_new"),
    path("done/<str:receipt>/", views.done, name="citizen_done"),
    path("lookup/", views.lookup, name="citizen_lookup"),
    path("photos/<int:pk>/", views.photo, name="citizen_photo"),
    path("citizen/", views.office_list, name="citizen_list"),
    path("citizen/mine/", views.mine, name="citizen_mine"),
    path("qr/deputy/<int:pk>.<str:fmt>", views.deputy_poster, name="citizen_deputy_poster"),
    path("qr/station/<int:pk>.<str:fmt>", views.station_poster, name="citizen_station_poster"),
]
