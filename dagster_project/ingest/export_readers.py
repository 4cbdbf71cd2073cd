"""Read one landing file, as its tool wrote it, into a typed temporary table.

``stage_file`` turns a CSV / TSV, JSON (newline-delimited or one document) or Parquet file into
the temporary table ``_staged_file``: one column per contract column of the raw table (typed,
null where an optional column is absent) plus ``_source_row``, the record's 1-based position in
the file. DuckDB's readers do the parsing; Python only reads the first lines (header, preamble,
delimiter, encoding) and, when something is wrong, finds the physical line to name.

Rules shared by every format:
* columns are matched by name, in any order: a CSV header by its snake-case form or the
  column's header regexes, a JSON key or Parquet column by its name;
* a column the file lacks is an error unless the contract marks it optional (then null);
* a header or key the contract does not declare is ignored and reported as a warning;
* a value that does not parse as its column's type is an error naming file, line and column;
* text is UTF-8, with or without BOM (also in gzip files and zip members, CSV or JSON), UTF-16
  with a BOM, or the encoding declared in ``config.meta.landing.encoding``, overridden by the
  environment variable ``CRM_LANDING_ENCODING_<TABLE>``; a byte that is not valid in it (anywhere
  in the file: DuckDB's own encoding errors are re-located by a Python scan) is an error naming
  file, line and byte offset (of the decompressed content for a ``.gz``);
* a file that cannot be read as what its name says (not gzip, a truncated gzip, a corrupt zip)
  is an error naming the file: no decoder or decompressor exception escapes ``stage_file``.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
import re
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

import duckdb

from dagster_project.ingest.raw_contract import FORMAT_EXTENSIONS, RawColumn, RawTable, snake_case
from dagster_project.settings import LANDING_ENCODING_ENV_PREFIX, landing_encoding_override

STAGED = "_staged_file"
HEADER_SEARCH_LINES = 30
_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0")
_JSON_LINE = re.compile(r"line (\d+)")
# what reading a file as its name says can raise: gzip's BadGzipFile is an OSError, a truncated
# gzip an EOFError, a corrupt deflate stream zlib.error
READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error, zipfile.BadZipFile)


class RawLoadError(Exception):
    """A landing file that cannot be loaded, located by file, line and column."""

    def __init__(self, table: str, file: str, line: int | None, column: str | None, problem: str):
        self.table, self.file, self.line, self.column, self.problem = table, file, line, column, problem
        where = f"file {file}"
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"raw.{table}: {where}: {problem}. Nothing was loaded into raw.{table}.")


@dataclass
class StagedFile:
    """What ``stage_file`` left in ``_staged_file``."""

    rows: int
    constants: dict[str, str | None] = field(default_factory=dict)  # columns from the file name / header
    ignored_fields: list[str] = field(default_factory=list)
    dropped_rows: int = 0


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def file_format(table: RawTable, name: str) -> str | None:
    lowered = name.lower()
    for fmt in table.formats:
        if lowered.endswith(FORMAT_EXTENSIONS[fmt]):
            return fmt
    return None


# --------------------------------------------------------------------------- text access


def _open_binary(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _bom_encoding(path: Path) -> str | None:
    """The encoding a byte-order mark announces (UTF-16 "Excel" exports, UTF-8 with BOM), if any."""
    try:
        with _open_binary(path) as raw:
            head = raw.read(4)
    except READ_ERRORS:
        return None  # named by the reader that reads the file
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return None


def declared_encoding(table: RawTable) -> str:
    """``CRM_LANDING_ENCODING_<TABLE>`` if set, else the source's ``config.meta.landing.encoding``."""
    return landing_encoding_override(table.name) or table.encoding


def _codec(table: RawTable, path: Path | None = None) -> str:
    """A byte-order mark wins over the declared encoding; UTF-8 is read with or without BOM."""
    detected = _bom_encoding(path) if path is not None else None
    if detected:
        return detected
    declared = declared_encoding(table)
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        source = (
            f"{LANDING_ENCODING_ENV_PREFIX}{table.name.upper()}"
            if landing_encoding_override(table.name)
            else ("config.meta.landing.encoding")
        )
        raise RawLoadError(
            table.name, f"{table.name}/", None, None, f"unknown encoding {declared!r} (from {source})"
        ) from None
    return "utf-8-sig" if name == "utf-8" else name


