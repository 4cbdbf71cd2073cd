"""Rewrite a landing file without some of its records (erasure), in the file's own format.

A record is named as the loader names it: ``_source_row``, its 1-based number in the file (for
a zip archive, in the member ``<archive>/<member>``). The rewrite keeps every other byte where
the format allows it:

* CSV (plain or ``.gz``): the lines up to the header (report preambles) and every kept record
  are copied verbatim; a record may span lines (quoted newlines).
* JSON: newline-delimited records lose their lines; a document (or one document per line) whose
  records sit under ``config.meta.landing.json.records`` (a page of an API) or in a top-level
  array is parsed and written back without the records (same order; formatting normalized).
* Parquet: rewritten by DuckDB without the rows.
* ``.gz`` is recompressed, a zip archive rebuilt with the same members in the same order.

The new content is then staged by the loader's own readers and compared with the old one
(``verify``): the kept records must read back exactly as before, else nothing is replaced and
:class:`RewriteError` says why. The file is replaced atomically (temp file in the same folder,
``os.replace``), keeping its modification time so the settle window does not hold it back.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb

from dagster_project.ingest.export_readers import (
    HEADER_SEARCH_LINES,
    STAGED,
    _codec,
    _first_lines,
    _locate_header,
    file_format,
    quoted,
    sql_literal,
    stage_file,
)
from dagster_project.ingest.raw_contract import ARCHIVE_EXTENSIONS, RawTable


class RewriteError(RuntimeError):
    """The file could not be rewritten so that it reads back as the old one minus the records."""


def _lines(text: str) -> list[str]:
    """Lines ending in ``\\n`` (``\\r\\n`` kept together); no other character splits a line."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


def _csv_without(text: str, header_index: int, drop: set[int], delimiter: str) -> str:
    lines = _lines(text)
    head, body = lines[: header_index + 1], lines[header_index + 1 :]
    out = list(head)
    position = 0  # lines of ``body`` the csv reader consumed
    record = 0

    def feed() -> Iterable[str]:
        nonlocal position
        while position < len(body):
            position += 1
            yield body[position - 1]

    start = 0
    for fields in csv.reader(feed(), delimiter=delimiter, quotechar='"'):
        end = position
        if fields:  # a blank line is no record (DuckDB skips it; verify() checks)
            record += 1
            if record in drop:
                start = end
                continue
        out.extend(body[start:end])
        start = end
    out.extend(body[start:])
    return "".join(out)


def _records_of(document: object, key: str | None) -> list | None:
    if key is None:
        return document if isinstance(document, list) else None
    if isinstance(document, dict) and isinstance(document.get(key), list):
        return document[key]
    return None


def _json_without(text: str, records_key: str | None, drop: set[int]) -> str:
    stripped = text.lstrip()
    if records_key is None and not stripped.startswith("["):
        # newline-delimited records (GA4's export): one record per non-blank line
        out, record = [], 0
        for line in _lines(text):
            if line.strip():
                record += 1
                if record in drop:
                    continue
            out.append(line)
        return "".join(out)
    try:
        documents = [json.loads(text)]
        one_document = True
    except json.JSONDecodeError:
        documents = [json.loads(line) for line in text.splitlines() if line.strip()]
        one_document = False
    record = 0
    for document in documents:
        records = _records_of(document, records_key)
        if records is None:
            continue
        kept = []
        for item in records:
            record += 1
            if record not in drop:
                kept.append(item)
        records[:] = kept
    if one_document:
        return json.dumps(documents[0], ensure_ascii=False)
    return "".join(json.dumps(document, ensure_ascii=False) + "\n" for document in documents)


