"""URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from uppfolj.arenden.views.bevakningar import start

urlpatterns = [
    # Each role lands on its own start page (Mina bevakningar, the unit, the case list).
    path("", start, name="start"),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("uppfolj.arenden.urls")),
    path("utforare/", include("uppfolj.utforare.urls")),
    path("uppfoljning/", include("uppfolj.uppfoljning.urls")),
    path("granskning/", include("uppfolj.granskning.urls")),
    path("admin/", admin.site.urls),
]