def _is_utf8(table: RawTable, path: Path) -> bool:
    return codecs.lookup(_codec(table, path)).name in ("utf-8", "utf-8-sig")


@contextmanager
def _text(path: Path, table: RawTable) -> Iterator[IO[str]]:
    with _open_binary(path) as raw:
        yield io.TextIOWrapper(raw, encoding=_codec(table, path), newline="")


def _not_decodable(table: RawTable, relative: str, codec: str, line: int, offset: int, sample: bytes) -> RawLoadError:
    return RawLoadError(
        table.name,
        relative,
        line,
        None,
        f"not valid {codec} text (byte {offset} of the file: {sample!r}); declare the file's encoding under"
        f" config.meta.landing.encoding of the source table (or set {LANDING_ENCODING_ENV_PREFIX}{table.name.upper()}),"
        " or export it as UTF-8",
    )


def _unreadable(table: RawTable, relative: str, error: BaseException) -> RawLoadError:
    kind = "gzip" if relative.lower().endswith(".gz") else "zip" if relative.lower().endswith(".zip") else "file"
    return RawLoadError(
        table.name,
        relative,
        None,
        None,
        f"cannot read the file as {kind} ({type(error).__name__}: {error or 'unexpected end of data'})"
        if kind != "file"
        else f"cannot read the file ({type(error).__name__}: {error})",
    )


def decoded_lines(path: Path, table: RawTable, relative: str) -> Iterator[str]:
    """The file's lines (with their line ends), decoded; a byte invalid in the file's encoding
    raises ``RawLoadError`` with its line and byte offset, a gzip error one naming the file."""
    try:
        with _open_binary(path) as raw:
            codec = _codec(table, path)
            decoder = codecs.getincrementaldecoder(codec)()
            buffer, line_number, offset = "", 1, 0
            while True:
                chunk = raw.read(1 << 16)
                final = not chunk
                pending = decoder.getstate()[0] if hasattr(decoder, "getstate") else b""
                pending = pending if isinstance(pending, bytes) else b""
                try:
                    buffer += decoder.decode(chunk, final=final)
                except UnicodeDecodeError as error:
                    data = pending + chunk
                    # error.object is what the codec saw: the data, or its tail after a BOM (utf-8-sig)
                    base = offset - len(pending) + len(data) - len(error.object)
                    before = error.object[: error.start]
                    raise _not_decodable(
                        table,
                        relative,
                        codec,
                        line_number + buffer.count("\n") + before.count(b"\n"),
                        base + error.start,
                        error.object[error.start : error.start + 4],
                    ) from None
                offset += len(chunk)
                if "\n" in buffer:
                    *complete, buffer = buffer.split("\n")
                    for line in complete:
                        yield line + "\n"
                    line_number += len(complete)
                if final:
                    if buffer:
                        yield buffer
                    return
    except READ_ERRORS as error:
        raise _unreadable(table, relative, error) from None


def check_text(path: Path, table: RawTable, relative: str) -> None:
    """Read the whole file: raises ``RawLoadError`` at the first byte its encoding cannot decode."""
    for _line in decoded_lines(path, table, relative):
        pass


def _first_lines(path: Path, table: RawTable, relative: str, count: int) -> list[str]:
    """The first ``count`` lines, decoded; a decoding or gzip error names the file, line and byte."""
    lines: list[str] = []
    generator = decoded_lines(path, table, relative)
    try:
        for line in generator:
            lines.append(line.rstrip("\n").rstrip("\r"))
            if len(lines) >= count:
                break
    finally:
        generator.close()
    return lines


def _utf8_copy(path: Path, table: RawTable, relative: str, work_dir: Path) -> Path:
    """A UTF-8 copy of a file in another declared encoding (DuckDB reads UTF-8)."""
    target = work_dir / (path.name.removesuffix(".gz") + ".utf8")
    with target.open("w", encoding="utf-8", newline="") as out:
        for text in decoded_lines(path, table, relative):
            out.write(text)
    return target


def _encoding_problem(message: str) -> bool:
    lowered = message.lower()
    return any(word in lowered for word in ("unicode", "utf-8", "utf8", "encoding"))


