"""A non-blocking check on the landing folder: everything in it is read by some raw table.

``landing_content_known`` lists (``raw_loader.unknown_landing_content``) a folder that is no raw
table (a typo such as ``shop_ordersx/``, with the closest table name), a file at the root of the
landing folder, a sub-folder of a table folder, and a file the table of its folder does not read
(a ``.txt`` where not accepted, a name outside the export's patterns). Such content is ignored by
the loads; the check, severity WARN, never blocks: it makes the silence visible. Hidden, ``_``/``~``
names and partial downloads (``.part``, ``.tmp``, ``.crdownload``) are not reported.

The check belongs to the landing folder, not to one table; it is attached to one raw asset,
``raw/finance_fx_rates`` (``LANDING_CHECK_TABLE``: a small reference table every full run loads),
and runs after that asset's load in every run that materializes it.
"""

import difflib

from dagster import AssetCheckResult, AssetChecksDefinition, AssetCheckSeverity, AssetKey, MetadataValue, asset_check

from dagster_project.assets.raw import raw_asset_key
from dagster_project.ingest.raw_contract import raw_table, raw_tables
from dagster_project.ingest.raw_loader import unknown_landing_content
from dagster_project.resources import LandingFolder

LANDING_CONTENT_CHECK = "landing_content_known"
LANDING_CHECK_TABLE = "finance_fx_rates"


def landing_check_asset() -> AssetKey:
    return raw_asset_key(raw_table(LANDING_CHECK_TABLE))


def describe_unknown(entries: list[str]) -> list[str]:
    """One line per unknown entry, with the closest raw table for a folder that is none."""
    names = [table.name for table in raw_tables()]
    described = []
    for entry in entries:
        if entry.endswith("/") and "/" not in entry[:-1]:
            close = difflib.get_close_matches(entry[:-1], names, n=1, cutoff=0.75)
            hint = f" (did you mean {close[0]}/?)" if close else ""
            described.append(f"{entry}: no raw table of that name{hint}; its files are not loaded")
        elif entry.endswith("/"):
            described.append(f"{entry}: a sub-folder of a table folder; tables read only the files directly in theirs")
        elif "/" not in entry:
            described.append(f"{entry}: a file at the root of the landing folder; files belong in <landing>/<table>/")
        else:
            described.append(f"{entry}: not a file type or name raw.{entry.split('/', 1)[0]} reads; not loaded")
    return described


def evaluate_landing_content(landing: LandingFolder) -> AssetCheckResult:
    unknown = unknown_landing_content(landing.root)
    return AssetCheckResult(
        check_name=LANDING_CONTENT_CHECK,
        passed=not unknown,
        severity=AssetCheckSeverity.WARN,
        description=None if not unknown else f"{len(unknown)} item(s) in the landing folder no raw table reads",
        metadata={
            "landing_folder": str(landing.root),
            "unknown_count": len(unknown),
            "unknown": MetadataValue.json(describe_unknown(unknown)),
        },
    )


def landing_folder_checks(asset_key: AssetKey | None = None) -> list[AssetChecksDefinition]:
    """The check ``landing_content_known`` (WARN, not blocking) on ``asset_key`` (default: ``raw/finance_fx_rates``)."""

    @asset_check(
        asset=asset_key or landing_check_asset(),
        name=LANDING_CONTENT_CHECK,
        blocking=False,
        description="Everything in the landing folder is read by a raw table: reports (WARN) folders that are no"
        " raw table, files at the root, and files a table does not read. The loads ignore them.",
    )
    def landing_content_known(landing: LandingFolder) -> AssetCheckResult:
        return evaluate_landing_content(landing)

    return [landing_content_known]
