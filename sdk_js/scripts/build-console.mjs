// Bundle the console's JavaScript and CSS (collector/console/assets) into
// collector/console/static, the files the console serves:
//   console.js   htmx (requests that swap a part of the page) + uPlot (every chart) + our glue
//   console.css  our styles + uPlot's
//   preview.js   the preview frame's driver: hands the real widget.js a core that stores nothing
//
//   node scripts/build-console.mjs [OUTDIR]
//
// The widget reads the core's object through property names ending in "_", which the snippet's
// build shortens (scripts/build.mjs). The preview driver must use the same short names, so this
// script first replays that build's mangling over the snippet's entries to get its cache.
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const assets = path.join(root, "..", "collector", "console", "assets");
const outdir = path.resolve(process.argv[2] || path.join(root, "..", "collector", "console", "static"));
const SNIPPET_ENTRIES = ["src/index.js", "src/widget/index.js"];

let mangleCache = {};
for (const entry of SNIPPET_ENTRIES) {
  const replay = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    write: false,
    format: "iife",
    target: ["es2020"],
    logLevel: "warning",
    mangleProps: /_$/,
    mangleCache,
  });
  mangleCache = replay.mangleCache;
}

const common = { nodePaths: [path.join(root, "node_modules")], bundle: true, write: false, minify: true, legalComments: "none", charset: "ascii", logLevel: "warning" };
const outputs = {
  "console.js": { entryPoints: [path.join(assets, "console.js")], format: "iife", target: ["es2020"] },
  "preview.js": {
    entryPoints: [path.join(assets, "preview.js")],
    format: "iife",
    target: ["es2020"],
    mangleProps: /_$/,
    mangleCache: { ...mangleCache },
  },
  "console.css": { entryPoints: [path.join(assets, "console.css")], loader: { ".css": "css" } },
};

mkdirSync(outdir, { recursive: true });
for (const [name, options] of Object.entries(outputs)) {
  const result = await build({ ...common, ...options, absWorkingDir: root });
  writeFileSync(path.join(outdir, name), result.outputFiles[0].text);
}
console.log(`built ${Object.keys(outputs).join(", ")} into ${outdir}`);
