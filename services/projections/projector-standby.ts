import type { ProjectionLease } from '../../events/ports/projection-lease.port';
import { type ProjectorOptions, type RunningProjector, startProjector } from './projector';

/**
 * `active`: applying events; `standby`: another process holds the lease, this one tries again;
 * `failed`: stopped by an error (it does not restart by itself); `stopped`: asked to stop.
 */
export type ProjectorRole = 'active' | 'standby' | 'failed' | 'stopped';

export interface ProjectorState {
  role: ProjectorRole;
  /** Whether this process holds the lease (always, with no lease: the embedded single process). */
  leaseHeld: boolean;
  /** Why it stands by or failed, when known (never personal data: lock and database errors only). */
  reason?: string;
}

export interface LeasedProjectorOptions extends ProjectorOptions {
  /** Absent: the only projector (embedded, one process), always active. */
  lease?: ProjectionLease;
  /** How long a standby waits between attempts to take the lease; default 3 s. */
  retryMs?: number;
  /** Called (in a microtask) on every change of role or reason. */
  onStateChange?: (state: ProjectorState) => void;
}

export interface LeasedProjector {
  state(): ProjectorState;
  /** As RunningProjector.caughtUp while active; rejects while standing by. */
  caughtUp(): Promise<void>;
  /** Stops applying (committing what was delivered) and gives the lease up. */
  stop(): Promise<void>;
}

const DEFAULT_RETRY_MS = 3_000;

/**
 * The projector behind a lease: several may run against one database, the holder of the lease applies
 * events (from the committed checkpoints), the others stand by and try to take it every `retryMs`.
 * A lost lease aborts the projector at once, buffered events unwritten, so two never write together.
 */
export function startLeasedProjector(options: LeasedProjectorOptions): LeasedProjector {
  const { lease } = options;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  let state: ProjectorState = { role: 'standby', leaseHeld: false, reason: 'starting' };
  let running: RunningProjector | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopping = false;

  const become = (next: ProjectorState): void => {
    const changed = next.role !== state.role || next.reason !== state.reason;
    state = next;
    // Reported after the caller has the LeasedProjector (the embedded one is active at once).
    if (changed) queueMicrotask(() => options.onStateChange?.(next));
  };

  const fail = (error: Error): void => {
    const failed = running;
    running = undefined;
    become({ role: 'failed', leaseHeld: false, reason: error.message });
    // Hand the lease over only once this projector has written its last.
    void failed
      ?.abort()
      .then(() => lease?.release())
      .catch(() => undefined);
    options.onError?.(error);
  };

  const activate = (): void => {
    running = startProjector({ ...options, onError: fail });
    become({ role: 'active', leaseHeld: true });
  };

  const attempt = async (): Promise<void> => {
    retry = undefined;
    if (stopping || state.role === 'failed') return;
    let reason: string | undefined;
    try {
      if (await lease!.tryAcquire()) {
        if (stopping) return void (await lease!.release());
        activate();
        return;
      }
    } catch (error) {
      reason = `cannot reach the lease: ${(error as Error).message.split('\n')[0]}`;
    }
    become({ role: 'standby', leaseHeld: false, reason });
    if (!stopping) retry = setTimeout(() => void attempt(), retryMs);
  };

  lease?.onLost((error) => {
    const lost = running;
    running = undefined;
    void lost?.abort();
    if (stopping || state.role === 'failed') return;
    become({ role: 'standby', leaseHeld: false, reason: error.message });
    retry = setTimeout(() => void attempt(), retryMs);
  });

  if (lease) void attempt();
  else activate();

  return {
    state: () => state,
    caughtUp() {
      if (running) return running.caughtUp();
      return Promise.reject(new Error(`projector is ${state.role}, not applying events`));
    },
    async stop() {
      stopping = true;
      clearTimeout(retry);
      const current = running;
      running = undefined;
      await current?.stop();
      await lease?.release();
      if (state.role !== 'failed') become({ role: 'stopped', leaseHeld: false });
    },
  };
}
