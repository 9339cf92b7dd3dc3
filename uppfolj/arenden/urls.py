from django.urls import include, path

from .views import arende, gallring, lista, steg

app_name = "arenden"

urlpatterns = [
    path("arenden/", lista.arende_lista, name="lista"),
    path("arenden/nytt/", steg.arende_nytt, name="nytt"),
    path("arenden/<str:arende_id>/", arende.arende_sida, name="arende"),
    path("arenden/<str:arende_id>/steg/<str:steg>/", steg.steg, name="steg"),
    path(
        "arenden/<str:arende_id>/varningar/<str:regel>/<str:datum>/kvittera/",
        arende.varning_kvittera,
        name="kvittera",
    ),
    path("utkast/<str:formular>/", steg.utkast_spara, name="utkast"),
    path("gallring/", gallring.gallring_lista, name="gallring"),
    path("gallring/<str:arende_id>/", gallring.gallring_bekrafta, name="gallring_bekrafta"),
    # Parts built in their own modules.
    path("", include("uppfolj.arenden.urls_arbete")),
    path("", include("uppfolj.arenden.urls_journal")),
]
