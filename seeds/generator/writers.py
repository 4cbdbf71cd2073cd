"""Deterministic gzip writers for the landing files.

* gzip with an empty file name and mtime=0, so equal content gives equal bytes;
* CSV: header, comma, minimal quoting, ``\\n`` line endings, UTF-8, empty = null;
* NDJSON (GA4): one JSON object per line;
* monthly tables: one file per YYYYMM, optionally routing ~1% of the rows of a
  month's last two days to the next month's file (late arrivals) and writing
  ~0.5% of rows twice (exact duplicates of re-exports).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from seeds.generator.clock import Clock
from seeds.generator.gz import GzipSink
from seeds.generator.schema import TABLES, RawTable


def cell(v: object) -> str:
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


def money(x: float) -> str:
    return f"{round(x + 0.0, 2):.2f}"


class _GzText:
    def __init__(self, path: Path) -> None:
        self.text = GzipSink(path)

    def close(self) -> None:
        self.text.close()


class CsvFile:
    """One gzip CSV file with the table's header."""

    def __init__(self, path: Path, table: RawTable) -> None:
        self._f = _GzText(path)
        self._w = csv.writer(self._f.text, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        self._w.writerow(table.column_names)
        self.n_cols = len(table.columns)
        self.rows = 0

    def write(self, row: Sequence[object]) -> None:
        if len(row) != self.n_cols:
            raise ValueError(f"expected {self.n_cols} values, got {len(row)}: {row!r}")
        self._w.writerow([cell(v) for v in row])
        self.rows += 1

    def close(self) -> None:
        self._f.close()


class NdjsonFile:
    def __init__(self, path: Path) -> None:
        self._f = _GzText(path)
        self.rows = 0

    def write_line(self, line: str) -> None:
        self._f.text.write(line)
        self._f.text.write("\n")
        self.rows += 1

    def close(self) -> None:
        self._f.close()


class TableWriter:
    """Single-file table."""

    def __init__(self, out: Path, name: str) -> None:
        self.table = TABLES[name]
        self.file = CsvFile(out / name / self.table.file_name(), self.table)

    def write(self, row: Sequence[object]) -> None:
        self.file.write(row)

    def write_all(self, rows: Iterable[Sequence[object]]) -> None:
        for r in rows:
            self.file.write(r)

    @property
    def rows(self) -> int:
        return self.file.rows

    def close(self) -> None:
        self.file.close()


class MonthlyWriter:
    """One file per month; late arrivals and exact duplicates are injected here."""

    def __init__(
        self, out: Path, name: str, clock: Clock, rng: random.Random, late_p: float = 0.0, dup_p: float = 0.0
    ) -> None:
        self.table = TABLES[name]
        self.out, self.name, self.clock, self.rng = out, name, clock, rng
        self.late_p, self.dup_p = late_p, dup_p
        self.files: dict[str, CsvFile | NdjsonFile] = {}
        self.rows = 0
        self.late_rows = 0
        self.dup_rows = 0

    def _file(self, month: str):
        f = self.files.get(month)
        if f is None:
            path = self.out / self.name / self.table.file_name(month)
            f = NdjsonFile(path) if self.table.fmt == "ndjson" else CsvFile(path, self.table)
            self.files[month] = f
        return f

    def route(self, month: str, ts: int | None) -> str:
        """Month whose file gets a row of ``month`` (late arrivals move to the next file)."""
        if self.late_p and ts is not None and self.clock.last_two_days_of_month(ts) and self.rng.random() < self.late_p:
            nxt = self.clock.next_month(month)
            if nxt is not None:
                self.late_rows += 1
                return nxt
        return month

    def write(
        self, month: str, row: Sequence[object] | str, ts: int | None = None, *, late: bool = True, dup: bool = True
    ) -> None:
        target = self.route(month, ts) if late else month
        f = self._file(target)
        n = 2 if (dup and self.dup_p and self.rng.random() < self.dup_p) else 1
        for _ in range(n):
            if isinstance(f, NdjsonFile):
                f.write_line(row)  # type: ignore[arg-type]
            else:
                f.write(row)  # type: ignore[arg-type]
            self.rows += 1
        self.dup_rows += n - 1

    def ensure_all_months(self) -> None:
        """Create (possibly header-only) files for every month of the window."""
        for m in self.clock.months:
            self._file(m)

    def close(self) -> None:
        self.ensure_all_months()
        for m in sorted(self.files):
            self.files[m].close()


def write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, sort_keys=False) + "\n", encoding="utf-8", newline="\n")


class ExportCsv:
    """A CSV file as a tool's export writes it: the tool's own header labels, optional title
    lines above the header, optional BOM, any delimiter, gzip or plain (deterministic bytes)."""

    def __init__(
        self,
        path: Path,
        headers: Sequence[str],
        *,
        preamble: Sequence[Sequence[str]] = (),
        delimiter: str = ",",
        bom: bool = False,
        line_terminator: str = "\n",
        quoting: int = csv.QUOTE_MINIMAL,
        encoding: str = "utf-8",
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.text: GzipSink | io.TextIOWrapper
        if path.name.endswith(".gz"):
            self.text = GzipSink(path, encoding)
        else:
            self.text = open(path, "w", encoding=encoding, newline="")  # noqa: SIM115  (closed by close())
        if bom:
            self.text.write("\ufeff")
        self._w = csv.writer(self.text, delimiter=delimiter, lineterminator=line_terminator, quoting=quoting)
        for line in preamble:
            self._w.writerow(list(line))
        self._w.writerow(list(headers))
        self.n_cols = len(headers)
        self.rows = 0

    def write(self, row: Sequence[object]) -> None:
        if len(row) != self.n_cols:
            raise ValueError(f"expected {self.n_cols} values, got {len(row)}: {row!r}")
        self._w.writerow(["" if v is None else str(v) for v in row])
        self.rows += 1

    def write_raw(self, row: Sequence[object]) -> None:
        """A row that is not a record (a report's totals line)."""
        self._w.writerow(["" if v is None else str(v) for v in row])

    def close(self) -> None:
        self.text.close()


class ExportJsonLines:
    """Newline-delimited JSON (one record per line), gzip or plain, deterministic bytes."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.text: GzipSink | io.TextIOWrapper
        if path.name.endswith(".gz"):
            self.text = GzipSink(path)
        else:
            self.text = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115  (closed by close())
        self.rows = 0

    def write(self, record: object) -> None:
        self.text.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        self.text.write("\n")
        self.rows += 1

    def close(self) -> None:
        self.text.close()


def write_json_document(path: Path, document: object, *, indent: int | None = None) -> None:
    """One JSON document (an API response page), UTF-8, deterministic."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8", newline="\n")
