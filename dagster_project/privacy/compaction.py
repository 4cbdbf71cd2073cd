"""After an erasure: make sure the bytes are gone, not only marked deleted.

* ``compact_duckdb``: DuckDB reuses the blocks of deleted rows but never zeroes them, so a
  deleted value stays readable in the file until overwritten. The file is copied into a fresh
  one (``COPY FROM DATABASE``: schemas, tables, views; no free blocks) which replaces it
  atomically; the old WAL goes too.
* ``scrub_text_files``: run logs (``<warehouse folder>/logs``) and Dagster's compute logs name
  what the run logged; every occurrence of an erased value (and its JSON-escaped form) is
  masked in place (``[erased]****``, same length).
* ``scrub_sqlite``: Dagster's own storage under ``DAGSTER_HOME`` (SQLite: run configs, which
  name the identifiers of an erasure run, event logs with check metadata): the same
  replacement in every text column, then ``VACUUM`` so freed pages are rewritten.
* ``prune_parquet_versions``: the publication keeps its previous Parquet version for readers
  still reading it; after an erasure only the current version may remain.

A Postgres-backed Dagster instance is not scrubbed here: see the README's Privacy section.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb

SCRUBBED = "[erased]"
TEXT_SUFFIXES = (".log", ".out", ".err", ".txt", ".json", ".yaml", ".yml", ".jsonl")


def _forms(values: Iterable[str]) -> list[str]:
    forms = set()
    for value in values:
        forms.add(value)
        forms.add(json.dumps(value)[1:-1])  # as it appears inside JSON text
    return sorted((f for f in forms if f), key=len, reverse=True)


def _pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    forms = _forms(values)
    if not forms:
        return None
    # a number only where it stands alone (not the middle of a longer number)
    parts = [rf"(?<![0-9]){re.escape(f)}(?![0-9])" if f.isdigit() else re.escape(f) for f in forms]
    return re.compile("|".join(parts), re.IGNORECASE)


def _replacement(match: re.Match[str]) -> str:
    """``[erased]``; a number becomes nines of its length (JSON numbers stay numbers)."""
    text = match.group(0)
    return "9" * len(text) if text.isdigit() else SCRUBBED


def compact_duckdb(path: Path) -> tuple[int, int]:
    """Rewrite the DuckDB file at ``path`` into a fresh file; (bytes before, bytes after).

    Nothing may have the file open (the caller holds the warehouse's run lock)."""
    path = Path(path)
    before = path.stat().st_size
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.compacting")
    name = path.stem
    con = duckdb.connect()
    try:
        con.execute(f"attach '{path}' as \"{name}\" (read_only)")
        con.execute(f"attach '{temp}' as compacted")
        con.execute(f'copy from database "{name}" to compacted')
        con.execute("checkpoint compacted")
        con.execute("detach compacted")
        con.execute(f'detach "{name}"')
    except BaseException:
        con.close()
        for leftover in (temp, temp.with_name(temp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    con.close()
    wal = temp.with_name(temp.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"compacting {path}: the new file kept a WAL ({wal}); the original was left in place")
    with temp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    return before, path.stat().st_size


def _mask(match: re.Match[bytes]) -> bytes:
    """The same number of bytes: ``[erased]`` padded with ``*`` (nines for a number)."""
    text = match.group(0)
    if text.isdigit():
        return b"9" * len(text)
    return (SCRUBBED.encode() + b"*" * len(text))[: len(text)]


def scrub_text_files(folders: Sequence[Path], values: Iterable[str]) -> list[Path]:
    """Mask the values in every text file under ``folders`` in place; the files changed.

    Same-length masking, written in place: a log file the running process is still appending
    to keeps its offsets (replacing the file would lose what it writes next)."""
    forms = {form.encode("utf-8") for form in _forms(values)}
    if not forms:
        return []
    ordered = sorted(forms, key=len, reverse=True)
    pattern = re.compile(
        b"|".join(rb"(?<![0-9])" + re.escape(f) + rb"(?![0-9])" if f.isdigit() else re.escape(f) for f in ordered),
        re.IGNORECASE,
    )
    changed: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.is_symlink() or not path.name.lower().endswith(TEXT_SUFFIXES):
                continue
            with path.open("r+b") as handle:
                data = handle.read()
                new = pattern.sub(_mask, data)
                if new != data:
                    handle.seek(0)
                    handle.write(new)
                    handle.flush()
                    os.fsync(handle.fileno())
                    changed.append(path)
    return changed


def scrub_sqlite(folder: Path, values: Iterable[str]) -> list[Path]:
    """Replace the values in every text column of every SQLite database under ``folder``, then VACUUM."""
    pattern = _pattern(values)
    changed: list[Path] = []
    if pattern is None or not folder.is_dir():
        return changed
    for path in sorted(folder.rglob("*.db")):
        if not path.is_file():
            continue
        try:
            con = sqlite3.connect(path, timeout=60)
        except sqlite3.Error:
            continue
        try:
            con.create_function("crm_scrub", 1, lambda v: pattern.sub(_replacement, v) if isinstance(v, str) else v)
            touched = False
            tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table'")]
            for table in tables:
                columns = [r[1] for r in con.execute(f'pragma table_info("{table}")')]
                for column in columns:
                    cursor = con.execute(
                        f'update "{table}" set "{column}" = crm_scrub("{column}")'
                        f' where typeof("{column}") = \'text\' and crm_scrub("{column}") <> "{column}"'
                    )
                    touched = touched or cursor.rowcount > 0
            con.commit()
            if touched:
                con.execute("vacuum")
                con.execute("pragma wal_checkpoint(truncate)")
                changed.append(path)
        except sqlite3.Error:
            con.rollback()
            raise
        finally:
            con.close()
    return changed


def prune_parquet_versions(link: Path | None) -> list[Path]:
    """Remove every Parquet version directory but the one ``link`` points at."""
    if link is None or not link.is_symlink():
        return []
    current = (link.parent / os.readlink(link)).resolve()
    versions = current.parent
    removed = []
    for entry in sorted(versions.iterdir()):
        if entry.is_dir() and entry.resolve() != current:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
