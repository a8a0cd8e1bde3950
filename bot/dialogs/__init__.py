"""Kompetencebot."""
