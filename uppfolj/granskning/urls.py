from django.urls import path

from .views import rapport

app_name = "granskning"

urlpatterns: list = [
    path("", rapport.rapport, name="rapport"),
    path("fall/", rapport.fall, name="fall"),
]
