"""Uppfölj: case management for housing-related support in Swedish social services."""
