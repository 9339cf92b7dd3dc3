from django.urls import path

from .views import bevakningar

urlpatterns = [
    path("bevakningar/", bevakningar.bevakningar_mina, name="mina_bevakningar"),
    path("bevakningar/enhet/", bevakningar.bevakningar_enhet, name="enhet_bevakningar"),
]