def physical_line(path: Path, table: RawTable, header_line: int, delimiter: str, record_index: int) -> int:
    """The line on which data record ``record_index`` (0-based, after the header) starts."""
    with _text(path, table) as handle:
        for _ in range(header_line):
            handle.readline()
        reader = csv.reader(handle, delimiter=delimiter)
        start = header_line + 1
        for index, _row in enumerate(reader):
            if index == record_index:
                return start
            start = header_line + reader.line_num + 1
    return header_line + record_index + 1


# --------------------------------------------------------------------------- casting


def _numeric_text(expression: str, number_format: str | None) -> str:
    """Strip what a report puts around a number: thousands separators, %, currency signs."""
    text = f"trim({expression})"
    if number_format in ("1.234,56", "de", "it"):
        text = f"replace(replace({text}, '.', ''), ',', '.')"
    elif number_format in ("1,234.56", "en"):
        text = f"replace({text}, ',', '')"
    return f"regexp_replace({text}, '[%€$£\\s]', '', 'g')"


def cast_expression(column: RawColumn, source: str, number_format: str | None = None) -> str:
    """SQL turning the text ``source`` into ``column``'s type (null when it does not parse)."""
    kind = column.data_type.strip().lower()
    formats = [f for f in column.formats if f not in ("percent", "1,234.56", "1.234,56")]
    numeric_format = next((f for f in column.formats if f in ("1,234.56", "1.234,56")), number_format)
    if kind in ("varchar", "text", "string"):
        return source
    if kind in ("bigint", "integer", "int", "smallint", "hugeint", "double", "float", "real") or kind.startswith(
        "decimal"
    ):
        text = _numeric_text(source, numeric_format)
        value = f"try_cast({text} as {column.data_type})"
        if "percent" in column.formats:
            value = f"try_cast({text} as double) / 100"
        return value
    if kind == "boolean":
        return (
            f"case when lower(trim({source})) in ({', '.join(map(sql_literal, _TRUE))}) then true"
            f" when lower(trim({source})) in ({', '.join(map(sql_literal, _FALSE))}) then false end"
        )
    if kind in ("date", "timestamp", "timestamptz", "timestamp with time zone"):
        if formats:
            parsed = f"try_strptime(trim({source}), [{', '.join(map(sql_literal, formats))}])"
            return f"cast({parsed} as {column.data_type})"
        return f"try_cast(trim({source}) as {column.data_type})"
    return f"try_cast({source} as {column.data_type})"


# --------------------------------------------------------------------------- CSV


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _match_header(table: RawTable, header: list[str]) -> tuple[dict[str, int], dict[str, str | None], list[str]]:
    """Column -> position in the header, captured header constants, unmatched header fields."""
    positions: dict[str, int] = {}
    constants: dict[str, str | None] = {}
    unmatched: list[str] = []
    file_columns = table.file_columns
    for index, text in enumerate(header):
        for column in file_columns:
            if column.name in positions:
                continue
            match = column.matches_header(text)
            if match:
                positions[column.name] = index
                constants.update({k: v for k, v in match.groupdict().items() if v is not None})
                break
        else:
            if text.strip():
                unmatched.append(text.strip())
    return positions, constants, unmatched


def _locate_header(table: RawTable, lines: list[str], relative: str) -> tuple[int, str, list[str]]:
    """(0-based line index, delimiter, fields) of the header: the first line naming the most columns."""
    if not lines or not any(line.strip() for line in lines):
        raise RawLoadError(table.name, relative, 1, None, "the file is empty (no header row)")
    candidates = [table.csv.delimiter] if table.csv.delimiter else [",", ";", "\t", "|"]
    best: tuple[int, int, str, list[str]] | None = None
    for index, line in enumerate(lines):
        for delimiter in candidates:
            fields = _split(line, delimiter)
            matched = len(_match_header(table, fields)[0])
            if matched and (best is None or matched > best[0]):
                best = (matched, index, delimiter, fields)
    if best is None:
        delimiter = candidates[0]
        return 0, delimiter, _split(lines[0], delimiter)
    return best[1], best[2], best[3]


