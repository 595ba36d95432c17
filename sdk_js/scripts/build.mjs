// Bundle the core (src/index.js) and the widget (src/widget/index.js) into two minified IIFEs.
//   node scripts/build.mjs [OUTDIR]   (default: ../cxlisten/static, the files the collector serves)
//
// esbuild bundles; terser minifies (a few percent smaller than esbuild's minifier, which
// matters under the 3 KB budget). Internal property names ending in "_" are shortened, the same
// way in both files (the widget reads the core's object through them).
import { build } from "esbuild";
import { minify } from "terser";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.resolve(process.argv[2] || path.join(root, "..", "cxlisten", "static"));

export const ENTRIES = { "sdk.js": "src/index.js", "widget.js": "src/widget/index.js", "signals.js": "src/signals.js", "vitals.js": "src/vitals.js" };

let mangleCache = {};
mkdirSync(outdir, { recursive: true });
for (const [name, entry] of Object.entries(ENTRIES)) {
  const bundled = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    write: false,
    format: "iife",
    target: ["es2020"],
    legalComments: "none",
    charset: "utf8",
    logLevel: "warning",
    minifySyntax: true, // a few bytes smaller after terser than without
    mangleProps: /_$/,
    mangleCache,
  });
  mangleCache = bundled.mangleCache;
  const { code } = await minify(bundled.outputFiles[0].text, {
    ecma: 2020,
    compress: { passes: 3, unsafe_arrows: true, pure_getters: true },
    mangle: true,
    format: { comments: false, ascii_only: true },
  });
  writeFileSync(path.join(outdir, name), code + "\n");
}
console.log(`built ${Object.keys(ENTRIES).join(", ")} into ${outdir}`);
