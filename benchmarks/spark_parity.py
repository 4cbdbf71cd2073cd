"""The dbt project on Spark equals the DuckDB build: every mart, compared table by table.

Takes a DuckDB warehouse built by `crm-warehouse run` (its raw and ml schemas are the input of the
dbt project), and, in a Python environment with dbt-spark[session] and pyspark (Java 17):

1. exports the DuckDB schemas the dbt sources read (raw, ml) to Parquet and registers each table
   as an external Spark table of the same schema and name (a Spark session with the spark target's
   warehouse folder and Derby metastore);
2. runs `dbt build --target spark` on a local Spark session, timed: models and seeds, then the unit
   tests (`--tests unit`, the default), or also every data test (`--tests all`), or none;
3. compares every model of schema marts with the DuckDB table (the Spark tables are Parquet, read
   here by DuckDB): columns, row counts, every row of the columns that are not floating point exactly
   (integers, decimals, strings, ordered string lists, dates, timestamps, booleans, lists: `except
   all` both ways), and the float / double columns row by row with a relative tolerance of 1e-9
   (their last bits depend on the engine's summation order; see compare_table);
4. with --incremental, proves incremental = full refresh on Spark, as tests/models/test_incremental.py
   does on DuckDB: the rows of the last days of the daily sources and ~5% of earlier rows (late
   arrivals) are held back, the incremental models and their upstream are built, the held rows are
   released (a later _loaded_at), an incremental run follows, and the seven incremental tables
   equal a full refresh of the same raw data.

Prints a table of differences and exits non-zero on any difference or failed dbt step.

    CRM_SPARK_VENV=data/spark-venv
    $CRM_SPARK_VENV/bin/python benchmarks/spark_parity.py --warehouse data/wh.duckdb [--incremental]

Everything Spark writes goes under --work-dir (default data/spark-parity): Parquet exports,
warehouse folder, metastore, dbt target folder.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
DBT_DIR = REPO / "dbt"
SOURCE_SCHEMAS = ("raw", "ml")
MARTS_SCHEMA = "marts"
REL_TOLERANCE = 1e-9  # float / double columns only (compare_table)
ABS_TOLERANCE = 1e-12

# The incremental models (tests/models/test_incremental.py) and their schemas.
INCREMENTAL = {
    "stg_ga4__events": "staging",
    "stg_esp__activity": "staging",
    "int_web__sessions": "intermediate",
    "int_email__recipient_activity": "intermediate",
    "int_touchpoints__unioned": "intermediate",
    "mart_web_kpis_daily": "marts",
    "mart_email_kpis_daily": "marts",
}
# Raw tables whose rows are released a day at a time in the incremental check: the day of a row
# (DuckDB SQL, evaluated on the DuckDB warehouse when exporting).
DAILY_SOURCES = {
    "ga4_events": "strptime(right(export_table, 8), '%Y%m%d')",
    "esp_activity": "event_at",
    "esp_list_membership": "event_at",
    "social_comments": "created_at",
    "social_mentions": "created_at",
    "shopify_api_orders": "timezone('UTC', created_at)",
    "eventbrite_attendees": "created",
}
HELD_DAYS = 5  # the last days held back
LATE_FROM_DAYS = 25  # late rows: ~5% of the rows dated from this many days before the last day


def spark_env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CRM_SPARK_WAREHOUSE_DIR": str(work / "warehouse"),
        "DBT_TARGET_PATH": str(work / "dbt-target"),
        "DBT_LOG_PATH": str(work / "dbt-logs"),
        "PYSPARK_PYTHON": sys.executable,
    }


# ---------------------------------------------------------------------------------------------
# 1. DuckDB -> Parquet -> Spark tables


def export_sources(warehouse: Path, exports: Path, held_back: bool) -> dict[str, list[str]]:
    """Each source table to <exports>/<schema>/<table>/ (full.parquet, or with held_back the
    daily sources split into base.parquet and held.parquet, the held rows with a later _loaded_at).
    Returns {schema: [tables]}."""
    shutil.rmtree(exports, ignore_errors=True)
    tables: dict[str, list[str]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for schema in SOURCE_SCHEMAS:
            names = [
                row[0]
                for row in con.execute(
                    "select table_name from duckdb_tables() where schema_name = ? order by 1", [schema]
                ).fetchall()
            ]
            tables[schema] = names
            for name in names:
                folder = exports / schema / name
                folder.mkdir(parents=True)
                relation = f'{schema}."{name}"'
                if held_back and schema == "raw" and name in DAILY_SOURCES:
                    export_held_back(con, relation, DAILY_SOURCES[name], folder)
                else:
                    con.execute(f"copy (select * from {relation}) to '{folder / 'full.parquet'}' (format parquet)")
    return tables


def export_held_back(con: duckdb.DuckDBPyConnection, relation: str, occurred_at: str, folder: Path) -> None:
    day = f"cast({occurred_at} as date)"
    last_day = con.execute(f"select max({day}) from {relation}").fetchone()[0]
    released_at = con.execute(f"select max(_loaded_at) + interval 1 hour from {relation}").fetchone()[0]
    if last_day is None:
        con.execute(f"copy (select * from {relation}) to '{folder / 'base.parquet'}' (format parquet)")
        return
    held = (
        f"({day} > date '{last_day}' - interval {HELD_DAYS} day"
        f" or ({day} > date '{last_day}' - interval {LATE_FROM_DAYS} day"
        f" and hash(_source_file, {occurred_at}) % 20 = 0))"
    )
    base, pending = folder / "base.parquet", folder / "held.parquet.pending"
    con.execute(f"copy (select * from {relation} where not coalesce({held}, false)) to '{base}' (format parquet)")
    con.execute(
        f"copy (select * replace (timestamp '{released_at}' as _loaded_at) from {relation}"
        f" where coalesce({held}, false)) to '{pending}' (format parquet)"
    )


def release_held(exports: Path) -> int:
    """The held rows join their tables (a file Spark lists at the next query)."""
    released = 0
    for pending in exports.glob("raw/*/held.parquet.pending"):
        pending.rename(pending.with_name("held.parquet"))
        released += 1
    return released


REGISTER = """
import sys
from pathlib import Path
from pyspark.sql import SparkSession
warehouse, exports = Path(sys.argv[1]), Path(sys.argv[2])
spark = (SparkSession.builder.master("local[2]").enableHiveSupport()
    .config("spark.sql.warehouse.dir", str(warehouse))
    .config("spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={warehouse}/../metastore_db;create=true")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.sql.parquet.inferTimestampNTZ.enabled", "false")
    .config("spark.ui.enabled", "false").getOrCreate())
