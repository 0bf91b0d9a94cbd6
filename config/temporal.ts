/**
 * gRPC channel options of the Temporal client connections that must notice Temporal's return at
 * once: the intake starter's (worker/run-worker.ts), which starts the workflows of received cases,
 * and the API's (api/main.ts), which reads live case state and sends the workflows their updates.
 *
 * grpc-js reconnects a lost channel with a growing backoff — 1 s, then ×1.6 each time, up to 120 s —
 * and a call made while it waits fails at once without trying. After a Temporal outage of a minute
 * or two the channel tries again only tens of seconds to two minutes after Temporal is back, and
 * the starter's backlog of received cases waits all that time for nothing (found by the chaos
 * scenario temporal-rush: 7–19 s idle after outages of 8–45 s; issue #14). Capped at 2 s: a
 * connection attempt every 2 s to an absent server costs nothing, and the backlog resumes within
 * about 2 s of Temporal's return (chaos/rush-audit.ts RESUME_BOUND_MS).
 *
 * (The worker's own polling connection is the Rust core's, with its own reconnect policy.)
 */
export const TEMPORAL_CHANNEL_ARGS = {
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 2_000,
} as const;
