/**
 * The API's and the activities' clock (`Date` in this process) made to follow the test server's: the
 * API stamps, checks and computes dates (an inventory's "not in the future", a due date, a token's
 * expiry) with `Date.now()`, the workflows with the server's time. Without this the two would be
 * years apart. `Date.now()` and `new Date()` read the real clock plus an offset; `sync` sets the
 * offset from the server's current time (after each skip). Workflows keep their own sandboxed time.
 */
export interface FollowedClock {
  /** Makes this process's clock read `serverNowMs` now. */
  sync(serverNowMs: number): void;
  /** Puts the real `Date` back. */
  restore(): void;
}

export function followServerClock(startAtMs: number): FollowedClock {
  const RealDate = Date;
  let offset = startAtMs - RealDate.now();
  class ServerDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  // Code that names global constructors (webpack's serializer, when the worker bundles) finds `Date`.
  Object.defineProperty(ServerDate, 'name', { value: 'Date' });
  globalThis.Date = ServerDate as DateConstructor;
  return {
    sync(serverNowMs) {
      offset = serverNowMs - RealDate.now();
    },
    restore() {
      globalThis.Date = RealDate;
    },
  };
}
