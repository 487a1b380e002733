// Bundle the explorers' browser modules: stepviz/live/js/{canvas,controls}.js -> stepviz/live/static/.
// `npm run build` at the repository root; tests/live/test_frontend_build.py checks the committed files are
// what these options produce. Readable output (no minification): the bundles travel inside saved notebooks.
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));

/** esbuild's options for bundling into `outdir`. */
export function options(outdir = path.join(here, "..", "static")) {
  return {
    entryPoints: ["canvas.js", "controls.js"].map((f) => path.join(here, f)),
    outdir,
    absWorkingDir: path.resolve(here, "..", "..", ".."),  // the comments name files from the repository root
    bundle: true,
    format: "esm",
    target: "es2020",
    charset: "utf8",
    legalComments: "none",
    logLevel: "warning",
    banner: { js: "// Built by esbuild from stepviz/live/js (npm run build): edit those files, not this one." },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { build } = await import("esbuild");
  await build(options(process.argv[2]));
}