def _stage_csv(
    con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, relative: str, work_dir: Path
) -> StagedFile:
    lines = _first_lines(path, table, relative, HEADER_SEARCH_LINES)
    header_index, delimiter, header = _locate_header(table, lines, relative)
    positions, constants, unmatched = _match_header(table, header)
    header_line = header_index + 1
    missing = [c.name for c in table.file_columns if c.name not in positions and not c.optional]
    missing += [c.name for c in table.columns if c.origin == "header" and c.name not in constants and not c.optional]
    if missing:
        raise RawLoadError(
            table.name,
            relative,
            header_line,
            missing[0],
            f"missing column(s) {missing} in the header (found {[h for h in header if h.strip()]})",
        )
    readable = path if _is_utf8(table, path) else _utf8_copy(path, table, relative, work_dir)
    names = [f"c{i}" for i in range(len(header))]
    con.execute(
        "drop table if exists _csv_text; drop table if exists _raw_rejects; drop table if exists _raw_reject_scans"
    )
    try:
        con.execute(
            f"""create temp table _csv_text as
                select * from read_csv({sql_literal(str(readable))}, header = false, skip = {header_line},
                    all_varchar = true, delim = {sql_literal(delimiter)}, quote = '"', escape = '"',
                    auto_detect = false,
                    columns = {{{", ".join(f"{sql_literal(n)}: 'varchar'" for n in names)}}},
                    store_rejects = true, rejects_table = '_raw_rejects', rejects_scan = '_raw_reject_scans',
                    strict_mode = true)"""
        )
    except duckdb.Error as error:
        message = str(error).splitlines()[0]
        if _encoding_problem(message):
            check_text(readable, table, relative)  # raises with the line and byte
        raise RawLoadError(table.name, relative, None, None, message) from None
    rejects = con.execute(
        "select line, column_name, error_type, error_message from _raw_rejects order by line limit 1"
    ).fetchall()
    if rejects:
        total = con.execute("select count(*) from _raw_rejects").fetchone()[0]
        line, column, error_type, message = rejects[0]
        if con.execute("select count(*) from _raw_rejects where error_type = 'INVALID ENCODING'").fetchone()[0]:
            check_text(readable, table, relative)  # DuckDB's line counts from its skip: locate it ourselves
        more = f" ({total - 1} more bad rows)" if total > 1 else ""
        name = None
        if column and column in names:
            name = header[names.index(column)].strip()
        raise RawLoadError(table.name, relative, int(line), name, f"{error_type}: {message}{more}")

    nulls = ("",) + table.csv.null_values

    def text_of(column: RawColumn) -> str:
        position = positions[column.name]
        raw = quoted(names[position])
        return f"case when trim({raw}) in ({', '.join(map(sql_literal, nulls))}) then null else {raw} end"

    keep = "true"
    dropped = 0
    if table.csv.drop_rows_column and table.csv.drop_rows_column in positions:
        drop_source = quoted(names[positions[table.csv.drop_rows_column]])
        keep = f"not regexp_matches(coalesce({drop_source}, ''), {sql_literal(table.csv.drop_rows_matching or '^$')})"
        dropped = con.execute(f"select count(*) from _csv_text where not ({keep})").fetchone()[0]

    base = con.execute("select coalesce(min(rowid), 0) from _csv_text").fetchone()[
        0
    ]  # rowids in a transaction start high
    selects, checks = [], []
    for column in table.file_columns:
        if column.name not in positions:
            selects.append(f"cast(null as {column.data_type}) as {quoted(column.name)}")
            continue
        source = text_of(column)
        expression = cast_expression(column, source, table.csv.number_format)
        selects.append(f"{expression} as {quoted(column.name)}")
        if expression != source:
            checks.append((column, source, expression))
    con.execute(f"drop table if exists {STAGED}")
    con.execute(
        f"create temp table {STAGED} as select {', '.join(selects)}, rowid - {base} + 1 as _source_row"
        f" from _csv_text where {keep} order by rowid"
    )
    for column, source, expression in checks:
        bad = con.execute(
            f"select rowid, {source} from _csv_text where {keep} and {source} is not null and ({expression}) is null"
            " order by rowid limit 1"
        ).fetchone()
        if bad:
            count = con.execute(
                f"select count(*) from _csv_text where {keep} and {source} is not null and ({expression}) is null"
            ).fetchone()[0]
            line = physical_line(path, table, header_line, delimiter, int(bad[0]) - base)
            more = f" ({count - 1} more bad rows)" if count > 1 else ""
            wanted = column.data_type + (f" in format {list(column.formats)}" if column.formats else "")
            raise RawLoadError(
                table.name,
                relative,
                line,
                header[positions[column.name]].strip(),
                f"CAST: value {bad[1]!r} is not a {wanted}{more}",
            )
    rows = con.execute(f"select count(*) from {STAGED}").fetchone()[0]
    con.execute("drop table if exists _csv_text")
    return StagedFile(rows=int(rows), constants=constants, ignored_fields=unmatched, dropped_rows=int(dropped))


