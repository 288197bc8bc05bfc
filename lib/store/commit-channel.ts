// The PostgreSQL channel recorders announce their commits on (see lib/recorder/remote-commits.ts),
// and this process's tag in those notices, so its own listener skips them.
import { randomBytes } from "node:crypto";

export const COMMIT_CHANNEL = "wakeline_commits";

const TAG_KEY = Symbol.for("wakeline.process-commit-tag");
const holder = globalThis as unknown as Record<symbol, string | undefined>;
/** One tag per process, shared by server.ts and the Next.js bundle's copies of this module. */
export const PROCESS_COMMIT_TAG: string = (holder[TAG_KEY] ??= randomBytes(6).toString("hex"));
