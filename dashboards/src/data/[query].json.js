// Data loader for every page: `data/<name>.json` is the result of sql/<name>.sql over the
// published marts (lib/warehouse.js), computed at build time.
import {parseArgs} from "node:util";
import {runQuery, WarehouseError} from "../../lib/warehouse.js";

const {values} = parseArgs({options: {query: {type: "string"}}});
try {
  process.stdout.write(JSON.stringify(await runQuery(values.query)));
} catch (error) {
  console.error(error instanceof WarehouseError ? `[dashboards] ${error.message}` : error);
  process.exit(1);
}
