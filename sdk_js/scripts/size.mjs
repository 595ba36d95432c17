// Print raw, gzip and brotli sizes of the built files against the gzip budgets of budget.json
// (tests/test_snippet_build.py enforces the same file's budgets).
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = path.resolve(process.argv[2] || path.join(root, "..", "cxlisten", "static"));
const BUDGET = JSON.parse(readFileSync(path.join(root, "budget.json"))); // gzip bytes per file

let over = false;
console.log("file        raw    gzip  brotli  gzip budget");
for (const [name, budget] of Object.entries(BUDGET)) {
  const body = readFileSync(path.join(dir, name));
  const gz = gzipSync(body, { level: 9 }).length;
  const br = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  }).length;
  over ||= gz > budget;
  console.log(
    `${name.padEnd(10)}${String(body.length).padStart(6)}${String(gz).padStart(8)}` +
      `${String(br).padStart(8)}  ${gz <= budget ? "ok" : "OVER"} (${budget})`,
  );
}
process.exitCode = over ? 1 : 0;
