// Builds the extension once before the e2e suites, so they always test what `npm run build` makes.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["build.mjs"], { stdio: "inherit" });
}
