from django.urls import path

from .views import uppfoljning as views

urlpatterns: list = [
    path("arenden/<str:arende_id>/mote/ny/", views.mote_ny, name="mote_ny"),
    path("arenden/<str:arende_id>/forberedelse/", views.forberedelse_sida, name="forberedelse"),
    path("arenden/<str:arende_id>/ny/", views.uppfoljning_ny, name="ny"),
    path("arenden/<str:arende_id>/ny/utkast/", views.utkast_spara, name="ny_utkast"),
    path("<int:pk>/", views.uppfoljning_visa, name="visa"),
    path("<int:pk>/pdf/", views.uppfoljning_pdf, name="pdf"),
]
