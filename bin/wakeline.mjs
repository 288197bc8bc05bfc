#!/usr/bin/env node
// Starts the TypeScript CLI through tsx, so no build step is needed.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register as registerCjs } from "tsx/cjs/api";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The CLI may be started from any directory; the store finds migrations and data from here.
process.env.WAKELINE_ROOT ??= root;

// The project's .ts files are CommonJS to Node (package.json has no "type"), so both loaders are needed.
// The CommonJS loader reads the tsconfig (for the "@/" path alias) from TSX_TSCONFIG_PATH.
const tsconfig = path.join(root, "tsconfig.json");
process.env.TSX_TSCONFIG_PATH = tsconfig;
register({ tsconfig });
registerCjs();
const cli = await import(pathToFileURL(path.join(root, "lib", "cli", "main.ts")).href);
// Loaded as CommonJS, the exports may only be visible on the default export.
const main = cli.main ?? cli.default?.main;

const io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  interactive: process.stderr.isTTY === true,
};
const code = await main(process.argv.slice(2), io);
// Let piped output drain before exiting (large diagrams and bundles).
process.exitCode = code;
