"""The planners: pure functions from typed instances to plans (no database, no HTTP)."""
