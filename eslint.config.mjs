// Lint rules for the whole project: Next.js' recommended sets plus the folder boundaries that keep
// the data flowing one way (engine → recorder → store → views). A boundary broken here is a design
// error, so these rules are errors, not warnings.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** Matches an import of one of `folders` under lib/, through the `@/` alias or a relative path. */
function libFolderImport(folders) {
  const names = folders.join("|");
  return `^(@/lib/|(\\.{1,2}/)+(lib/)?)(${names})(/|$)`;
}

// Pure modules compute from their inputs only: no Node APIs, no database, no framework.
const pureModuleBoundary = {
  files: ["lib/engine/**", "lib/diagram/**", "lib/conformance/**", "lib/trace/**"],
  // Tests drive pure modules through the runtime and may read fixtures from disk.
  ignores: ["**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { regex: "^node:", message: "Pure modules must not use Node.js APIs; take what you need as input." },
          {
            regex: "^(fs|path|os|crypto|child_process|http|https|net|worker_threads|timers|events)(/|$)",
            message: "Pure modules must not use Node.js APIs; take what you need as input.",
          },
          {
            regex: "^(prisma|@prisma/)|(^|/)generated/prisma",
            message: "Pure modules must not touch the database; the store layer does.",
          },
          { regex: "^(next|react|react-dom)(/|$)", message: "Pure modules must not depend on the UI framework." },
          {
            regex: libFolderImport(["store", "services", "recorder", "runtime"]),
            message: "Pure modules must not import the impure layers (store, services, recorder, runtime).",
          },
        ],
      },
    ],
  },
};

// Components are presentational: data reaches them through props and the query layer in app/.
const componentBoundary = {
  files: ["components/**"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: libFolderImport(["store", "services", "recorder", "runtime", "engine"]),
            message: "Components must not reach into the server layers; fetch through app/_queries instead.",
          },
        ],
      },
    ],
  },
};

// Access rules decide from the request and the settings; they never drive the engine or the UI.
const authBoundary = {
  files: ["lib/auth/**"],
  ignores: ["**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { regex: "^(next|react|react-dom)(/|$)", message: "Access rules must not depend on the UI framework." },
          {
            regex: libFolderImport(["engine", "runtime", "recorder", "live", "services"]),
            message: "Access rules must not reach into the engine or the services; server.ts joins them.",
          },
        ],
      },
    ],
  },
};

// Recording a real engine stands apart from the embedded one: the proxy and the history import
// read the real engine's wire and workflows, never the simulated engine, its runtime or its
// transports. Their pure parts (parsing, translation, assembly, frame reading) also stay pure.
const realEngineSeparation = [
  {
    regex: libFolderImport(["engine", "runtime", "live", "transport"]),
    message: "The real-engine recorder must not depend on the embedded engine (engine, runtime, live, transport).",
  },
  { regex: "^(next|react|react-dom)(/|$)", message: "The real-engine recorder must not depend on the UI framework." },
];
const realEngineBoundary = {
  files: ["lib/proxy/**", "lib/history/**", "lib/otlp/**"],
  rules: { "no-restricted-imports": ["error", { patterns: realEngineSeparation }] },
};
const realEnginePureModules = {
  files: [
    "lib/history/parse.ts",
    "lib/history/translate.ts",
    "lib/history/assemble.ts",
    "lib/history/wire-index.ts",
    "lib/history/conformance.ts",
    "lib/history/types.ts",
    "lib/proxy/ws-frames.ts",
    "lib/proxy/routes.ts",
    "lib/proxy/sse.ts",
    "lib/otlp/spans.ts",
    "lib/otlp/timing.ts",
  ],
  rules: {
    "no-restricted-imports": [
      "error",
      { patterns: [...pureModuleBoundary.rules["no-restricted-imports"][1].patterns, ...realEngineSeparation] },
    ],
  },
};

// The engine is deterministic (engine.md §8): time, timers and randomness come from the step's view
// (`fx.now`, `fx.setTimer`, `fx.random`), so a seeded scenario records the same run every time. Its
// closed unions are handled by exhaustive switches, and its modules import one another without cycles.
const engineWallClock = ["Date", "setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval", "clearImmediate"];
const engineDeterminism = {
  files: ["lib/engine/**/*.ts"],
  ignores: ["**/*.test.ts"],
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  rules: {
    "no-restricted-globals": [
      "error",
      ...engineWallClock.map((name) => ({ name, message: "The engine takes time and timers from its step (fx.now, fx.setTimer), never from the wall clock." })),
    ],
    "no-restricted-syntax": [
      "error",
      { selector: "MemberExpression[object.name='Math'][property.name='random']", message: "The engine takes randomness from fx.random() / fx.newId(), so that a seed gives the same run." },
      {
        selector: `MemberExpression[object.name=/^(globalThis|window|global)$/][property.name=/^(${engineWallClock.join("|")})$/]`,
        message: "The engine takes time and timers from its step (fx.now, fx.setTimer), never from the wall clock.",
      },
    ],
    // A `default` may stand for the many messages a participant ignores; a switch without one must
    // list every case, and a switch over an open type (a timer name) must have one.
    "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: true }],
    "import/no-cycle": "error",
  },
};

// The layers around the engine import one another without cycles too: transports are adapters
// (bytes ↔ messages, effects → frames), the runtime composes and interprets, the live engine hosts.
const noCyclesAroundTheEngine = {
  files: ["lib/transport/**/*.ts", "lib/runtime/**/*.ts", "lib/services/live-engine.ts"],
  ignores: ["**/*.test.ts"],
  rules: { "import/no-cycle": "error" },
};

// Playwright fixtures hand their value on through a callback named `use`, which is not React's hook.
const browserTests = {
  files: ["e2e/**"],
  rules: { "react-hooks/rules-of-hooks": "off" },
};

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  pureModuleBoundary,
  componentBoundary,
  authBoundary,
  realEngineBoundary,
  realEnginePureModules,
  engineDeterminism,
  noCyclesAroundTheEngine,
  browserTests,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    "lib/generated/**",
    "test-results/**",
    "playwright-report/**",
  ]),
]);
