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
# CRM_BUNDLED_DIR: another generated extract set for `make run` / the tests (default: the committed one).
BUNDLED_EXTRACTS_DIR = Path(os.environ.get("CRM_BUNDLED_DIR", "").strip() or PROJECT_ROOT / "seeds" / "bundled")
DATA_DIR = PROJECT_ROOT / "data"

WAREHOUSE_PATH_ENV = "CRM_WAREHOUSE_PATH"
LANDING_DIR_ENV = "CRM_LANDING_DIR"
PUBLISHED_PATH_ENV = "CRM_PUBLISHED_PATH"
PUBLISHED_PARQUET_ENV = "CRM_PUBLISHED_PARQUET_DIR"
PUBLISH_PII_ENV = "CRM_PUBLISH_PII"
PUBLISHED_PII_PATH_ENV = "CRM_PUBLISHED_PII_PATH"
PSEUDONYM_KEY_FILE_ENV = "CRM_PSEUDONYM_KEY_FILE"
ERASURE_KEY_FILE_ENV = "CRM_ERASURE_KEY_FILE"
SECRETS_DIR = DATA_DIR / "secrets"


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Resolved locations of the working warehouse, the landing folder and the published copy.

    The published DuckDB file (what BI tools read) defaults to ``published/`` next to the
    working file, with its Parquet export in ``published/parquet``; set
    ``CRM_PUBLISHED_PARQUET_DIR`` to ``off`` to skip the Parquet export. The PII publication
    (plaintext personal data for activation, ``dagster_project/publish/publishing.py``) is written only
    with ``CRM_PUBLISH_PII=1``, to ``CRM_PUBLISHED_PII_PATH`` (default
    ``<published dir>/pii/<name>_pii.duckdb``).
    """

    warehouse_path: Path
    landing_dir: Path
    published_path: Path | None = None
    published_parquet_dir: Path | None = None
    publish_parquet: bool = True
    publish_pii: bool = False
    published_pii_path: Path | None = None

    @property
    def published_file(self) -> Path:
        return self.published_path or self.warehouse_path.parent / "published" / self.warehouse_path.name

    @property
    def published_pii_file(self) -> Path | None:
        """The PII publication's file, or None when it is not enabled."""
        if not self.publish_pii:
            return None
        return self.published_pii_path or default_pii_path(self.published_file)

    @property
    def published_parquet(self) -> Path | None:
        if not self.publish_parquet:
            return None
        return self.published_parquet_dir or self.published_file.parent / "parquet"

    @classmethod
    def from_env(cls) -> Settings:
        parquet = os.environ.get(PUBLISHED_PARQUET_ENV, "").strip()
        return cls(
            warehouse_path=_path_from_env(WAREHOUSE_PATH_ENV, DATA_DIR / "warehouse.duckdb"),
            landing_dir=_path_from_env(LANDING_DIR_ENV, DATA_DIR / "landing"),
            published_path=_path_from_env(PUBLISHED_PATH_ENV, Path())
            if os.environ.get(PUBLISHED_PATH_ENV, "").strip()
            else None,
            published_parquet_dir=Path(parquet).expanduser().resolve()
            if parquet and parquet.lower() != "off"
            else None,
            publish_parquet=parquet.lower() != "off",
            publish_pii=publish_pii_enabled(),
            published_pii_path=_path_from_env(PUBLISHED_PII_PATH_ENV, Path())
            if os.environ.get(PUBLISHED_PII_PATH_ENV, "").strip()
            else None,
        )


def default_pii_path(published_file: Path) -> Path:
    """``<published dir>/pii/<name>_pii.duckdb``."""
    return published_file.parent / "pii" / f"{published_file.stem}_pii{published_file.suffix or '.duckdb'}"


def publish_pii_enabled() -> bool:
    """``CRM_PUBLISH_PII`` is 1/true/yes/on (default off). Read at every call."""
    value = os.environ.get(PUBLISH_PII_ENV, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{PUBLISH_PII_ENV}={value!r}: use 1 to write the PII publication, 0 (default) not to")


def pii_publication_path(published_file: Path) -> Path | None:
    """Where the PII publication of ``published_file`` goes, or None unless ``CRM_PUBLISH_PII`` enables it."""
    if not publish_pii_enabled():
        return None
    return _path_from_env(PUBLISHED_PII_PATH_ENV, default_pii_path(published_file))


LANDING_SETTLE_ENV = "CRM_LANDING_SETTLE_SECONDS"
LANDING_ENCODING_ENV_PREFIX = "CRM_LANDING_ENCODING_"
DEFAULT_LANDING_SETTLE_SECONDS = 2.0


def landing_settle_seconds() -> float:
    """``CRM_LANDING_SETTLE_SECONDS`` (default 2): a landing file modified more recently than this
    is taken to be still being written and is left for the next run. Read at every call."""
    value = os.environ.get(LANDING_SETTLE_ENV, "").strip()
    if not value:
        return DEFAULT_LANDING_SETTLE_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{LANDING_SETTLE_ENV}={value!r} is not a number of seconds") from None
    return max(seconds, 0.0)


def landing_encoding_override(table_name: str) -> str | None:
    """``CRM_LANDING_ENCODING_<TABLE>`` (upper-case raw table name): the text encoding of that
    table's landing files, overriding ``config.meta.landing.encoding`` of its dbt source."""
    value = os.environ.get(LANDING_ENCODING_ENV_PREFIX + table_name.upper(), "").strip()
    return value or None