for schema_dir in sorted(p for p in exports.iterdir() if p.is_dir()):
    spark.sql(f"create database if not exists {schema_dir.name}")
    for table_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir()):
        name = f"{schema_dir.name}.`{table_dir.name}`"
        spark.sql(f"drop table if exists {name}")
        spark.sql(f"create table {name} using parquet location '{table_dir}'")
print("registered", sum(1 for _ in exports.glob("*/*")), "tables")
spark.stop()
"""


def register(work: Path, exports: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", REGISTER, str(work / "warehouse"), str(exports)],
        env=spark_env(work),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"registering the raw tables failed:\n{result.stderr[-4000:]}")
    print(result.stdout.strip())


# ---------------------------------------------------------------------------------------------
# 2. dbt on Spark


def dbt(work: Path, *arguments: str) -> tuple[bool, float, list[dict]]:
    """Run dbt with the spark target; (success, seconds, run_results of the non-successful nodes)."""
    dbt_bin = Path(sys.executable).with_name("dbt")
    command = [str(dbt_bin), *arguments, "--target", "spark", "--project-dir", str(DBT_DIR)]
    command += ["--profiles-dir", str(DBT_DIR)]
    started = time.monotonic()
    log = work / "dbt.log"
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        result = subprocess.run(command, env=spark_env(work), cwd=DBT_DIR, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    results_file = work / "dbt-target" / "run_results.json"
    failures = []
    if results_file.exists():
        for row in json.loads(results_file.read_text())["results"]:
            if row["status"] not in ("success", "pass", "warn"):
                failures.append({"node": row["unique_id"], "status": row["status"], "message": row.get("message")})
    return result.returncode == 0, seconds, failures


def mart_models(work: Path) -> list[str]:
    manifest = json.loads((work / "dbt-target" / "manifest.json").read_text())
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == MARTS_SCHEMA
    )


# ---------------------------------------------------------------------------------------------
# 3. Comparison (DuckDB reads the Spark tables' Parquet files)

FLOAT_TYPES = ("FLOAT", "DOUBLE", "REAL")


def spark_table_sql(work: Path, schema: str, table: str) -> str:
    folder = work / "warehouse" / f"{schema}.db" / table
    return f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true, union_by_name = true)"


def canonical(column: str, data_type: str) -> str:
    """A column as compared exactly: decimals at one scale, timestamps as UTC naive."""
    quoted = f'"{column}"'
    if data_type.startswith("DECIMAL"):
        return f"cast({quoted} as decimal(38, 9))"
    if data_type.endswith("INT") or data_type in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"):
        return f"cast({quoted} as hugeint)"
    if data_type.startswith("TIMESTAMP"):
        return f"cast({quoted} as timestamp)"
    if data_type == "DATE":
        return f"cast({quoted} as date)"
    if data_type in ("VARCHAR", "BOOLEAN"):
        return quoted
    return f"cast({quoted} as varchar)"


def columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {row[0]: row[1] for row in con.execute(f"describe select * from {relation}").fetchall()}


def compare_table(con: duckdb.DuckDBPyConnection, duck: str, spark: str) -> list[str]:
    """Differences between two relations (empty: equal).

    Every column but the floating-point ones (integers, decimals, strings, ordered string lists, dates,
    timestamps, booleans, lists) is compared exactly, as a multiset of rows (`except all` both ways).
    Float / double columns, whose last bits depend on the summation order of the engine, are compared
    row by row: both sides sorted by all exact columns, then the float columns, paired by rank; a pair
    is equal when both are null (or NaN), or |a - b| <= REL_TOLERANCE x max(|a|, |b|), or both are within
    ABS_TOLERANCE of 0 (a quantity that is 0 up to rounding, e.g. an unabsorbed probability). A column that
    is floating point on one engine only (a decimal division or average on Spark) is a difference.
    """
    problems = []
    duck_columns, spark_columns = columns_of(con, duck), columns_of(con, spark)
    if set(duck_columns) != set(spark_columns):
        problems.append(
            f"columns only in DuckDB {sorted(set(duck_columns) - set(spark_columns))},"
            f" only on Spark {sorted(set(spark_columns) - set(duck_columns))}"
        )
    shared = [column for column in duck_columns if column in spark_columns]
    duck_rows, spark_rows = (con.execute(f"select count(*) from {r}").fetchone()[0] for r in (duck, spark))
    if duck_rows != spark_rows:
        problems.append(f"rows {duck_rows} vs {spark_rows}")
    floats = [c for c in shared if duck_columns[c].startswith(FLOAT_TYPES)]
    for column in shared:
        if (column in floats) != spark_columns[column].startswith(FLOAT_TYPES):
            # a double on one engine and a decimal on the other: the decimal was rounded somewhere
            problems.append(f"{column}: {duck_columns[column]} on DuckDB, {spark_columns[column]} on Spark")
    exact = [c for c in shared if c not in floats]
    duck_select = ", ".join(f'{canonical(c, duck_columns[c])} as "{c}"' for c in exact)
    spark_select = ", ".join(f'{canonical(c, duck_columns[c])} as "{c}"' for c in exact)
    exact_equal = True
    if exact:
        only = {}
        for label, left, right in (("DuckDB", duck, spark), ("Spark", spark, duck)):
            left_select = duck_select if left == duck else spark_select
            right_select = spark_select if left == duck else duck_select
            query = f"select {left_select} from {left} except all select {right_select} from {right}"
            count = con.execute(f"select count(*) from ({query})").fetchone()[0]
            if count:
                sample = con.execute(f"select * from ({query}) order by all limit 2").fetchall()
                only[label] = (count, sample)
        for label, (count, sample) in only.items():
            exact_equal = False
            differing = ""
            if label == "DuckDB":
                differing = differing_columns(con, duck, spark, exact, duck_select, spark_select)
            problems.append(f"{count} rows only in {label}{differing}; e.g. {str(sample)[:300]}")
    if floats and exact_equal and duck_rows == spark_rows:
        problems += compare_floats(con, duck, spark, exact, floats, duck_columns)
    return problems


def compare_floats(
    con: duckdb.DuckDBPyConnection,
    duck: str,
    spark: str,
    exact: list[str],
    floats: list[str],
    types: dict[str, str],
) -> list[str]:
    """The float columns of two relations whose exact columns are equal, row by row (see compare_table)."""
    keys = [*(canonical(c, types[c]) for c in exact), *(f'"{c}"' for c in floats)]
    order = ", ".join(f"{key} nulls last" for key in keys)
    ranked = "select *, row_number() over (order by {order}) as _rank from {relation}"
    problems = []
    for column in floats:
        a, b = f'duck_side."{column}"', f'spark_side."{column}"'
        equal = (
            f"(({a} is null or isnan({a})) and ({b} is null or isnan({b})))"
            f" or {a} = {b}"
            f" or abs({a} - {b}) <= {REL_TOLERANCE} * greatest(abs({a}), abs({b}))"
            f" or (abs({a}) <= {ABS_TOLERANCE} and abs({b}) <= {ABS_TOLERANCE})"
        )
        query = (
            f"select count(*), max(abs({a} - {b}) / nullif(greatest(abs({a}), abs({b})), 0)),"
            f" any_value(({a}, {b}))"
            f" from ({ranked.format(order=order, relation=duck)}) as duck_side"
            f" inner join ({ranked.format(order=order, relation=spark)}) as spark_side using (_rank)"
            f" where not coalesce({equal}, false)"
        )
        count, worst, sample = con.execute(query).fetchone()
        if count:
            problems.append(
                f"{column}: {count} rows differ beyond {REL_TOLERANCE:g} relative (max {worst!r}, e.g. {sample})"
            )
    return problems


def differing_columns(con, duck: str, spark: str, exact: list[str], duck_select: str, spark_select: str) -> str:
    """The columns whose values differ (each compared alone as a multiset)."""
    names = []
    for column in exact:
        query = (
            f'select "{column}" from (select {duck_select} from {duck}) except all '
            f'select "{column}" from (select {spark_select} from {spark})'
        )
        if con.execute(f"select count(*) from ({query})").fetchone()[0]:
            names.append(column)
    return f" (columns: {', '.join(names)})" if names else " (each column equal alone: rows pair differently)"


def compare_marts(warehouse: Path, work: Path, models: list[str]) -> dict[str, list[str]]:
    differences = {}
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{warehouse}' as duck (read_only)")
        for model in models:
            try:
                spark_table = spark_table_sql(work, MARTS_SCHEMA, model)
                problems = compare_table(con, f"duck.{MARTS_SCHEMA}.{model}", spark_table)
            except duckdb.Error as error:
                problems = [f"not comparable: {str(error).splitlines()[0][:200]}"]
            differences[model] = problems
    return differences


def print_table(differences: dict[str, list[str]], title: str) -> int:
    failed = {model: problems for model, problems in differences.items() if problems}
    print(f"\n{title}: {len(differences) - len(failed)} of {len(differences)} tables equal")
    if failed:
        width = max(len(model) for model in failed)
        print(f"{'table'.ljust(width)}  difference")
        for model, problems in failed.items():
            for index, problem in enumerate(problems):
                print(f"{(model if index == 0 else '').ljust(width)}  {problem}")
    return len(failed)


# ---------------------------------------------------------------------------------------------
# 4. Incremental = full refresh on Spark


def snapshot_incremental(work: Path, snapshot: Path) -> None:
    snapshot.unlink(missing_ok=True)
    with duckdb.connect(str(snapshot)) as con:
        for model, schema in INCREMENTAL.items():
            con.execute(f"create table {model} as select * from {spark_table_sql(work, schema, model)}")


def incremental_check(warehouse: Path, work: Path) -> int:
    exports = work / "exports"
    export_sources(warehouse, exports, held_back=True)
    register(work, exports)
    selection = ["--select", *(f"+{model}" for model in INCREMENTAL), "--exclude", "resource_type:test"]
    steps = [("full refresh without the held rows", ["run", "--full-refresh", *selection])]
    for label, arguments in steps:
        ok, seconds, failures = dbt(work, *arguments)
        print(f"{label}: {'ok' if ok else 'FAILED'} in {seconds:.0f} s {failures[:3]}")
        if not ok:
            return 1
    print(f"released the held rows of {release_held(exports)} tables")
    ok, seconds, failures = dbt(work, "run", *selection)
    print(f"incremental run: {'ok' if ok else 'FAILED'} in {seconds:.0f} s {failures[:3]}")
    if not ok:
        return 1
    snapshot = work / "incremental.duckdb"
    snapshot_incremental(work, snapshot)
    ok, seconds, failures = dbt(work, "run", "--full-refresh", *selection)
    print(f"full refresh with them: {'ok' if ok else 'FAILED'} in {seconds:.0f} s {failures[:3]}")
    if not ok:
        return 1
    differences = {}
    with duckdb.connect(str(snapshot), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for model, schema in INCREMENTAL.items():
            differences[model] = compare_table(con, model, spark_table_sql(work, schema, model))
            if not con.execute(f"select count(*) from {model}").fetchone()[0]:
                differences[model].append("no rows")
    return print_table(differences, "Spark: incremental run vs full refresh")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="DuckDB warehouse built by crm-warehouse run")
    parser.add_argument("--work-dir", type=Path, default=REPO / "data" / "spark-parity")
    parser.add_argument("--skip-build", action="store_true", help="compare the Spark tables already built")
    parser.add_argument("--incremental", action="store_true", help="also prove incremental = full refresh on Spark")
    parser.add_argument("--only-incremental", action="store_true", help="only the incremental check")
    parser.add_argument(
        "--tests",
        choices=["all", "unit", "none"],
        default="unit",
        help="dbt tests run on Spark: all (data and unit tests), unit (default), none",
    )
    args = parser.parse_args()
    work, warehouse = args.work_dir.resolve(), args.warehouse.resolve()
    work.mkdir(parents=True, exist_ok=True)
    failed = 0
    if not args.only_incremental:
        if not args.skip_build:
            started = time.monotonic()
            export_sources(warehouse, work / "exports", held_back=False)
            register(work, work / "exports")
            print(f"exported and registered the source tables in {time.monotonic() - started:.0f} s")
            # Unit tests run after the models (in one `dbt build` a failing unit test would skip its model).
            build = ["build", "--full-refresh", "--exclude", "test_type:unit"]
            if args.tests != "all":
                build += ["test_type:data"]
            steps = [("dbt " + " ".join(build), build)]
            if args.tests != "none":
                steps.append(("dbt test --select test_type:unit", ["test", "--select", "test_type:unit"]))
            for label, arguments in steps:
                ok, seconds, failures = dbt(work, *arguments)
                status = "ok" if ok else "FAILED"
                print(f"{label} --target spark: {status} in {seconds:.0f} s (log: {work / 'dbt.log'})")
                for failure in failures:
                    print(f"  {failure['status']}: {failure['node']}: {str(failure['message'])[:300]}")
                failed += 0 if ok else 1
        failed += print_table(compare_marts(warehouse, work, mart_models(work)), "Marts: Spark vs DuckDB")
    if args.incremental or args.only_incremental:
        failed += incremental_check(warehouse, work)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
