// Serves the static build (dist/) on 127.0.0.1 only, with the clean URLs the pages link with
// (/journey -> journey.html). Port: CRM_DASHBOARDS_PORT (default 3000).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import {fileURLToPath} from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");
const port = Number(process.env.CRM_DASHBOARDS_PORT || 3000);
const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2", ".csv": "text/csv", ".txt": "text/plain"
};

if (!fs.existsSync(path.join(root, "index.html"))) {
  console.error(`[dashboards] no build in ${root}: run npm run build (or make dashboards) first`);
  process.exit(1);
}

function resolveFile(urlPath) {
  const clean = path.normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, "");
  const base = path.join(root, clean);
  if (!base.startsWith(root)) return null;
  for (const candidate of [base, `${base}.html`, path.join(base, "index.html")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

http
  .createServer((request, response) => {
    const file = resolveFile(new URL(request.url, "http://localhost").pathname);
    if (!file) {
      const notFound = path.join(root, "404.html");
      response.writeHead(404, {"content-type": types[".html"]});
      response.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : "not found");
      return;
    }
    response.writeHead(200, {"content-type": types[path.extname(file)] || "application/octet-stream"});
    fs.createReadStream(file).pipe(response);
  })
  .listen(port, "127.0.0.1", function () {
    console.log(`[dashboards] serving ${root} on http://127.0.0.1:${this.address().port}/`);
  });
