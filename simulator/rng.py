"""Deterministic random streams.

Why: every (seed, purpose) pair gets its own independent generator, so generating one source (or a subset of
sources) never shifts the random numbers another source sees. Same seed + scale => byte-identical output.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, *purpose: str | int) -> np.random.Generator:
    """A generator keyed by the seed and a purpose path such as ("source", "dc_population", 3)."""
    key = [int(seed) & 0xFFFFFFFF]
    for p in purpose:
        key.append(zlib.crc32(p.encode()) if isinstance(p, str) else int(p) & 0xFFFFFFFF)
    return np.random.default_rng(np.random.SeedSequence(key))
