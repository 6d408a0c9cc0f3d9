// Builds both unpacked extensions (dist/chrome, dist/firefox) from the one source manifest,
// and the command-line tools (dist/cli). Flags: --watch rebuilds on change; --package also
// writes store-ready zips and a source zip to dist/packages.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const TARGETS = ["chrome", "firefox"];

/** Per-browser manifest differences live here and nowhere else. */
function manifestFor(target) {
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
  manifest.version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  // Chrome warns about keys it does not know; the gecko settings are Firefox's alone.
  if (target === "chrome") delete manifest.browser_specific_settings;
  // Firefox's DevTools pages cannot ask for the browser's whole version; its background can.
  if (target === "firefox") manifest.background = { scripts: ["background.js"] };
  return manifest;
}

function copyStatic() {
  for (const target of TARGETS) {
    const out = join(root, "dist", target);
    mkdirSync(join(out, "panel"), { recursive: true });
    writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifestFor(target), null, 2)}\n`);
    cpSync(join(root, "panel", "devtools.html"), join(out, "devtools.html"));
    cpSync(join(root, "panel", "panel.html"), join(out, "panel", "panel.html"));
    cpSync(join(root, "panel", "panel.css"), join(out, "panel", "panel.css"));
    cpSync(join(root, "node_modules", "uplot", "dist", "uPlot.min.css"), join(out, "panel", "uPlot.min.css"));
    mkdirSync(join(out, "icons"), { recursive: true });
    for (const size of [16, 32, 48, 128]) {
      cpSync(join(root, "icons", `icon-${size}.png`), join(out, "icons", `icon-${size}.png`));
    }
  }
}

const staticFiles = {
  name: "static-files",
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length === 0) copyStatic();
    });
  },
};

/**
 * JSON Schemas the panel validates untrusted data with (opened reports; the page recorder's batches).
 * Ajv compiles schemas with `new Function`, which the extension's CSP forbids, so compile them here,
 * at build time, into plain code (Ajv's standalone mode) imported as "virtual:<name>".
 */
function standaloneValidator(name, schemaPath) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^virtual:${name}$`) }, () => ({ path: name, namespace: name }));
      build.onLoad({ filter: /.*/, namespace: name }, async () => {
        const { default: Ajv } = await import("ajv");
        const { default: standaloneCode } = await import("ajv/dist/standalone/index.js");
        const ajv = new Ajv({ code: { source: true, esm: true }, allowUnionTypes: true });
        const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
        return {
          contents: standaloneCode(ajv, validate),
          loader: "js",
          resolveDir: root,
          watchFiles: [schemaPath],
        };
      });
    },
  };
}
const reportValidator = standaloneValidator(
  "report-validator",
  join(root, "src", "report", "report.schema.json"),
);
const pageBatchValidator = standaloneValidator(
  "page-batch-validator",
  join(root, "src", "engine", "page", "page-batch.schema.json"),
);
const internalsDumpValidator = standaloneValidator(
  "internals-dump-validator",
  join(root, "src", "engine", "dump", "internals-dump.schema.json"),
);

/**
 * Code that runs in the inspected page, handed over as a string (devtools.inspectedWindow.reload's
 * injectedScript, or eval): bundle it on its own and give the panel its text as "virtual:NAME", a
 * function expression taking one key and calling the module's `entry` with it.
 */
