"""URL configuration."""

from django.contrib import admin
from django.urls import include, path

from uppfolj.arenden.views.bevakningar import start

urlpatterns = [
    # Each role lands on its own start page (Mina bevakningar, the unit, the case list).
    path("", start, name="start"),
    path("", include("uppfolj.accounts.urls")),
    path("", include("uppfolj.arenden.urls")),
    path("utforare/", include("uppfolj.utforare.urls")),
    path("uppfoljning/", include("uppfolj.uppfoljning.urls")),
    path("granskning/", include("uppfolj.granskning.urls")),
    path("admin/", admin.site.urls),
]
