"""Ramstein: coordinates multinational security assistance to a country under attack."""

__version__ = "0.1.0"
