"""Paths and environment configuration, in one place.

Every path can be overridden by an environment variable; the defaults live under
the git-ignored ``data/`` folder of the project checkout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
BUNDLED_EXTRACTS_DIR = PROJECT_ROOT / "seeds" / "bundled"
DATA_DIR = PROJECT_ROOT / "data"

WAREHOUSE_PATH_ENV = "CRM_WAREHOUSE_PATH"
LANDING_DIR_ENV = "CRM_LANDING_DIR"


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Resolved locations of the warehouse and the landing folder."""

    warehouse_path: Path
    landing_dir: Path

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            warehouse_path=_path_from_env(WAREHOUSE_PATH_ENV, DATA_DIR / "warehouse.duckdb"),
            landing_dir=_path_from_env(LANDING_DIR_ENV, DATA_DIR / "landing"),
        )
