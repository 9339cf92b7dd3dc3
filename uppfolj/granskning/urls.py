from django.urls import path

from .views import export, rapport

app_name = "granskning"

urlpatterns: list = [
    path("", rapport.rapport, name="rapport"),
    path("fall/", rapport.fall, name="fall"),
    path("rapport.pdf", export.rapport_pdf, name="rapport_pdf"),
    path("tabeller.xlsx", export.tabeller_xlsx, name="tabeller_xlsx"),
]
