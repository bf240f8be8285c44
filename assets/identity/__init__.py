"""Identity resolution: the master person index (probabilistic links after the deterministic ones) and its scoring."""
