import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const POLL_MS = 500;

function holderAlive(lockFile: string): boolean {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Serialises provisioning of one cache entry across processes (parallel Jest workers, a CLI
 * beside a test run). A lock left by a dead process is taken over.
 */
export async function withCacheLock<T>(dir: string, work: () => Promise<T>, onWait?: () => void): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const lockFile = join(dir, '.lock');
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive(lockFile)) {
        rmSync(lockFile, { force: true });
        continue;
      }
      if (!announced && onWait) onWait();
      announced = true;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