function injectable(name, file, entry) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^virtual:${name}$`) }, () => ({ path: name, namespace: name }));
      build.onLoad({ filter: /.*/, namespace: name }, async () => {
        const entryPoint = join(root, "src", ...file.split("/"));
        const result = await esbuild.build({
          entryPoints: [entryPoint],
          bundle: true,
          write: false,
          format: "iife",
          globalName: "injected",
          target: ["chrome120", "firefox128"],
          minify: true,
          legalComments: "none",
        });
        const code = result.outputFiles[0].text;
        // A second argument only the probe takes (its secret), passed by a direct call: nothing the page replaced sees it.
        const source = `(function(key,secret){${code};injected.${entry}(key,secret)})`;
        return {
          contents: `export default ${JSON.stringify(source)};`,
          loader: "js",
          watchFiles: [entryPoint],
        };
      });
    },
  };
}
const pageRecorder = injectable("page-recorder", "page-recorder/recorder.ts", "install");
const pageProbe = injectable("page-probe", "page-probe/probe.ts", "start");

const common = {
  bundle: true,
  sourcemap: false,
  logLevel: "warning",
  legalComments: "none",
  // The report names the extension version that wrote it.
  define: { __EXTENSION_VERSION__: JSON.stringify(manifestFor("chrome").version) },
};

const extensionBuilds = TARGETS.map((target) => ({
  ...common,
  // A dump is read in a worker of its own, so a large one never blocks the panel.
  entryPoints: {
    devtools: "src/devtools.ts",
    "panel/panel": "src/panel/main.ts",
    "panel/dump-worker": "src/panel/dump-worker.ts",
    ...(target === "firefox" ? { background: "src/firefox-background.ts" } : {}),
  },
  outdir: join(root, "dist", target),
  format: "iife",
  target: ["chrome120", "firefox128"],
  plugins: [
    reportValidator,
    pageBatchValidator,
    internalsDumpValidator,
    pageProbe,
    pageRecorder,
    ...(target === "firefox" ? [staticFiles] : []),
  ],
}));

const cliBuild = {
  ...common,
  entryPoints: Object.fromEntries(
    ["diagnose", "start", "start-firefox", "bench"]
      .filter((name) => existsSync(join(root, "src", "cli", `${name}.ts`)))
      .map((name) => [name, `src/cli/${name}.ts`]),
  ),
  outdir: join(root, "dist", "cli"),
  outExtension: { ".js": ".mjs" },
  platform: "node",
  format: "esm",
  target: "node20",
  // Everything is bundled, puppeteer-core included, so the packed command installs with no
  // dependencies; its CommonJS parts need a require() in this ES module.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as createRequireForBundle } from "node:module";\nconst require = createRequireForBundle(import.meta.url);',
  },
  plugins: [reportValidator, pageBatchValidator, internalsDumpValidator, pageRecorder, pageProbe],
};

async function buildOnce() {
  rmSync(join(root, "dist", "chrome"), { recursive: true, force: true });
  rmSync(join(root, "dist", "firefox"), { recursive: true, force: true });
  await Promise.all([...extensionBuilds, cliBuild].map((options) => esbuild.build(options)));
}

function packageAll() {
  const out = join(root, "dist", "packages");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const version = manifestFor("chrome").version;
  for (const target of TARGETS) {
    const file = `webrtc-loopback-lab-${target}-${version}.zip`;
    execFileSync(
      join(root, "node_modules", ".bin", "web-ext"),
      [
        "build",
        "--source-dir",
        join(root, "dist", target),
        "--artifacts-dir",
        out,
        "--filename",
        file,
        "--overwrite-dest",
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    console.log(`dist/packages/${file}`);
  }
  // Firefox review wants the source that produced the bundle: everything git tracks.
  const source = `webrtc-loopback-lab-source-${version}.zip`;
  execFileSync("git", ["archive", "--format=zip", "-o", join(out, source), "HEAD"], { cwd: root });
  console.log(`dist/packages/${source}`);
}

if (args.has("--watch")) {
  const contexts = await Promise.all(
    [...extensionBuilds, cliBuild].map((options) => esbuild.context(options)),
  );
  await Promise.all(contexts.map((context) => context.watch()));
  // esbuild watches what it bundles; the HTML, CSS and manifest are copied, so watch them here.
  const { watch } = await import("node:fs");
  for (const path of ["panel", "manifest.json", "icons"])
    watch(join(root, path), { recursive: true }, copyStatic);
  console.log("Watching src/, panel/ and manifest.json; dist/chrome and dist/firefox rebuild on change.");
} else {
  await buildOnce();
  if (args.has("--package")) packageAll();
}
