import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPORAL_CLI_VERSION } from '../../../infra/config/config';
import { isolatedEnv, runIcp } from '../../../test/system/icp-process';

describe('icp doctor', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-doctor-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('--json reports the embedded setup with the real CLI version and a ready test server', async () => {
    const { code, stdout } = await runIcp(['doctor', '--json'], isolatedEnv({ ICP_DATA_DIR: dataDir }));

    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      node: process.version,
      temporal: {
        mode: 'embedded',
        address: '127.0.0.1:7233',
        cli: { path: expect.stringMatching(/temporal$/), version: TEMPORAL_CLI_VERSION },
      },
      testServer: { ready: true },
      eventLog: { url: `sqlite:${join(dataDir, 'events.sqlite')}`, ok: true },
      dataDir,
      secrets: { source: 'data directory', ok: true },
      problems: [],
    });
  });

  it('exits non-zero with one readable line per problem', async () => {
    const notADirectory = join(dataDir, 'plain-file');
    writeFileSync(notADirectory, '');
    const { code, stderr } = await runIcp(
      ['doctor'],
      isolatedEnv({
        ICP_DATA_DIR: dataDir,
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        EVENT_STORE_URL: `sqlite:${notADirectory}/events.sqlite`,
      }),
    );

    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'problem: secrets: missing ICP_SECRET_JWT, ICP_SECRET_SMS_ANSWER, TEMPORAL_PAYLOAD_KEYS, ICP_REGISTRY_SIGNING_KEYS, ICP_SECRET_SMS_CODE_PEPPER (secrets come from the environment when TEMPORAL_ADDRESS is set)',
      `problem: event log sqlite:${notADirectory}/events.sqlite: EEXIST: file already exists, mkdir '${notADirectory}'`,
      'problem: TEMPORAL_ADDRESS 127.0.0.1:1 does not answer: check the address, TLS settings and network',
    ]);
  });
});
