"""The KPI reference (``docs/kpi_reference.md``) and the dbt docs home page, generated from the marts' YAML.

    python -m dagster_project.publish.kpi_reference           # the KPI reference to stdout
    python -m dagster_project.publish.kpi_reference --write   # write docs/kpi_reference.md and dbt/models/overview.md
    python -m dagster_project.publish.kpi_reference --check   # exit 1 when either file is stale

The source of truth is the YAML of the KPI marts (``dbt/models/marts/<area>/_*.yml``): a model's
description states its grain (``(grain: ...)``), its unique / unique_combination_of_columns test
names the grain columns, and each column's description states the KPI's formula. Every ``mart_*``
model is listed with every column; models whose columns are documented alike (one YAML anchor for
the daily, weekly and monthly marts) share one table. The fact and dimension tables a KPI is
computed from (``fct_*``, ``dim_*``, ``bridge_*``) are listed with their grain. The KPI macros a
mart's SQL calls (``dbt/macros``) are named beside it. Change a description in the YAML, then run
``--write``: a test runs ``--check``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dagster_project.settings import DBT_PROJECT_DIR, PROJECT_ROOT

MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
MACROS_DIR = DBT_PROJECT_DIR / "macros"
REFERENCE_PATH = PROJECT_ROOT / "docs" / "kpi_reference.md"
OVERVIEW_PATH = DBT_PROJECT_DIR / "models" / "overview.md"
DBT_PACKAGE = "crm_kpi_warehouse"
COMMAND = "python -m dagster_project.publish.kpi_reference --write"

# Areas (folders of models/marts) in the order a marketer reads them: the channels' counting
# metrics, then results, then customers. A folder missing here is listed after them by name.
AREAS: dict[str, tuple[str, str]] = {
    "web": ("Web", "Website sessions, users, engagement and conversions (GA4)."),
    "email": ("Email, DEM and SMS", "Sends, deliveries, opens, clicks, bounces, unsubscribes and list growth."),
    "social": ("Social", "Brand pages and posts: reach, impressions, engagement, followers."),
    "seo": ("SEO", "Organic search (Google Search Console): clicks, impressions, CTR, position."),
    "paid_media": ("Paid media", "SEM / display: spend, impressions, clicks, CTR, CPC, CPM, conversions."),
    "blog": ("Blog", "Blog visits, posts and comments."),
    "engagement": ("Interaction and advocacy", "Foundational metrics: interactions per exposure, advocacy acts."),
    "commerce": ("Commerce", "Orders, revenue net of refunds, AOV, new customers, ROAS by channel."),
    "leads": ("Leads", "Leads generated and lead -> customer conversion."),
    "scoring": ("Lead scoring", "Lead score, grade, priority (A1-D4) and MQLs."),
    "campaigns": ("Campaigns", "Campaign results and ROI under the single-touch attribution models."),
    "attribution": (
        "Multi-touch attribution",
        "Credits, channel and campaign ROI / ROAS per attribution model, Markov removal effect.",
    ),
    "journey": ("Customer journey", "Visibility -> Contact -> Experience -> Trust: funnels and phase KPIs."),
    "nps": ("NPS", "Net Promoter Score by month / quarter and segment."),
    "sentiment": ("Sentiment", "Sentiment of comments, mentions, reviews and survey verbatims."),
    "customer_value": ("Retention, CAC and CLV", "Churn and retention, CAC, historical CLV and CLV / CAC."),
    "predictive_clv": ("Predictive CLV", "BG/NBD + Gamma-Gamma predicted customer value."),
    "segments": ("Personas and RFM segments", "Commerce and value per persona and RFM segment."),
    "customer": (
        "Unified customer",
        "The golden customer record, its identifiers and touchpoints (the grain of the marts).",
    ),
}
# Macros every model calls that say nothing about a formula.
NON_FORMULA_MACROS = frozenset({"ref", "source", "var", "config", "type_double", "is_incremental", "this"})
_MACRO_DEFINITION = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(")
_MACRO_CALL = re.compile(r"{{-?\s*(\w+)\s*\(")


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass
class Model:
    name: str
    area: str
    description: str
    grain: str
    grain_columns: list[str]
    columns: list[Column]
    yaml_path: Path
    macros: list[str] = field(default_factory=list)

    @property
    def is_mart(self) -> bool:
        return self.name.startswith("mart_")


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def grain_text(description: str) -> str:
    """The grain a model description states: the text of ``(grain: ...)`` or of ``Grain: ...``."""
    start = re.search(r"\(grain:\s*", description, flags=re.IGNORECASE)
    if start:
        depth, position = 1, start.end()
        while position < len(description) and depth:
            depth += {"(": 1, ")": -1}.get(description[position], 0)
            position += 1
        return description[start.end() : position - 1 if depth == 0 else position].strip()
    sentence = re.search(r"\bgrain:\s*([^.]*)", description, flags=re.IGNORECASE)
    return sentence.group(1).strip() if sentence else ""


def grain_columns(model: dict[str, Any]) -> list[str]:
    """The grain columns: the model's unique_combination_of_columns test, else its unique column."""
    for test in model.get("data_tests") or []:
        if isinstance(test, dict) and "unique_combination_of_columns" in test:
            return list(test["unique_combination_of_columns"]["arguments"]["combination_of_columns"])
    for column in model.get("columns") or []:
        if "unique" in (column.get("data_tests") or []):
            return [column["name"]]
    return []