def _rewrite_member(table: RawTable, source: Path, name: str, target: Path, drop: set[int], work_dir: Path) -> None:
    """Write ``target`` = ``source`` (a single file named ``name``) without the records ``drop``."""
    fmt = file_format(table, name)
    if fmt == "parquet":
        con = duckdb.connect()
        try:
            rows = ", ".join(str(n - 1) for n in sorted(drop)) or "-1"
            con.execute(
                f"copy (select * exclude (file_row_number) from read_parquet({sql_literal(str(source))},"
                f" file_row_number = true) where file_row_number not in ({rows}) order by file_row_number)"
                f" to {sql_literal(str(target))} (format parquet)"
            )
        finally:
            con.close()
        return
    codec = _codec(table, source)
    compressed = name.lower().endswith(".gz")
    raw = gzip.decompress(source.read_bytes()) if compressed else source.read_bytes()
    text = raw.decode(codec)
    if fmt == "csv":
        lines = _first_lines(source, table, name, HEADER_SEARCH_LINES)
        header_index, delimiter, _ = _locate_header(table, lines, name)
        new_text = _csv_without(text, header_index, drop, delimiter)
    elif fmt == "json":
        new_text = _json_without(text, table.json_records, drop)
    else:
        raise RewriteError(f"{name}: not a format the erasure can rewrite ({fmt})")
    encoded = new_text.encode("utf-8" if codec == "utf-8-sig" and not raw.startswith(b"\xef\xbb\xbf") else codec)
    target.write_bytes(gzip.compress(encoded, mtime=0) if compressed else encoded)


def _staged_rows(
    con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, name: str, into: str, work_dir: Path
) -> None:
    stage_file(con, table, path, name, work_dir, name=name)
    con.execute(f"create or replace temp table {into} as select * from {STAGED}")
    con.execute(f"drop table if exists {STAGED}")


def verify(table: RawTable, old: Path, new: Path, name: str, drop: set[int], work_dir: Path) -> None:
    """The new file reads back as the old one without the records ``drop``; else RewriteError."""
    con = duckdb.connect()
    try:
        _staged_rows(con, table, old, name, "_old_rows", work_dir)
        _staged_rows(con, table, new, name, "_new_rows", work_dir)
        rows = ", ".join(str(n) for n in sorted(drop)) or "-1"
        columns = ", ".join(quoted(c.name) for c in table.file_columns)
        difference = con.execute(
            f"""select count(*) from (
                (select {columns} from _old_rows where _source_row not in ({rows})
                 except all select {columns} from _new_rows)
                union all
                (select {columns} from _new_rows
                 except all select {columns} from _old_rows where _source_row not in ({rows}))
            )"""
        ).fetchone()[0]
        expected = con.execute(f"select count(*) from _old_rows where _source_row not in ({rows})").fetchone()[0]
        actual = con.execute("select count(*) from _new_rows").fetchone()[0]
    finally:
        con.close()
    if difference or expected != actual:
        raise RewriteError(
            f"{name}: the rewritten file does not read back as the original without {len(drop)} record(s)"
            f" ({actual} rows instead of {expected}, {difference} differing): left unchanged"
        )


def rewrite_without(table: RawTable, path: Path, relative: str, drops: Mapping[str, set[int]]) -> None:
    """Replace ``path`` by itself without the records ``drops[<relative name>]``.

    ``drops`` is keyed by the loader's ``_source_file``: ``relative`` for a single file,
    ``<relative>/<member>`` for the members of a zip archive."""
    stat = path.stat()
    with tempfile.TemporaryDirectory(prefix="crm_erase_") as scratch:
        work = Path(scratch)
        temp = path.with_name(f".erasing-{os.getpid()}-{path.name}")  # hidden: never loaded; same suffix
        try:
            if path.name.lower().endswith(ARCHIVE_EXTENSIONS):
                _rewrite_archive(table, path, relative, drops, temp, work)
            else:
                drop = set(drops.get(relative, set()))
                _rewrite_member(table, path, path.name, temp, drop, work)
                verify(table, path, temp, path.name, drop, work)
            with temp.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temp, path)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        finally:
            if temp.exists():
                temp.unlink()


def _rewrite_archive(
    table: RawTable, path: Path, relative: str, drops: Mapping[str, set[int]], temp: Path, work: Path
) -> None:
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for index, info in enumerate(archive.infolist()):
            drop = set(drops.get(f"{relative}/{info.filename}", set()))
            data = archive.read(info)
            if drop:
                member = work / f"{index}_{Path(info.filename).name}"
                member.write_bytes(data)
                rewritten = work / f"{index}_new_{Path(info.filename).name}"
                _rewrite_member(table, member, Path(info.filename).name, rewritten, drop, work)
                verify(table, member, rewritten, Path(info.filename).name, drop, work)
                data = rewritten.read_bytes()
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            out.writestr(copy, data)


__all__ = ["RewriteError", "rewrite_without", "verify"]
