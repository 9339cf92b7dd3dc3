from django.urls import path

from .views import admin_lista, avgift, lexsarah, stodniva

urlpatterns = [
    path("arenden/<str:arende_id>/stodniva/", stodniva.stodniva, name="stodniva"),
    path(
        "arenden/<str:arende_id>/personalens-bedomning/",
        stodniva.personalens_bedomning,
        name="personalens_bedomning",
    ),
    path("arenden/<str:arende_id>/avgift/", avgift.avgift, name="avgift"),
    path("arenden/<str:arende_id>/avgift/uppdrag/", avgift.avgift_uppdrag, name="avgift_uppdrag"),
    path("arenden/<str:arende_id>/lex-sarah/", lexsarah.lex_sarah_lista, name="lexsarah"),
    path("arenden/<str:arende_id>/lex-sarah/ny/", lexsarah.lex_sarah_ny, name="lexsarah_ny"),
    path(
        "arenden/<str:arende_id>/lex-sarah/<int:handelse_id>/kontaktad/",
        lexsarah.lex_sarah_kontaktad,
        name="lexsarah_kontaktad",
    ),
    path("administration/", admin_lista.administration, name="administration"),
    path(
        "administration/stodnivaer.xlsx",
        admin_lista.administration_xlsx,
        name="administration_xlsx",
    ),
]