def project_macros() -> frozenset[str]:
    names: set[str] = set()
    for path in MACROS_DIR.glob("*.sql"):
        names.update(_MACRO_DEFINITION.findall(path.read_text()))
    return frozenset(names)


def macros_called(sql_path: Path, known: frozenset[str]) -> list[str]:
    if not sql_path.exists():
        return []
    called = _MACRO_CALL.findall(sql_path.read_text())
    return sorted({name for name in called if name in known and name not in NON_FORMULA_MACROS})


def load_models(marts_dir: Path = MARTS_DIR) -> list[Model]:
    known = project_macros()
    models: list[Model] = []
    for yml in sorted(marts_dir.glob("**/_*.yml")):
        document = yaml.safe_load(yml.read_text()) or {}
        area = yml.parent.relative_to(marts_dir).parts[0] if yml.parent != marts_dir else "marts"
        for entry in document.get("models") or []:
            description = _one_line(entry.get("description"))
            models.append(
                Model(
                    name=entry["name"],
                    area=area,
                    description=description,
                    grain=grain_text(description),
                    grain_columns=grain_columns(entry),
                    columns=[Column(c["name"], _one_line(c.get("description"))) for c in entry.get("columns") or []],
                    yaml_path=yml,
                    macros=macros_called(yml.parent / f"{entry['name']}.sql", known),
                )
            )
    return models


def _areas(models: list[Model]) -> list[str]:
    present = {model.area for model in models}
    return [area for area in AREAS if area in present] + sorted(present - set(AREAS))


def _title(area: str) -> str:
    return AREAS.get(area, (area.replace("_", " ").capitalize(), ""))[0]


