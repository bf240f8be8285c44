"""Data-quality gates: Soda v4 contracts turned into blocking Dagster asset checks."""
