import { spawn } from 'node:child_process';

/**
 * Another process holding an SQLite file's write lock: a child `node -e` that opens the file with
 * better-sqlite3, runs `BEGIN EXCLUSIVE` (in WAL mode: the write lock; readers go on reading), sleeps
 * and commits. While it holds the lock every writer of the file gets SQLITE_BUSY.
 */
export interface HeldWriteLock {
  readonly pid: number;
  /** Date.now() when the child reported the lock taken. */
  readonly lockedAt: number;
  /** Resolves with Date.now() when the child reported the lock released (its transaction committed). */
  readonly released: Promise<number>;
  /** Kills the holder if it still runs (a test that failed half-way); the lock dies with it. */
  stop(): Promise<void>;
}

const HOLDER = `
const Database = require(process.env.ICP_SQLITE_MODULE);
const db = new Database(process.env.ICP_LOCK_FILE);
db.pragma('busy_timeout = 10000');
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\\n');
}, Number(process.env.ICP_LOCK_HOLD_MS));
`;

export async function holdWriteLock(file: string, holdMs: number): Promise<HeldWriteLock> {
  const child = spawn(process.execPath, ['-e', HOLDER], {
    env: {
      PATH: process.env.PATH,
      ICP_SQLITE_MODULE: require.resolve('better-sqlite3'),
      ICP_LOCK_FILE: file,
      ICP_LOCK_HOLD_MS: String(holdMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    waiters.splice(0).forEach((wake) => wake());
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  let closed = false;
  void exited.then(() => {
    closed = true;
    waiters.splice(0).forEach((wake) => wake());
  });
  const printed = async (line: string): Promise<number> => {
    while (!stdout.includes(`${line}\n`)) {
      if (closed) throw new Error(`lock holder exited before printing "${line}": ${stderr}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    return Date.now();
  };
  const lockedAt = await printed('locked');
  const released = printed('released').then(async (at) => {
    await exited;
    return at;
  });
  void released.catch(() => undefined);
  return {
    pid: child.pid ?? -1,
    lockedAt,
    released,
    stop: async () => {
      if (!closed) child.kill('SIGKILL');
      await exited;
    },
  };
}
