"""Typed domain model: nations, money, contributions and scenarios."""
