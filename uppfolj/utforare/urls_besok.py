from django.urls import path

from .views import besok, samlarteam

# The visit register, granted against delivered time, and the samlarteam.
urlpatterns = [
    path("arenden/<str:arende_id>/besok/", besok.besok, name="besok"),
    path("arenden/<str:arende_id>/tid/", besok.tid, name="tid"),
    path("arenden/<str:arende_id>/samlarteam/", samlarteam.samlarteam, name="samlarteam"),
    path(
        "arenden/<str:arende_id>/samlarteam/checklista/",
        samlarteam.samlarteam_checklista,
        name="samlarteam_checklista",
    ),
    path(
        "arenden/<str:arende_id>/samlarteam/start/",
        samlarteam.samlarteam_start,
        name="samlarteam_start",
    ),
    path(
        "arenden/<str:arende_id>/samlarteam/utvardering/",
        samlarteam.samlarteam_utvardering,
        name="samlarteam_utvardering",
    ),
]