def _anchor(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def _grain_cell(model: Model) -> str:
    keys = ", ".join(f"`{c}`" for c in model.grain_columns)
    if model.grain and keys:
        return (
            _cell(f"{model.grain} (unique: {keys})")
            if model.grain.replace(" ", "") != keys.replace("`", "").replace(" ", "")
            else keys
        )
    return _cell(model.grain) or keys or "-"


def _column_groups(marts: list[Model]) -> list[list[Model]]:
    """Marts whose columns (names and descriptions) are documented alike, in YAML order."""
    groups: dict[tuple[tuple[str, str], ...], list[Model]] = {}
    for model in marts:
        key = tuple((c.name, c.description) for c in model.columns)
        groups.setdefault(key, []).append(model)
    return list(groups.values())


def render_reference(models: list[Model]) -> str:
    lines = [
        "# KPI reference",
        "",
        f"<!-- Generated by `{COMMAND}` from dbt/models/marts/**/_*.yml: edit the YAML, not this file. -->",
        "",
        "Every KPI of the warehouse, with its formula, its grain, and the model and column that hold it. "
        "The text is the dbt documentation of the KPI marts (`dbt/models/marts/<area>/_*.yml`), generated by "
        f"`{COMMAND}`; a test fails when this page is stale, so it always says what the models compute.",
        "",
        "Conventions: the KPI tables are in schema `marts` (`marts.<model>` in the warehouse and in the "
        "published DuckDB file; one Parquet file per table beside it). Rates are fractions 0-1 (`_rate`), "
        "percentages say `_pct`, money is in EUR (`_eur`, converted at the day's rate), durations in seconds (`_s`). "
        "A zero or missing denominator gives null, never 0. Days are local days in the reporting time zone "
        "(dbt var `reporting_timezone`); weeks are ISO weeks starting on Monday; `period_start_date` is the first "
        "day of the period. Weekly and monthly figures are recomputed from the grain, never averaged from daily "
        "rates. Assumptions (windows, attribution model, cost categories) are dbt vars in `dbt/dbt_project.yml`; "
        "the formula macros are documented in `dbt/macros/_macros.yml`.",
        "",
        "## Areas",
        "",
        "| Area | What it measures | KPI marts |",
        "| --- | --- | --- |",
    ]
    areas = _areas(models)
    for area in areas:
        title = _title(area)
        marts = [m for m in models if m.area == area and m.is_mart]
        summary = AREAS.get(area, ("", ""))[1]
        lines.append(f"| [{title}](#{_anchor(title)}) | {_cell(summary)} | {len(marts)} |")
    for area in areas:
        title = _title(area)
        area_models = [m for m in models if m.area == area]
        marts = [m for m in area_models if m.is_mart]
        grain_tables = [m for m in area_models if not m.is_mart]
        folder = area_models[0].yaml_path.parent.relative_to(PROJECT_ROOT).as_posix()
        lines += ["", f"## {title}", ""]
        if area in AREAS:
            lines += [AREAS[area][1], ""]
        lines.append(f"Models in `{folder}/` (documented in `{area_models[0].yaml_path.name}`).")
        macros = sorted({name for m in marts for name in m.macros})
        if macros:
            lines.append("Formula macros used: " + ", ".join(f"`{name}`" for name in macros) + ".")
        if grain_tables:
            lines += ["", "Fact and dimension tables (the grain the KPIs are computed from):", ""]
            lines += ["| Model | Grain | Description |", "| --- | --- | --- |"]
            for model in grain_tables:
                lines.append(f"| `{model.name}` | {_grain_cell(model)} | {_cell(model.description)} |")
        for group in _column_groups(marts):
            names = ", ".join(f"`{m.name}`" for m in group)
            lines += ["", f"### {names}", ""]
            for model in group:
                macros_note = f" Macros: {', '.join(f'`{n}`' for n in model.macros)}." if model.macros else ""
                lines.append(f"- `{model.name}`: grain {_grain_cell(model)}. {_cell(model.description)}{macros_note}")
            lines += ["", "| Column | Kind | Formula / definition |", "| --- | --- | --- |"]
            grain_keys = {c for m in group for c in m.grain_columns}
            for column in group[0].columns:
                kind = "grain" if column.name in grain_keys else "column"
                lines.append(f"| `{column.name}` | {kind} | {_cell(column.description) or '-'} |")
    return "\n".join(lines) + "\n"


def _dbt_docs_link(model: str) -> str:
    return f"[{model}](#!/model/model.{DBT_PACKAGE}.{model})"


def render_overview(models: list[Model]) -> str:
    lines = [
        "{% docs __overview__ %}",
        f"<!-- Generated by `{COMMAND}` from the marts' YAML: edit the YAML, not this file. -->",
        "",
        "# CRM marketing KPI warehouse",
        "",
        "A dbt + Dagster + DuckDB warehouse of marketing KPIs. The tools' exports (GA4, the ESP, social "
        "and ad platforms, Search Console, the shop, the CRM, surveys, reviews, the blog, ticketing, finance) "
        "land as raw tables (schema `raw`), are renamed, cast and deduplicated in `models/staging` "
        "(`stg_<source>__<entity>`), conformed per channel and resolved to one customer per person in "
        "`models/intermediate` (identity graph, touchpoint spine), and computed into the KPI marts in "
        "`models/marts/<area>` (schema `marts`): `fct_` / `dim_` tables at the grain, `mart_` tables with "
        "the KPIs. Great Expectations gates between the layers block a layer whose input fails.",
        "",
        "Each model's description states its grain and each KPI column's description its formula. The same "
        "text, every KPI with its formula, grain, model and column on one page, is the **KPI reference**: "
        "`docs/kpi_reference.md` in the repository. Rates are fractions 0-1 (`_rate`), money EUR (`_eur`); "
        "a zero denominator gives null. The macros (formula helpers, generic tests, cross-database helpers) "
        "are documented under *Macros* in the project tree.",
        "",
        "## KPI areas",
        "",
        "| Area | What it measures | KPI marts |",
        "| --- | --- | --- |",
    ]
    for area in _areas(models):
        marts = [m for m in models if m.area == area and m.is_mart]
        if not marts:
            continue
        summary = AREAS.get(area, ("", ""))[1]
        links = ", ".join(_dbt_docs_link(m.name) for m in marts)
        lines.append(f"| {_title(area)} | {_cell(summary)} | {links} |")
    lines += ["", "{% enddocs %}"]
    return "\n".join(lines) + "\n"


def outputs() -> dict[Path, str]:
    models = load_models()
    return {REFERENCE_PATH: render_reference(models), OVERVIEW_PATH: render_overview(models)}


def main(argv: list[str]) -> int:
    files = outputs()
    if "--check" in argv:
        stale = [
            p.relative_to(PROJECT_ROOT).as_posix()
            for p, text in files.items()
            if not p.exists() or p.read_text() != text
        ]
        if stale:
            print(f"stale: {', '.join(stale)}; run `{COMMAND}`")
            return 1
        return 0
    if "--write" in argv:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path.relative_to(PROJECT_ROOT).as_posix()}")
        return 0
    sys.stdout.write(files[REFERENCE_PATH])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
