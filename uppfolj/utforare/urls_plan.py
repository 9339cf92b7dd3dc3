from django.urls import path

from .views import plan, samtycke

urlpatterns = [
    path("arenden/<str:arende_id>/plan/", plan.plan_versioner, name="plan_versioner"),
    path("arenden/<str:arende_id>/plan/ny/", plan.plan_ny, name="plan_ny"),
    path("arenden/<str:arende_id>/plan/forslag/", plan.plan_forslag, name="plan_forslag"),
    path("arenden/<str:arende_id>/plan/<int:version>/", plan.plan_version, name="plan_version"),
    path(
        "arenden/<str:arende_id>/plan/<int:version>/jamfor/<int:annan>/",
        plan.plan_jamfor,
        name="plan_jamfor",
    ),
    path("arenden/<str:arende_id>/plan/<int:version>/pdf/", plan.plan_pdf, name="plan_pdf"),
    path("arenden/<str:arende_id>/plan/<int:version>/kopia/", plan.plan_kopia, name="plan_kopia"),
    path("arenden/<str:arende_id>/samtycken/", samtycke.samtycken, name="samtycken"),
    path("arenden/<str:arende_id>/samtycken/ny/", samtycke.samtycke_ny, name="samtycke_ny"),
    path(
        "arenden/<str:arende_id>/samtycken/<int:pk>/aterkalla/",
        samtycke.samtycke_aterkalla,
        name="samtycke_aterkalla",
    ),
]
