from django.urls import include, path

app_name = "uppfoljning"

urlpatterns = [
    path("", include("uppfolj.uppfoljning.urls_uppfoljning")),
    path("", include("uppfolj.uppfoljning.urls_stodniva")),
]
