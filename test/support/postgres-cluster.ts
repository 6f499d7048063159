import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../infra/process/net';

/** A throwaway PostgreSQL cluster on a loopback port, owned by the test that started it. */
export interface PostgresCluster {
  /** A database of its own, created at start: `postgres://postgres@127.0.0.1:<port>/<name>`. */
  readonly url: string;
  /** Another empty database on the same cluster. */
  newDatabase(): Promise<string>;
  /** Stops the server (immediate mode) and removes its directory. */
  stop(): Promise<void>;
}

const INSTALL_HINT =
  "install Debian's postgresql (apt-get install postgresql); .ci/run does this on CI. The tests start their own cluster with initdb and pg_ctl, no service is needed";

/** initdb and pg_ctl: the newest /usr/lib/postgresql/<version>/bin, else `pg_config --bindir`. */
export function postgresBinDir(root = '/usr/lib/postgresql', pgConfig = 'pg_config'): string {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const candidates = versions.map((version) => join(root, version, 'bin'));
  const fromPgConfig = spawnSync(pgConfig, ['--bindir'], { encoding: 'utf8' });
  if (fromPgConfig.status === 0) candidates.push(fromPgConfig.stdout.trim());
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new Error(
      `PostgreSQL server binaries (initdb, pg_ctl) not found under ${root}/*/bin: ${INSTALL_HINT}`,
    );
  }
  return found;
}

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` OS user. */
function runAs(): { prefix: string[]; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => {
    const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(
        `running as root, but there is no 'postgres' OS user to own the test cluster: ${INSTALL_HINT}`,
      );
    }
    return Number(result.stdout.trim());
  };
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid: id('-u'), gid: id('-g') };
}

/** The temp dir, unless the cluster's owner cannot reach it (TMPDIR under /root): then /tmp. */
function clusterParent(owner: ReturnType<typeof runAs>): string {
  if (!owner) return tmpdir();
  const reachable = spawnSync(owner.prefix[0]!, [...owner.prefix.slice(1), 'test', '-x', tmpdir()]);
  return reachable.status === 0 ? tmpdir() : '/tmp';
}

function run(command: string[], cwd: string, owner: ReturnType<typeof runAs>): void {
  const [file, ...args] = [...(owner?.prefix ?? []), ...command];
  const result = spawnSync(file!, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(
      `${command.slice(0, 2).join(' ')} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
    );
  }
}

const stopOnExit = new Set<() => void>();
process.once('exit', () => stopOnExit.forEach((stop) => stop()));

/**
 * initdb into a temp dir (trust auth, listening on 127.0.0.1 only, its socket in that dir), `pg_ctl
 * start -w` on a free port, then a database for the caller. Binaries missing: an error saying to
 * install Debian's postgresql (the suite fails, never skips).
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const owner = runAs();
  const dir = mkdtempSync(join(clusterParent(owner), 'icp-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  run(
    [
      join(bin, 'initdb'),
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ],
    dir,
    owner,
  );
  const pgCtl = (...args: string[]): void => run([join(bin, 'pg_ctl'), '-D', data, ...args], dir, owner);
  /** For process exit (synchronous, errors ignored): no server outlives the test run. */
  const stopNow = (): void => {
    const [file, ...args] = [
      ...(owner?.prefix ?? []),
      join(bin, 'pg_ctl'),
      '-D',
      data,
      '-m',
      'immediate',
      'stop',
    ];
    spawnSync(file!, args, { cwd: dir });
  };

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    try {
      pgCtl('-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start');
      break;
    } catch (error) {
      // Another process may have taken the port between freePort and the server's bind.
      if (attempt >= 3) {
        const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`${(error as Error).message}\n${log}`);
      }
    }
  }
  stopOnExit.add(stopNow);

  const base = `postgres://postgres@127.0.0.1:${port}`;
  const newDatabase = async (): Promise<string> => {
    const name = `t_${randomUUID().replace(/-/g, '')}`;
    const admin = new Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return `${base}/${name}`;
  };

  let url: string;
  try {
    url = await newDatabase();
  } catch (error) {
    stopNow();
    stopOnExit.delete(stopNow);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    newDatabase,
    stop: async () => {
      stopOnExit.delete(stopNow);
      try {
        pgCtl('-m', 'immediate', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