# --------------------------------------------------------------------------- JSON


def _struct_of(columns: list[RawColumn]) -> str:
    return "{" + ", ".join(f"{sql_literal(c.name)}: {sql_literal(c.data_type)}" for c in columns) + "}"


def _record_keys(path: Path, table: RawTable, relative: str) -> list[str]:
    """Top-level keys of the first record (to report fields the contract ignores)."""
    first = _first_lines(path, table, relative, 1)
    if not first:
        return []
    try:
        document = json.loads(first[0])
    except json.JSONDecodeError:
        return []  # a pretty-printed document: DuckDB reads it, keys are not sampled
    if table.json_records and isinstance(document, dict):
        records = document.get(table.json_records) or [{}]
        document = records[0] if isinstance(records, list) and records else {}
    return list(document.keys()) if isinstance(document, dict) else []


def _json_value_fits(value: object, data_type: str) -> bool:
    if value is None:
        return True
    kind = data_type.strip().lower()
    if kind.endswith("]"):
        return isinstance(value, list)
    if kind.startswith("struct"):
        return isinstance(value, dict)
    if kind in ("bigint", "integer", "int", "smallint"):
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.strip().lstrip("-").isdigit()
        )
    if kind in ("double", "float") or kind.startswith("decimal"):
        if isinstance(value, str):
            try:
                float(value)
            except ValueError:
                return False
            return True
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false"))
    if kind.startswith(("timestamp", "date")):
        if not isinstance(value, str):
            return False
        try:
            datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return False
        return True
    return True


def _misfit(record: object, columns: list[RawColumn]) -> tuple[str | None, str] | None:
    """The first column whose value in ``record`` DuckDB cannot read: (column, problem)."""
    if not isinstance(record, dict):
        return None, "the value is not a JSON object"
    for column in columns:
        if not _json_value_fits(record.get(column.name), column.data_type):
            return column.name, f"value {record.get(column.name)!r} is not of type {column.data_type}"
    return None


def _json_line_number(path: Path, table: RawTable, record_index: int) -> int:
    """Line of the ``record_index``-th (0-based) non-blank line of a newline-delimited file."""
    seen = -1
    with _text(path, table) as handle:
        for number, text in enumerate(handle, start=1):
            if text.strip():
                seen += 1
                if seen == record_index:
                    return number
    return record_index + 1


def _diagnose_json_line(table: RawTable, path: Path, relative: str, line_number: int, error: str) -> RawLoadError:
    """Name the field of ``line_number`` that DuckDB could not read (only runs on failure)."""
    with _text(path, table) as handle:
        text = next(itertools.islice(handle, line_number - 1, None), None) if line_number >= 1 else None
    if text is None:
        return RawLoadError(table.name, relative, line_number, None, error)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawLoadError(table.name, relative, line_number, None, f"malformed JSON ({exc.msg})")
    if not isinstance(record, dict):
        return RawLoadError(table.name, relative, line_number, None, "the line is not a JSON object")
    found = _misfit(record, table.file_columns)
    if found is not None:
        return RawLoadError(table.name, relative, line_number, found[0], found[1])
    return RawLoadError(table.name, relative, line_number, None, error)


def _json_documents(path: Path, table: RawTable) -> Iterator[tuple[int, object]]:
    """(first line, parsed value) of each top-level JSON value: one document, or one per line."""
    with _text(path, table) as handle:
        text = handle.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError:
                    yield number, None
        return
    yield len(text[: len(text) - len(text.lstrip())].splitlines()) + 1, document


