import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { filingStreamId } from '../../events/filing/stream-ids';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { freePort } from '../../infra/process/net';
import { filingDataConverter } from '../../infra/temporal/payload-keys';
import { loadOrCreateSecret } from '../../infra/secrets/local-secret';
import { sealSmsAnswer } from '../../infra/verification/sealed-answer';
import { SMS_ANSWER_SECRET } from '../../main/worker/activity-deps';
import {
  bureauReviewUpdate,
  platformReviewUpdate,
  smsVerificationUpdate,
  statusQuery,
} from '../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../workflows/filing/filing.workflow';
import { personalDataOf } from '../support/projection-fixtures';
import { loadValidForm } from '../fixtures/forms/form-fixtures';
import { JSON_LOGS, jsonLogRecords } from '../support/json-log-lines';
import { APPLICANT, bureauOf, PLATFORM } from '../temporal/filing-harness';
import { IcpProcess, isolatedEnv, runIcp } from './icp-process';

const READY_LINE = 'Press Ctrl+C to stop.';

describe('one filing through every stage on the dev server `icp start` provisions', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-filing-e2e-'));
  let env: NodeJS.ProcessEnv;
  let system: IcpProcess;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    const temporalPort = await freePort();
    env = isolatedEnv({
      ICP_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(await freePort()),
      ...JSON_LOGS,
    });
    system = new IcpProcess(['start'], env);
    await system.waitForOutput(READY_LINE, 120_000);
    connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    client = new Client({ connection, dataConverter: filingDataConverter({ dataDir }) });
  });

  afterAll(async () => {
    await connection?.close();
    await system?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function waitForStatus(
    handle: ReturnType<Client['workflow']['getHandle']>,
    status: string,
  ): Promise<void> {
    const deadline = Date.now() + 30_000;
    while ((await handle.query(statusQuery)).status !== status) {
      if (Date.now() > deadline) throw new Error(`filing did not reach ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('submits, reviews, verifies the 12381 SMS read with `icp outbox`, and issues 粤ICP备…-1A', async () => {
    const filingId = randomUUID();
    const handle = await client.workflow.start<typeof filingWorkflow>('filingWorkflow', {
      taskQueue: 'icp-filing',
      workflowId: filingStreamId(filingId),
      args: [
        {
          filingId,
          form: loadValidForm('valid-app'),
          actor: PLATFORM,
          actionId: `submit-${filingId}`,
          correlationId: filingId,
        },
      ],
    });

    await waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: 'pr',
    });
    await waitForStatus(handle, 'sms_verification');

    const outbox = await runIcp(['outbox', '--to', '+8613900139000', '--json'], env);
    expect(outbox.code).toBe(0);
    const [sms] = JSON.parse(outbox.stdout) as Array<{ sender: string; text: string }>;
    expect(sms?.sender).toBe('12381');
    const code = /核验码为(\d{6})/.exec(sms?.text ?? '')?.[1] ?? '';
    const sealedAnswer = sealSmsAnswer(loadOrCreateSecret(dataDir, SMS_ANSWER_SECRET), {
      code,
      idLast6: '150043',
    });
    const verified = await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer }],
      updateId: 'sms',
    });
    expect(verified.verified).toBe(true);

    await waitForStatus(handle, 'bureau_review');
    await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: bureauOf('440000'), decision: 'approve' }],
      updateId: 'br',
    });
    const outcome = await handle.result();

    expect(outcome).toMatchObject({
      status: 'completed',
      registrationNumber: expect.stringMatching(/^粤ICP备\d{10}号-1A$/),
    });
    const log = new SqliteEventLog(join(dataDir, 'events.sqlite'));
    try {
      const events = await log.readStream(filingStreamId(filingId));
      expect(events.at(-1)?.type).toBe('ApplicantNotified');
      expect(outcome.revision).toBe(events.length - 1);
    } finally {
      await log.close();
    }
    const notices = JSON.parse(
      (await runIcp(['outbox', '--to', 'lisi@example.com', '--json'], env)).stdout,
    ) as Array<{
      subject: string;
    }>;
    expect(notices[0]?.subject).toContain(outcome.registrationNumber);

    // The Temporal server's database and the system's own output hold no personal data in clear:
    // workflow inputs, activity arguments and results travel encrypted (AES-256-GCM payload codec).
    const secrets = [...personalDataOf(loadValidForm('valid-app')), code, '150043'];
    const temporalDb = ['temporal.sqlite', 'temporal.sqlite-wal']
      .map((file) => join(dataDir, file))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file));
    expect(temporalDb.length).toBeGreaterThan(0);
    const metrics = await (await fetch(`http://127.0.0.1:${env.PORT}/metrics`)).text();
    const found = secrets.filter(
      (secret) =>
        // Six-digit values would match by chance in megabytes of binary; the database is searched for the long ones.
        (secret.length >= 11 && temporalDb.some((bytes) => bytes.includes(Buffer.from(secret, 'utf8')))) ||
        system.stdout.includes(secret) ||
        system.stderr.includes(secret) ||
        metrics.includes(secret),
    );
    // The output is JSON lines, and the worker's lines about this filing carry it as correlation id.
    const records = [...jsonLogRecords(system.stdout), ...jsonLogRecords(system.stderr)];
    const aboutFiling = records.filter((record) => record.correlationId === filingId);
    console.info(
      `scanned ${temporalDb.length} Temporal database file(s), the system's output (${records.length} JSON log lines, ${aboutFiling.length} about the filing) and /metrics for ${secrets.length} personal values: ${found.length} found`,
    );
    expect(aboutFiling.length).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});
