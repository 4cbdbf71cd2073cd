"""Run configuration shared by every module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from seeds.generator import GENERATOR_VERSION

TIMEZONE = "Europe/Rome"
DEFAULT_PEOPLE = 5000
DEFAULT_START = date(2025, 11, 1)
DEFAULT_END = date(2026, 10, 31)
DEFAULT_SEED = 42
DEFAULT_OUT = Path("seeds/bundled")
DEFAULT_HOLDOUT_MONTHS = 12
DEFAULT_GZIP_LEVEL = 9  # the bundled set's; a lower level deflates faster at scale (larger files, same content)


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate: population size, date window (inclusive), seed, output folder."""

    people: int = DEFAULT_PEOPLE
    start: date = DEFAULT_START
    end: date = DEFAULT_END
    seed: int = DEFAULT_SEED
    out: Path = DEFAULT_OUT
    holdout_months: int = DEFAULT_HOLDOUT_MONTHS  # simulated after the window, ground truth only
    gzip_level: int = DEFAULT_GZIP_LEVEL  # of every .gz file: other .gz bytes, the same content (not in the manifest)

    def __post_init__(self) -> None:
        if self.people < 100:
            raise ValueError("--people must be at least 100")
        if self.end < self.start:
            raise ValueError("--end must not be before --start")
        if (self.end - self.start).days > 366 * 3:
            raise ValueError("the window is limited to three years")
        if not 0 <= self.holdout_months <= 36:
            raise ValueError("--holdout-months must be between 0 and 36")
        if not 1 <= self.gzip_level <= 9:
            raise ValueError("--gzip-level must be between 1 and 9")

    @property
    def scale(self) -> float:
        """Population relative to the default 5000 persons (drives brand-level volumes)."""
        return self.people / DEFAULT_PEOPLE

    def extract_manifest(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "seed": self.seed,
            "people": self.people,
            "timezone": TIMEZONE,
            "generator_version": GENERATOR_VERSION,
        }
