from django.urls import path

from .views import ivo, journal, logg, sok

urlpatterns = [
    path("arenden/<str:arende_id>/journal/", journal.journal, name="journal"),
    path("arenden/<str:arende_id>/journal/ny/", journal.journal_skriv, name="journal_skriv"),
    path(
        "arenden/<str:arende_id>/journal/<int:anteckning_id>/felmarkera/",
        journal.journal_felmarkera,
        name="journal_felmarkera",
    ),
    path("arenden/<str:arende_id>/lasloggen/", logg.lasloggen, name="lasloggen"),
    path("arenden/<str:arende_id>/behorigheter/", logg.behorigheter, name="behorigheter"),
    path(
        "arenden/<str:arende_id>/behorigheter/<int:behorighet_id>/aterkalla/",
        logg.behorighet_aterkalla_vy,
        name="behorighet_aterkalla",
    ),
    path("ivo/", ivo.ivo_lista, name="ivo"),
    path("ivo/export.csv", ivo.ivo_export, name="ivo_export"),
    path("ivo/registrera/", ivo.ivo_registrera, name="ivo_registrera"),
    path("sok/", sok.sok, name="sok"),
]
