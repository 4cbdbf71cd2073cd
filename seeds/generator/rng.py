"""Independent, reproducible random streams per module.

Every module draws from its own stream derived from (seed, module name) with a
stable hash (CRC-32, never Python's salted ``hash``), so adding draws in one
module never shifts another module's output.
"""

from __future__ import annotations

import random
import zlib

import numpy as np


def _key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def np_stream(seed: int, name: str) -> np.random.Generator:
    """numpy Generator for vectorised draws of module ``name``."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), _key(name)]))


def py_stream(seed: int, name: str) -> random.Random:
    """random.Random for fast scalar draws of module ``name``."""
    return random.Random(int(seed) * 4_294_967_311 + _key(name))


def streams(seed: int, name: str) -> tuple[np.random.Generator, random.Random]:
    return np_stream(seed, name), py_stream(seed, name + "/py")
