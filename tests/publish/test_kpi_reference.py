"""The KPI reference is generated from the marts' YAML and current; every macro is documented.

Fast: the reference reads YAML only; the macro check reads the parsed manifest, which is parsed
once per project fingerprint (``prepare_dbt_project``) and usually already there.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dagster_project.publish import kpi_reference
from dagster_project.settings import PROJECT_ROOT

MARTS_DIR = PROJECT_ROOT / "dbt" / "models" / "marts"


def _sections(markdown: str) -> list[str]:
    return re.split(r"^#{2,3} ", markdown, flags=re.MULTILINE)


def test_reference_is_current() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "dagster_project.publish.kpi_reference", "--check"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_every_mart_column_is_in_the_reference_with_its_model() -> None:
    reference = kpi_reference.REFERENCE_PATH.read_text()
    sections = _sections(reference)
    missing: list[str] = []
    marts = 0
    for yml in sorted(MARTS_DIR.glob("**/_*.yml")):
        for model in (yaml.safe_load(yml.read_text()) or {}).get("models") or []:
            if not model["name"].startswith("mart_"):
                continue
            marts += 1
            # the section whose heading names the model holds its column table
            section = next((s for s in sections if f"`{model['name']}`" in s.splitlines()[0]), None)
            if section is None:
                missing.append(model["name"])
                continue
            for column in model.get("columns") or []:
                if not re.search(rf"^\| `{re.escape(column['name'])}` \|", section, flags=re.MULTILINE):
                    missing.append(f"{model['name']}.{column['name']}")
    assert marts > 50
    assert not missing, f"not in docs/kpi_reference.md: {missing}"


def test_every_mart_states_its_grain() -> None:
    models = [m for m in kpi_reference.load_models() if m.is_mart]
    assert [m.name for m in models if not m.grain_columns] == []
    assert [m.name for m in models if not m.grain] == []


def test_grain_text_reads_nested_parentheses() -> None:
    description = "Scores (grain: customer_id; contacts (with a CRM contact) only). More."
    assert kpi_reference.grain_text(description) == "customer_id; contacts (with a CRM contact) only"
    assert kpi_reference.grain_text("Touchpoints. Grain: one row per touchpoint. More.") == "one row per touchpoint"


def test_overview_is_the_dbt_docs_home_page_and_links_the_reference() -> None:
    overview = kpi_reference.OVERVIEW_PATH.read_text()
    assert overview.startswith("{% docs __overview__ %}") and overview.rstrip().endswith("{% enddocs %}")
    assert "docs/kpi_reference.md" in overview


# ---- macros -------------------------------------------------------------------------------------

_SIGNATURE = re.compile(r"{%-?\s*(?:macro|test)\s+(\w+)\s*\((.*?)\)\s*-?%}", re.DOTALL)


def _split_arguments(text: str) -> list[str]:
    """Argument names of a Jinja signature (defaults may hold lists, dicts and strings with commas)."""
    names, depth, quote, current = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            names.append(current)
            current = ""
            continue
        current += char if depth == 0 and not quote and char not in "'\"" else ""
    names.append(current)
    return [n.split("=")[0].strip() for n in names if n.split("=")[0].strip()]


def test_split_arguments() -> None:
    assert _split_arguments("a, b=[1, 2], c='x, y', d={'k': (1, 2)}") == ["a", "b", "c", "d"]
    assert _split_arguments("") == []


@pytest.fixture(scope="module")
def project_macros() -> list[dict]:
    from dagster_project.dbt_project import dbt_project, prepare_dbt_project

    prepare_dbt_project()
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    package = manifest["metadata"].get("project_name") or "crm_kpi_warehouse"
    return [m for m in manifest["macros"].values() if m["package_name"] == package]


def test_every_macro_has_a_description_and_documented_arguments(project_macros: list[dict]) -> None:
    assert len(project_macros) > 100
    problems: list[str] = []
    for macro in project_macros:
        name = macro["name"]
        if not macro["description"].strip():
            problems.append(f"{name}: no description")
        documented = {a["name"]: a for a in macro["arguments"]}
        signature = _SIGNATURE.search(macro["macro_sql"])
        declared = _split_arguments(signature.group(2)) if signature else []
        for argument in declared:
            if argument not in documented:
                problems.append(f"{name}({argument}): not documented")
            elif not (documented[argument].get("description") or "").strip() or not documented[argument].get("type"):
                problems.append(f"{name}({argument}): no description or type")
        for argument in documented:
            if argument not in declared:
                problems.append(f"{name}({argument}): documented but not an argument")
    assert not problems, "\n".join(sorted(problems))
