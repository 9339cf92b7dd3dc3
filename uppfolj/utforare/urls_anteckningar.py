from django.urls import path

from .views import anteckningar as views

CASE = "arenden/<str:arende_id>/"

urlpatterns = [
    path(f"{CASE}anteckningar/", views.anteckningar, name="anteckningar"),
    path(f"{CASE}anteckningar/ny/", views.anteckning_skriv, name="anteckning_skriv"),
    path(
        f"{CASE}anteckningar/<int:anteckning_id>/felmarkera/",
        views.anteckning_felmarkera,
        name="anteckning_felmarkera",
    ),
    path(f"{CASE}anteckningar/tredagarsrutin/", views.tredagarsrutin, name="tredagarsrutin"),
    path(f"{CASE}sammanstallning/ny/", views.sammanstallning_ny, name="sammanstallning_ny"),
    path(f"{CASE}sammanstallning/<int:pk>/", views.sammanstallning, name="sammanstallning"),
    path(
        f"{CASE}sammanstallning/<int:pk>/radera-anteckningar/",
        views.anteckningar_radera,
        name="anteckningar_radera",
    ),
]
