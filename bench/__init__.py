"""Benchmarks: printed figures, not pass/fail tests (`make bench`)."""
