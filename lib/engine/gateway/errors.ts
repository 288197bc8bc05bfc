// The gateway's coded errors and the pace of its pool-error checks, shared by requests and sockets.

/**
 * The gateway's coded errors, as the real engine's guard answers them (`group.code`; HTTP turns
 * them into `{group, code, message}` with the bare code and `x-rivet-error: group.code`). The
 * statuses are the guard's: 404 actor.not_found (also for a destroyed actor: the real engine does
 * not tell them apart), 503 for the retryable guard errors, and 400 for codes its status table does
 * not list (wake retries exceeded, runner pool failing, destroyed while waiting).
 */
export const GATEWAY_ERRORS = {
  actorNotFound: { status: 404, code: "actor.not_found" },
  actorDestroyed: { status: 404, code: "actor.not_found" },
  destroyedWhileWaiting: { status: 400, code: "actor.destroyed_while_waiting_for_ready" },
  readyTimeout: { status: 503, code: "guard.actor_ready_timeout" },
  runnerFailed: { status: 400, code: "guard.actor_runner_failed" },
  wakeRetriesExceeded: { status: 400, code: "guard.actor_wake_retries_exceeded" },
  stoppedWhileWaiting: { status: 503, code: "guard.actor_stopped_while_waiting" },
  actorFailed: { status: 503, code: "actor.failed" },
} as const;

export type GatewayError = { readonly status: number; readonly code: string };

/** The close reason of a socket that is not hibernatable (or not yet accepted) when its actor stops. */
export const SOCKET_ACTOR_STOPPED = "actor.stopped";

/**
 * While a request waits for its actor, the real guard looks at the actor's runner pool 1 s into the
 * wait (so a flapping pool may still allocate cleanly), then every 2 s, and fails the request with
 * guard.actor_runner_failed as soon as the pool reports an error.
 */
export const POOL_ERROR_CHECK_DELAY_MS = 1000;
export const POOL_ERROR_CHECK_INTERVAL_MS = 2000;
