import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { dirname, join } from 'node:path';
import type { BenchArgs } from './args';
import { BENCH_DIR } from './report';

/** Where `--profile` leaves a benchmark's CPU profiles (gitignored). */
export function profileDir(bench: string): string {
  return join(BENCH_DIR, '.profiles', bench);
}

function post<T>(session: Session, method: string, params: Record<string, unknown> = {}): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

/** Starts V8's sampling profiler on this thread; the returned function stops it and writes the profile. */
export async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 500 });
  await post(session, 'Profiler.start');
  return async (file) => {
    const { profile } = await post<{ profile: unknown }>(session, 'Profiler.stop');
    session.disconnect();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
  };
}

/**
 * Runs `work`; with `--profile`, records a V8 CPU profile of this thread for exactly that phase into
 * `bench/.profiles/<bench>/<phase>.cpuprofile` (setup, seeding and module loading stay out of it).
 */
export async function profiled<T>(
  args: BenchArgs,
  bench: string,
  phase: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!args.profile) return work();
  const stop = await startProfile();
  try {
    return await work();
  } finally {
    await stop(join(profileDir(bench), `${phase}.cpuprofile`));
  }
}
