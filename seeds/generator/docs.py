"""Column reference of the raw extracts, generated from the dbt source YAMLs (the contract).

    python -m seeds.generator.docs                 # markdown to stdout
    python -m seeds.generator.docs --write-readme  # refresh the section in seeds/README.md
    python -m seeds.generator.docs --check         # fail if schema.py and the YAMLs differ

Uses PyYAML (a project dependency); the generator itself does not.
"""

from __future__ import annotations

import argparse
import glob
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "seeds" / "README.md"
BEGIN = "<!-- BEGIN GENERATED: python -m seeds.generator.docs --write-readme -->"
END = "<!-- END GENERATED -->"


def _sources(repo: Path = REPO) -> list[tuple[str, dict, dict]]:
    import yaml

    out = []
    for f in sorted(glob.glob(str(repo / "dbt/models/staging/*/_*__sources.yml"))):
        doc = yaml.safe_load(Path(f).read_text(encoding="utf-8"))
        for src in doc.get("sources", []):
            for t in src.get("tables", []):
                out.append((f, src, t))
    out.sort(key=lambda x: x[2].get("identifier", x[2]["name"]))
    return out


def _cell(s: object) -> str:
    return str(s or "").replace("|", "\\|").replace("\n", " ").strip()


def markdown() -> str:
    from seeds.generator.exports import native_folders
    from seeds.generator.schema import TABLES

    native = set(native_folders())
    lines: list[str] = []
    for path, src, t in _sources():
        ident = t.get("identifier", t["name"])
        spec = TABLES.get(ident)
        rel = Path(path).relative_to(REPO)
        if spec is not None and spec.monthly:
            files = f"`{ident}/{spec.file_name('YYYYMM')}` (one file per month)"
        elif spec is not None:
            files = f"`{ident}/{spec.file_name()}`"
        elif ident in native:
            files = "written by the generator as the tool exports it (see `docs/sources/`)"
        else:
            files = "(not generated: the documented generic CSV for tools the generator does not simulate)"
        lines.append(f"### `{ident}`")
        lines.append("")
        lines.append(f"{_cell(t.get('description'))}  ")
        lines.append(f"Source `{src['name']}.{t['name']}` in `{rel}`; files: {files}.")
        lines.append("")
        lines.append("| # | column | type | meaning |")
        lines.append("|---|---|---|---|")
        for i, c in enumerate(t["columns"], start=1):
            lines.append(f"| {i} | `{c['name']}` | `{_cell(c.get('data_type'))}` | {_cell(c.get('description'))} |")
        lines.append("")
    from seeds.generator.holdout import HOLDOUT_DOC
    from seeds.generator.truth import CUSTOMERS_DOC, IDENTIFIER_DOC, PEOPLE_DOC

    for name, doc, what in (
        ("people", PEOPLE_DOC, "One row per real person (grain: person_id)."),
        ("identifiers", IDENTIFIER_DOC, "One row per raw identifier spelling and person."),
        (
            "customers",
            CUSTOMERS_DOC,
            "One row per person with a paid order in the window (grain: person_id): new vs returning legacy customers.",
        ),
        (
            "holdout_orders",
            HOLDOUT_DOC,
            "One row per order placed in the --holdout-months "
            "after the window (grain: order_number), to judge CLV forecasts.",
        ),
    ):
        lines.append(f"### `_ground_truth/{name}.csv.gz`")
        lines.append("")
        lines.append(f"{what} Ground truth for evaluating identity resolution and models; never loaded as a source.")
        lines.append("")
        lines.append("| # | column | meaning |")
        lines.append("|---|---|---|")
        for i, (c, d) in enumerate(doc, start=1):
            lines.append(f"| {i} | `{c}` | {_cell(d)} |")
        lines.append("")
    return "\n".join(lines)


def check() -> list[str]:
    """Generic tables: schema.py's columns equal the YAML's. Native exports: every landing folder the
    export modules write is declared in a source YAML (their headers are the tools' own, checked by
    loading them in the tests)."""
    from seeds.generator.exports import native_folders
    from seeds.generator.schema import TABLES

    problems = []
    seen = set()
    native = set(native_folders())
    for _, _, t in _sources():
        ident = t.get("identifier", t["name"])
        seen.add(ident)
        spec = TABLES.get(ident)
        cols = tuple((c["name"], c["data_type"]) for c in t["columns"])
        if spec is not None and ident not in native and spec.columns != cols:  # native: the tool's own shape
            problems.append(f"{ident}: columns differ between schema.py and the YAML")
    for ident in list(TABLES) + native_folders():
        if ident not in seen:
            problems.append(f"{ident}: generated but not declared in any source YAML")
    return problems


def _readme_with_current_section(path: Path) -> tuple[str, str]:
    """(the README as it is, the README with its generated section rebuilt from the YAMLs)."""
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{path}: markers {BEGIN!r} / {END!r} not found")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return text, head + BEGIN + "\n\n" + markdown() + "\n" + END + tail


def readme_is_current(path: Path = README) -> bool:
    text, current = _readme_with_current_section(path)
    return text == current


def write_readme(path: Path = README) -> None:
    _, current = _readme_with_current_section(path)
    path.write_text(current, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m seeds.generator.docs")
    g = ap.add_mutually_exclusive_group()
    g.add_argument(
        "--check", action="store_true", help="compare schema.py with the source YAMLs and the README section with both"
    )
    g.add_argument("--write-readme", action="store_true", help=f"refresh the generated section of {README}")
    args = ap.parse_args(argv)
    if args.check:
        problems = check()
        if not readme_is_current():
            problems.append(f"{README}: the generated column reference is stale (run --write-readme)")
        for p in problems:
            print(p, file=sys.stderr)
        print("schema.py matches the source YAMLs" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    if args.write_readme:
        write_readme()
        return 0
    sys.stdout.write(markdown() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
