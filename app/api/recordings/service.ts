// The recordings of real engines that server.ts runs, as the route handlers reach them: through
// globalThis, so this bundle does not load the proxy, the history reader or the OTLP receiver.
// Their coded errors come from server.ts's copy of lib/services/errors, another class than this
// bundle's: they are carried over by their fields.
import type { DashboardRecordings } from "@/lib/services/real-recordings";
import { ServiceError } from "@/lib/services/errors";

// The symbol lib/services/real-recordings.ts provides the service under (not imported: see above).
const DASHBOARD_RECORDINGS = Symbol.for("wakeline.dashboard-recordings");

function asLocalError(err: unknown): unknown {
  const coded = err as { name?: unknown; code?: unknown; status?: unknown; message?: unknown } | null;
  if (coded && coded.name === "ServiceError" && typeof coded.code === "string" && typeof coded.status === "number" && !(err instanceof ServiceError)) {
    return new ServiceError(coded.code, coded.status, String(coded.message));
  }
  return err;
}

const carried =
  <A extends unknown[], R>(call: (...args: A) => R | Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await call(...args);
    } catch (err) {
      throw asLocalError(err);
    }
  };

export function dashboardRecordings(): { [K in keyof DashboardRecordings]: (...args: Parameters<DashboardRecordings[K]>) => Promise<Awaited<ReturnType<DashboardRecordings[K]>>> } {
  const service = (globalThis as Record<symbol, unknown>)[DASHBOARD_RECORDINGS] as DashboardRecordings | undefined;
  if (!service) throw new ServiceError("recording_unavailable", 503, "Recording a real engine needs the server that `npm start` runs.");
  return { start: carried(service.start), list: carried(service.list), stop: carried(service.stop) };
}