def _diagnose_json(table: RawTable, path: Path, relative: str, error: str) -> RawLoadError:
    """Locate what DuckDB could not read (only runs on failure): the line, and the field of the
    record (for files of pages, the record of the page's ``json_records`` array)."""
    columns = table.file_columns
    for line, document in _json_documents(path, table):
        if document is None:
            return RawLoadError(table.name, relative, line, None, "malformed JSON")
        if table.json_records:
            records = document.get(table.json_records) if isinstance(document, dict) else None
            for index, record in enumerate(records if isinstance(records, list) else []):
                found = _misfit(record, columns)
                if found is not None:
                    return RawLoadError(
                        table.name,
                        relative,
                        line,
                        found[0],
                        f"record {index + 1} of '{table.json_records}': {found[1]}",
                    )
        else:
            found = _misfit(document, columns)
            if found is not None:
                return RawLoadError(table.name, relative, line, found[0], found[1])
    return RawLoadError(table.name, relative, None, None, error)


def _stage_json(
    con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, relative: str, work_dir: Path
) -> StagedFile:
    if not any(line.strip() for line in _first_lines(path, table, relative, 5)):
        raise RawLoadError(table.name, relative, 1, None, "the file is empty")
    readable = path if _is_utf8(table, path) else _utf8_copy(path, table, relative, work_dir)
    columns = table.file_columns
    con.execute(f"drop table if exists {STAGED}; drop table if exists _json_rows")
    options = "format = 'auto', maximum_object_size = 536870912"
    try:
        if table.json_records:
            records = quoted(table.json_records)
            struct = "struct(" + ", ".join(f"{quoted(c.name)} {c.data_type}" for c in columns) + ")[]"
            con.execute(
                f"""create temp table {STAGED} as
                    with pages as (
                        select {records} as records from read_json({sql_literal(str(readable))}, {options},
                            columns = {{{sql_literal(table.json_records)}: {sql_literal(struct)}}})
                    ),
                    rows as (select unnest(records) as record from pages)
                    select {", ".join(f"record.{quoted(c.name)} as {quoted(c.name)}" for c in columns)},
                           row_number() over () as _source_row
                    from rows"""
            )
        else:
            con.execute(
                f"""create temp table _json_rows as
                    select * from read_json({sql_literal(str(readable))}, {options}, columns = {_struct_of(columns)})"""
            )
            base = con.execute("select coalesce(min(rowid), 0) from _json_rows").fetchone()[0]
            con.execute(
                f"create temp table {STAGED} as select *, rowid - {base} + 1 as _source_row"
                " from _json_rows order by rowid"
            )
            con.execute("drop table _json_rows")
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        check_text(readable, table, relative)  # an invalid byte: named with its line and byte offset
        match = _JSON_LINE.search(message)
        if match is not None and not table.json_records:
            diagnosis = _diagnose_json_line(table, readable, relative, int(match.group(1)), message)
            if diagnosis.column is not None:
                raise diagnosis from None
        raise _diagnose_json(table, readable, relative, message) from None
    for column, record, more in _missing_required(con, columns):
        if table.json_records:
            line, note = None, f"record {record}: "
        else:
            line, note = _json_line_number(readable, table, record - 1), ""
        raise RawLoadError(table.name, relative, line, column.name, f"{note}required field missing or null{more}")
    declared = {c.name for c in columns}
    ignored = [key for key in _record_keys(readable, table, relative) if key not in declared]
    rows = con.execute(f"select count(*) from {STAGED}").fetchone()[0]
    return StagedFile(rows=int(rows), ignored_fields=ignored)


def _missing_required(con: duckdb.DuckDBPyConnection, columns: list[RawColumn]) -> Iterator[tuple[RawColumn, int, str]]:
    """(column, first record without it, "(N more records without it)") of each required column
    some staged record lacks (null)."""
    for column in columns:
        if not column.required:
            continue
        bad = con.execute(
            f"select _source_row from {STAGED} where {quoted(column.name)} is null order by _source_row limit 1"
        ).fetchone()
        if bad:
            count = con.execute(f"select count(*) from {STAGED} where {quoted(column.name)} is null").fetchone()[0]
            yield column, int(bad[0]), f" ({count - 1} more records without it)" if count > 1 else ""


# --------------------------------------------------------------------------- Parquet


