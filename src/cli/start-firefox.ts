// `npm run start:firefox`: a visible Firefox with the built extension (through web-ext, which reloads
// it on change) on one ordinary page served from 127.0.0.1, with the Web Developer Tools open on it.
// Firefox offers no way to preselect an extension's panel: pick "Loopback" among the toolbox's tabs.
// Exit status: web-ext's, or 2 when there is no display or no Firefox.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorMessage } from "../engine/core/errors";
import { serveStartPage } from "./start-page";
import { preflight } from "./start-preflight";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const extensionDir = join(root, "dist", "firefox");

async function main(): Promise<number> {
  const firefox = preflight("npm run start:firefox", "firefox", extensionDir);
  if (firefox === null) return 2;
  // web-ext's package exports only its library; its command sits beside it.
  const webExt = join(dirname(createRequire(import.meta.url).resolve("web-ext")), "bin", "web-ext.js");
  const page = await serveStartPage();
  // --devtools as Firefox's own argument opens the Web Developer Tools on the page; web-ext's option
  // of that name would open the add-on's debugging toolbox instead.
  const child = spawn(
    process.execPath,
    [
      webExt,
      "run",
      "--source-dir",
      extensionDir,
      "--firefox",
      firefox,
      "--start-url",
      page.url,
      "--arg=--devtools",
    ],
    { stdio: "inherit" },
  );
  process.stderr.write(`Firefox opens on ${page.url}; in its Web Developer Tools, pick the Loopback tab.\n`);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      page.close();
      resolve(code ?? 0);
    }),
  );
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`start:firefox: ${errorMessage(error)}\n`);
    process.exitCode = 2;
  },
);
