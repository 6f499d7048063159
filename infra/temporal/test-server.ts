import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitForPort } from '../process/net';
import { withCacheLock } from '../process/cache-lock';
import { run } from '../process/run';
import { which } from '../process/which';

/** Pinned: the Java SDK release whose test server the time-skipping tests run on. */
export const TEST_SERVER_VERSION = '1.38.0';
const MAIN_CLASS = 'io.temporal.testserver.TestServer';

export interface TestServerInstall {
  /** A script that `exec`s java, for `executable: {type: 'existing-path'}`. */
  scriptPath: string;
  libDir: string;
  classDataArchive?: string;
}

export function testServerDir(cacheDir: string): string {
  return join(cacheDir, 'temporal-test-server', TEST_SERVER_VERSION);
}

function pom(): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>icp.filing</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;
}

export function javaExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.JAVA_HOME && existsSync(join(env.JAVA_HOME, 'bin', 'java')))
    return join(env.JAVA_HOME, 'bin', 'java');
  return which('java', env.PATH);
}

/** JVM flags chosen for start-up time: the SDK gives the server only 5 s to listen. */
function jvmFlags(archive: string | undefined): string[] {
  const flags = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k'];
  if (archive) flags.push(`-XX:SharedArchiveFile=${archive}`, '-Xshare:auto');
  return flags;
}

function script(java: string, libDir: string, archive: string | undefined): string {
  // exec: the SDK kills the process it started; a shell left in between would orphan the JVM.
  return `#!/bin/sh\nexec "${java}" ${jvmFlags(archive).join(' ')} -cp "${libDir}/*" ${MAIN_CLASS} "$@"\n`;
}

export function installedTestServer(cacheDir: string): TestServerInstall | undefined {
  const dir = testServerDir(cacheDir);
  const scriptPath = join(dir, 'test-server.sh');
  if (!existsSync(join(dir, '.complete')) || !existsSync(scriptPath)) return undefined;
  const archive = join(dir, 'classes.jsa');
  return {
    scriptPath,
    libDir: join(dir, 'lib'),
    classDataArchive: existsSync(archive) ? archive : undefined,
  };
}

/**
 * Fetches the Java test server and its runtime classpath with Maven into the cache, writes the
 * wrapper script and an application class-data archive (cuts JVM start from ~1 s to ~0.4 s).
 */
export async function provisionTestServer(
  cacheDir: string,
  onProgress: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestServerInstall> {
  const ready = installedTestServer(cacheDir);
  if (ready) return ready;
  const dir = testServerDir(cacheDir);
  return withCacheLock(
    dir,
    async () => {
      const again = installedTestServer(cacheDir);
      if (again) return again;
      const java = javaExecutable(env);
      if (!java)
        throw new Error('Temporal test server needs Java 11+: no `java` on PATH and JAVA_HOME unset');
      const mvn = which('mvn', env.PATH);
      if (!mvn) throw new Error('Temporal test server is fetched with Maven: no `mvn` on PATH');

      writeFileSync(join(dir, 'pom.xml'), pom());
      const staging = join(dir, 'lib.staging');
      rmSync(staging, { recursive: true, force: true });
      onProgress(
        `fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} and its classpath with Maven`,
      );
      const fetched = await run(
        mvn,
        [
          '-q',
          '-B',
          '-f',
          join(dir, 'pom.xml'),
          'dependency:copy-dependencies',
          `-DoutputDirectory=${staging}`,
          '-DincludeScope=runtime',
        ],
        { env },
      );
      if (fetched.code !== 0 || !existsSync(staging) || readdirSync(staging).length === 0) {
        const why = (fetched.stdout + fetched.stderr).trim().split('\n').slice(-3).join(' | ');
        throw new Error(`Maven could not fetch the Temporal test server: ${why}`);
      }
      const libDir = join(dir, 'lib');
      rmSync(libDir, { recursive: true, force: true });
      renameSync(staging, libDir);

      const archive = join(dir, 'classes.jsa');
      onProgress('recording a class-data archive for fast test-server start');
      const archived = await recordClassDataArchive(java, libDir, archive);
      const scriptPath = join(dir, 'test-server.sh');
      writeFileSync(scriptPath, script(java, libDir, archived ? archive : undefined));
      chmodSync(scriptPath, 0o755);
      writeFileSync(join(dir, '.complete'), new Date().toISOString());
      onProgress(`Temporal test server ${TEST_SERVER_VERSION} ready → ${scriptPath}`);
      return { scriptPath, libDir, classDataArchive: archived ? archive : undefined };
    },
    () => onProgress(`waiting for another process that is provisioning the test server in ${dir}`),
  );
}

/** Runs the server once with -XX:ArchiveClassesAtExit until it listens, then stops it cleanly. */
async function recordClassDataArchive(java: string, libDir: string, archive: string): Promise<boolean> {
  rmSync(archive, { force: true });
  const port = await freePort();
  const child = spawn(
    java,
    [
      ...jvmFlags(undefined),
      `-XX:ArchiveClassesAtExit=${archive}`,
      '-cp',
      `${libDir}/*`,
      MAIN_CLASS,
      String(port),
    ],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await waitForPort(port, 30_000);
  child.kill('SIGTERM');
  await exited;
  return listening && existsSync(archive);
}
