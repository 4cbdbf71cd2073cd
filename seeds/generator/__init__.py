"""Deterministic synthetic-data generator for the raw landing extracts.

Run ``crm-seeds generate`` (or ``python -m seeds.generator generate``); see
``seeds/README.md`` for the options, the file layout and what is simulated.
The generator itself only uses the Python standard library and numpy.
"""

GENERATOR_VERSION = "1"

__all__ = ["GENERATOR_VERSION"]
