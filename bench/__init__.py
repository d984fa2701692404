"""Benchmarks: seeded instance generators and runners that print results beside baselines."""
