from django.urls import include, path

app_name = "utforare"

urlpatterns = [
    # Each part of the provider side in its own module.
    path("", include("uppfolj.utforare.urls_uppdrag")),
    path("", include("uppfolj.utforare.urls_plan")),
    path("", include("uppfolj.utforare.urls_anteckningar")),
    path("", include("uppfolj.utforare.urls_besok")),
]
