// Observable Framework reruns a data loader only when the loader file changes, not when the
// warehouse does: drop the cached query results so every build reads the published marts anew.
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

const cache = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "src", ".observablehq", "cache", "data");
fs.rmSync(cache, {recursive: true, force: true});
