import { loadConfig } from '../../../infra/config/config';
import { resolveTemporalCli } from '../../../infra/temporal/temporal-cli';
import { provisionTestServer } from '../../../infra/temporal/test-server';
import type { CliCommand } from '../command';

/** Fetches or builds what the embedded system and the tests need, into the cache. CI runs it first. */
export const provisionCommand: CliCommand = {
  name: 'provision',
  usage: 'icp provision',
  summary: 'provision the Temporal CLI (dev server) and the Java time-skipping test server into the cache',
  async run(_args, io) {
    const config = loadConfig();
    const progress = (line: string): void => io.err(`  ${line}`);
    try {
      const cli = await resolveTemporalCli({ cacheDir: config.cacheDir, onProgress: progress });
      io.out(`temporal cli   ${cli.version}  ${cli.path}  (from ${cli.source})`);
      const testServer = await provisionTestServer(config.cacheDir, progress);
      io.out(
        `test server    ${testServer.scriptPath}${testServer.classDataArchive ? '  (class-data archive)' : ''}`,
      );
      return 0;
    } catch (error) {
      io.err(`icp provision: ${(error as Error).message}`);
      return 1;
    }
  },
};
