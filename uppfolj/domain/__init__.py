"""Plain-Python domain: calendar, rule declarations and the rules engine (no Django)."""
