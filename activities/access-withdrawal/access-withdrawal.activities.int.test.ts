import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Json } from '../../events/ports/event-log.port';
import { registryStreamHead, sealRegistryEvent } from '../../events/registry/registry-envelope';
import type { RegistryEvent } from '../../events/registry/registry-events';
import { serviceStreamId } from '../../events/registry/registry-streams';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { openOutbox, readOutbox, type SqliteOutbox } from '../../infra/notify/outbox';
import { serviceRegistered } from '../../test/support/registry-fixtures';
import { createRegistryUpdater } from '../registry-updates';
import { createAccessWithdrawalActivities, type WithdrawServiceAccessRequest } from '.';

const SERVICE = '粤ICP备2026000001号-1A';
const ISPS = ['阿里云', '腾讯云', '华为云', '中国电信', '中国联通', '中国移动'];

/** The activities on a real SQLite log and outbox, called as the worker calls them (retries included). */
describe('access withdrawal activities', () => {
  let dir: string;
  let eventLog: SqliteEventLog;
  let outbox: SqliteOutbox;
  let activities: ReturnType<typeof createAccessWithdrawalActivities>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'icp-access-withdrawal-'));
    eventLog = new SqliteEventLog(join(dir, 'events.sqlite'));
    outbox = openOutbox(dir);
    activities = createAccessWithdrawalActivities({
      eventLog,
      updater: createRegistryUpdater({ eventLog }),
      sms: outbox.sms,
      email: outbox.email,
    });
    // Imported (no filing behind it): nobody to notify.
    const registered = serviceRegistered({
      serviceNumber: SERVICE,
      accesses: ISPS.map((ispName) => ({ ispName })),
      filingId: undefined,
      source: 'imported',
    });
    delete registered.filingId;
    const streamId = serviceStreamId(SERVICE);
    const { envelope } = sealRegistryEvent(
      streamId,
      registryStreamHead([]),
      { type: 'ServiceRegistered', data: registered } as RegistryEvent,
      {
        occurredAt: '2026-12-01T02:00:00.000Z',
        recordedBy: { role: 'admin', id: 'cli' },
        causationId: 'line-1',
      },
    );
    await eventLog.appendToStream(streamId, [envelope], { expectedRevision: 'no_stream' });
  });

  afterAll(async () => {
    await outbox?.close();
    await eventLog?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (ispName: string, withdrawalId = randomUUID()): WithdrawServiceAccessRequest => ({
    serviceNumber: SERVICE,
    withdrawalId,
    ispName,
    reason: '停止服务',
    recordedById: `${ispName}-ops`,
    at: '2026-12-07T17:30:00.000Z',
  });
  const types = async () =>
    (await eventLog.readStream(serviceStreamId(SERVICE))).map((event) => event.type as Json);

  it('records once when retried, dated in China time', async () => {
    const input = request('阿里云');

    const first = await activities.withdrawServiceAccess(input);
    const retried = await activities.withdrawServiceAccess(input);

    // 17:30 UTC is 01:30 the next day in China.
    expect(first).toEqual({ withdrawn: { status: 'active', withdrawnOn: '2026-12-08' } });
    expect(retried).toEqual(first);
    expect(await types()).toEqual(['ServiceRegistered', 'ServiceAccessWithdrawn']);
    const [, recorded] = await eventLog.readStream(serviceStreamId(SERVICE));
    expect(recorded?.metadata).toMatchObject({
      recordedBy: { role: 'isp', id: '阿里云-ops' },
      causationId: input.withdrawalId,
    });
  });

  it('records every ISP of a concurrent batch, each once, at consecutive revisions', async () => {
    const others = ISPS.slice(1);
    const outcomes = await Promise.all(others.map((isp) => activities.withdrawServiceAccess(request(isp))));

    expect(outcomes.filter((outcome) => 'withdrawn' in outcome)).toHaveLength(others.length);
    const events = await eventLog.readStream(serviceStreamId(SERVICE));
    expect(events.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(
      outcomes.map((outcome) => ('withdrawn' in outcome ? outcome.withdrawn.status : 'refused')).sort(),
    ).toEqual(['access_withdrawn', 'active', 'active', 'active', 'active']);
  });

  it('refuses what the stream no longer allows, writing nothing', async () => {
    expect(await activities.withdrawServiceAccess(request('阿里云'))).toEqual({
      refused: 'access_already_withdrawn',
    });
    expect(await activities.withdrawServiceAccess(request('某云'))).toEqual({ refused: 'service_not_found' });
    expect(await types()).toHaveLength(7);
  });

  it('notifies nobody for a service no filing stands behind', async () => {
    const [, withdrawal] = await eventLog.readStream(serviceStreamId(SERVICE));
    const withdrawalId = (withdrawal?.data as { withdrawalId: string }).withdrawalId;

    expect(await activities.notifyAccessWithdrawn({ serviceNumber: SERVICE, withdrawalId })).toEqual({
      channels: [],
    });
    expect(readOutbox(dir)).toEqual([]);
  });
});
