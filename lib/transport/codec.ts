// The runner protocol codec and the runner client, loaded once before the engine serves. Both
// packages ship ES modules only, while the project's TypeScript runs as CommonJS under tsx (the
// package has no "type"), so they come in through a dynamic import rather than a static one.
import type * as ProtocolModule from "@rivetkit/engine-runner-protocol";
import type * as RunnerModule from "@rivetkit/engine-runner";

let protocol: typeof ProtocolModule | null = null;
let runner: typeof RunnerModule | null = null;

export async function loadRunnerPackages(): Promise<void> {
  protocol ??= await import("@rivetkit/engine-runner-protocol");
  runner ??= await import("@rivetkit/engine-runner");
}

/** encodeToClient / decodeToServer / …; loadRunnerPackages() must have run. */
export function codec(): typeof ProtocolModule {
  if (!protocol) throw new Error("the runner protocol codec is not loaded (call loadRunnerPackages() first)");
  return protocol;
}

export function runnerPackage(): typeof RunnerModule {
  if (!runner) throw new Error("the runner package is not loaded (call loadRunnerPackages() first)");
  return runner;
}