def _stage_parquet(
    con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, relative: str, work_dir: Path
) -> StagedFile:
    try:
        described = con.execute(f"describe select * from read_parquet({sql_literal(str(path))})").fetchall()
    except duckdb.Error as error:
        raise RawLoadError(
            table.name, relative, None, None, f"not a readable Parquet file ({str(error).splitlines()[0]})"
        ) from None
    present = {row[0]: row[0] for row in described}
    present.update({snake_case(name): name for name in list(present)})
    missing = [c.name for c in table.file_columns if c.name not in present and not c.optional]
    if missing:
        raise RawLoadError(table.name, relative, None, missing[0], f"missing column(s) {missing} in the Parquet schema")
    selects = []
    for column in table.file_columns:
        if column.name in present:
            selects.append(f"cast({quoted(present[column.name])} as {column.data_type}) as {quoted(column.name)}")
        else:
            selects.append(f"cast(null as {column.data_type}) as {quoted(column.name)}")
    con.execute(f"drop table if exists {STAGED}")
    try:
        con.execute(
            f"create temp table {STAGED} as select {', '.join(selects)}, file_row_number + 1 as _source_row"
            f" from read_parquet({sql_literal(str(path))}, file_row_number = true) order by file_row_number"
        )
    except duckdb.Error as error:
        raise RawLoadError(table.name, relative, None, None, str(error).splitlines()[0]) from None
    for column, record, more in _missing_required(con, table.file_columns):
        raise RawLoadError(table.name, relative, None, column.name, f"row {record}: required field null{more}")
    declared = {c.name for c in table.file_columns}
    ignored = [row[0] for row in described if row[0] not in declared and snake_case(row[0]) not in declared]
    rows = con.execute(f"select count(*) from {STAGED}").fetchone()[0]
    return StagedFile(rows=int(rows), ignored_fields=ignored)


# --------------------------------------------------------------------------- entry points

_STAGERS = {"csv": _stage_csv, "json": _stage_json, "parquet": _stage_parquet}


def file_name_constants(table: RawTable, file_name: str, relative: str) -> dict[str, str | None]:
    columns = [c.name for c in table.columns if c.origin == "file_name"]
    if not columns:
        return {}
    match = re.search(table.file_name_pattern or "", file_name)
    if match is None:
        raise RawLoadError(
            table.name,
            relative,
            None,
            None,
            f"the file name does not match the pattern {table.file_name_pattern!r} the export's files follow",
        )
    return {c: match.group(c) for c in columns}


def stage_file(
    con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, relative: str, work_dir: Path, name: str | None = None
) -> StagedFile:
    """Read one file (not an archive) into ``_staged_file``; raises ``RawLoadError``."""
    name = name or path.name
    fmt = file_format(table, name)
    if fmt is None:
        raise RawLoadError(
            table.name, relative, None, None, f"not a file type raw.{table.name} reads ({list(table.formats)})"
        )
    constants = file_name_constants(table, name, relative)
    try:
        staged = _STAGERS[fmt](con, table, path, relative, work_dir)
    except UnicodeDecodeError:
        check_text(path, table, relative)  # names the line and byte
        raise
    except READ_ERRORS as error:
        raise _unreadable(table, relative, error) from None
    staged.constants = {**staged.constants, **constants}
    return staged


def archive_members(table: RawTable, path: Path, relative: str, work_dir: Path) -> list[tuple[Path, str, str]]:
    """Extract the members of a zip the table reads: (extracted path, member name, relative name)."""
    out: list[tuple[Path, str, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                member = Path(info.filename).name
                if info.is_dir() or member.startswith((".", "__MACOSX")) or "__MACOSX" in info.filename:
                    continue
                if file_format(table, member) is None:
                    continue
                target = work_dir / f"{len(out)}_{member}"
                with archive.open(info) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink)
                out.append((target, member, f"{relative}/{info.filename}"))
    except (*READ_ERRORS, RuntimeError) as error:  # zipfile raises RuntimeError for encrypted members
        raise RawLoadError(
            table.name, relative, None, None, f"cannot read the zip archive ({type(error).__name__}: {error})"
        ) from None
    if not out:
        raise RawLoadError(table.name, relative, None, None, f"the archive holds no file raw.{table.name} reads")
    return out
