"""Command line: ``crm-seeds generate [--people N] [--start D] [--end D] [--seed S] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from seeds.generator import GENERATOR_VERSION
from seeds.generator.config import (
    DEFAULT_END,
    DEFAULT_GZIP_LEVEL,
    DEFAULT_HOLDOUT_MONTHS,
    DEFAULT_OUT,
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    DEFAULT_START,
    GeneratorConfig,
)


def _date(s: str) -> date:
    try:
        return date.fromisoformat(s)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {s!r}") from e


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crm-seeds", description="Synthetic raw extracts for the CRM KPI warehouse.")
    parser.add_argument("--version", action="version", version=f"crm-seeds generator {GENERATOR_VERSION}")
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="generate the raw extracts (deterministic for a given seed)")
    g.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="number of real persons (default %(default)s)")
    g.add_argument("--start", type=_date, default=DEFAULT_START, help="first day, YYYY-MM-DD (default %(default)s)")
    g.add_argument("--end", type=_date, default=DEFAULT_END, help="last day, inclusive (default %(default)s)")
    g.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    g.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default %(default)s)")
    g.add_argument(
        "--holdout-months",
        type=int,
        default=DEFAULT_HOLDOUT_MONTHS,
        help="months simulated after the window into _ground_truth/holdout_orders.csv.gz, 0 = none "
        "(default %(default)s)",
    )
    g.add_argument(
        "--gzip-level",
        type=int,
        default=DEFAULT_GZIP_LEVEL,
        help="gzip level of the .gz files, 1-9: a lower level deflates faster and writes larger files with the "
        "same decompressed content (default %(default)s, the bundled set's)",
    )
    g.add_argument("--quiet", action="store_true", help="no progress messages")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "generate":
        from seeds.generator.pipeline import generate

        try:
            cfg = GeneratorConfig(
                people=args.people,
                start=args.start,
                end=args.end,
                seed=args.seed,
                out=args.out,
                holdout_months=args.holdout_months,
                gzip_level=args.gzip_level,
            )
        except ValueError as e:
            print(f"crm-seeds: {e}", file=sys.stderr)
            return 2
        t = time.perf_counter()
        log = (lambda s: None) if args.quiet else (lambda s: print(f"crm-seeds: {s}", file=sys.stderr))
        stats = generate(cfg, log)
        rows = stats.get("rows", {})
        if not args.quiet:
            for k in sorted(rows):
                print(f"crm-seeds: {k:32s} {rows[k]:>10,d} rows", file=sys.stderr)
            print(f"crm-seeds: wrote {cfg.out} in {time.perf_counter() - t:.1f}s", file=sys.stderr)
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
