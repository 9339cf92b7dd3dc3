from django.urls import path

from . import views

app_name = "arenden"

urlpatterns = [
    path("", views.arende_lista, name="lista"),
]
