// Runs the dashboards' SQL (sql/<name>.sql) over the published warehouse with DuckDB (Node),
// at build time only: the pages receive the result as JSON and no database runs in the browser.
//
// Where the marts come from (first that is set):
//   CRM_DASHBOARDS_DUCKDB       a published DuckDB file, attached read-only: its `marts` schema
//                               (the file must be in a storage format this DuckDB reads)
//   CRM_PUBLISHED_PARQUET_DIR   the published Parquet folder, as the pipeline writes it
//                               (`<dir>/marts/<model>.parquet`); default <repository>/data/published/parquet
// Relative paths are taken from the folder npm (or make) was started in.
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {DuckDBInstance, version as duckdbVersion} from "@duckdb/node-api";

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(projectDir, "..");
const startDir = process.env.INIT_CWD || process.cwd();

const quote = (value) => `'${value.replaceAll("'", "''")}'`;
const ident = (name) => `"${name.replaceAll('"', '""')}"`;

export class WarehouseError extends Error {}

/** Where the marts are read from: {kind: "duckdb" | "parquet", path}. */
export function warehouseLocation(env = process.env) {
  const duckdbFile = (env.CRM_DASHBOARDS_DUCKDB || "").trim();
  if (duckdbFile) return {kind: "duckdb", path: path.resolve(startDir, duckdbFile)};
  const parquetDir = (env.CRM_PUBLISHED_PARQUET_DIR || "").trim();
  return {
    kind: "parquet",
    path: parquetDir && parquetDir.toLowerCase() !== "off"
      ? path.resolve(startDir, parquetDir)
      : path.join(repoRoot, "data", "published", "parquet")
  };
}

/** One view per mart (`mart_web_kpis_monthly`, ...), so the SQL files read like the warehouse. */
async function createMartViews(connection, location) {
  if (location.kind === "duckdb") {
    if (!fs.existsSync(location.path)) throw new WarehouseError(`CRM_DASHBOARDS_DUCKDB=${location.path}: no such file`);
    try {
      await connection.run(`attach ${quote(location.path)} as published (read_only)`);
    } catch (error) {
      throw new WarehouseError(
        `cannot open ${location.path} with DuckDB ${duckdbVersion()} (@duckdb/node-api): ${error.message}\n` +
          "Read the published Parquet copy instead (unset CRM_DASHBOARDS_DUCKDB, set CRM_PUBLISHED_PARQUET_DIR)."
      );
    }
    const reader = await connection.runAndReadAll(
      "select table_name as name from duckdb_tables() where database_name = 'published' and schema_name = 'marts' " +
        "union all select view_name from duckdb_views() where database_name = 'published' and schema_name = 'marts'"
    );
    const names = reader.getRowObjectsJS().map((row) => row.name);
    if (names.length === 0) throw new WarehouseError(`${location.path} has no schema marts`);
    for (const name of names) {
      await connection.run(`create view ${ident(name)} as select * from published.marts.${ident(name)}`);
    }
    return;
  }
  const marts = path.join(location.path, "marts");
  const files = fs.existsSync(marts) ? fs.readdirSync(marts).filter((f) => f.endsWith(".parquet")) : [];
  if (files.length === 0) {
    throw new WarehouseError(
      `no published Parquet marts in ${marts}: run the pipeline first (make run), or set ` +
        "CRM_PUBLISHED_PARQUET_DIR to a published Parquet folder (the one holding marts/*.parquet)"
    );
  }
  for (const file of files) {
    await connection.run(
      `create view ${ident(path.basename(file, ".parquet"))} as select * from read_parquet(${quote(path.join(marts, file))})`
    );
  }
}

/** JSON-friendly values: integers as numbers, dates as 'YYYY-MM-DD'. */
function plain(value) {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  return value;
}

/** The rows of sql/<name>.sql as plain objects. */
export async function runQuery(name, env = process.env) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new WarehouseError(`bad query name ${JSON.stringify(name)}`);
  const sql = fs.readFileSync(path.join(projectDir, "sql", `${name}.sql`), "utf8");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await createMartViews(connection, warehouseLocation(env));
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
  } finally {
    connection.disconnectSync();
    instance.closeSync();
  }
}
