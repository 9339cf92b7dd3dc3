from django.urls import path

from .views import arende, uppdrag

urlpatterns = [
    path("", uppdrag.inkorg, name="inkorg"),
    path("arenden/<str:arende_id>/", arende.arende_sida, name="arende"),
    path(
        "arenden/<str:arende_id>/uppdrag/<int:pk>/acceptera/",
        uppdrag.uppdrag_acceptera,
        name="uppdrag_acceptera",
    ),
    path(
        "arenden/<str:arende_id>/uppdrag/<int:pk>/returnera/",
        uppdrag.uppdrag_returnera,
        name="uppdrag_returnera",
    ),
    path("arenden/<str:arende_id>/steg/<str:typ>/", arende.steg_registrera, name="steg"),
    path(
        "arenden/<str:arende_id>/kontaktpersonal/", arende.kontaktpersonal, name="kontaktpersonal"
    ),
    path(
        "arenden/<str:arende_id>/kontaktpersonal/<int:pk>/avsluta/",
        arende.kontaktpersonal_avsluta,
        name="kontaktpersonal_avsluta",
    ),
    path(
        "arenden/<str:arende_id>/slutanteckning/",
        arende.slutanteckning_skriv,
        name="slutanteckning",
    ),
]
