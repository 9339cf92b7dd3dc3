"""The administrator manages users, districts and providers in Django's admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Distrikt, User, Utforare

ORGANISATION: tuple[str, dict[str, Any]] = (
    "Roll och organisation",
    {"fields": ("roll", "distrikt", "utforare")},
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), ORGANISATION)  # type: ignore[arg-type]
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ORGANISATION)
    list_display = (
        "username",
        "first_name",
        "last_name",
        "roll",
        "distrikt",
        "utforare",
        "is_active",
    )
    list_filter = ("roll", "distrikt", "utforare", "is_active", "is_demo")
    readonly_fields = ("is_demo",)


@admin.register(Distrikt)
class DistriktAdmin(admin.ModelAdmin):
    search_fields = ("namn",)


@admin.register(Utforare)
class UtforareAdmin(admin.ModelAdmin):
    list_display = ("namn", "driftform")
    search_fields = ("namn",)
