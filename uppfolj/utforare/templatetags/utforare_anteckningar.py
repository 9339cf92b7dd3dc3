"""The anteckningar panel of the provider's case page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("utforare/_anteckningar_panel.html")
def anteckningar_panel(arende: Any, user: Any) -> dict[str, Any]:
    return {"arende": arende, "user": user}
