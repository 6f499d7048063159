import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../../events/filing/actor';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { AppDetails, RegistrationForm } from '../../events/form/registration-form';
import type { EventLog, Json } from '../../events/ports/event-log.port';
import {
  registryStreamHead,
  sealRegistryEvent,
  verifyRegistryChain,
} from '../../events/registry/registry-envelope';
import { identifierStreamId } from '../../events/registry/registry-streams';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import {
  type FilingPath,
  generateFilingHistories,
  type GeneratedFiling,
} from '../../test/support/filing-histories';
import { validatedForm } from '../../test/support/projection-fixtures';
import { ProblemException, type ProblemDetails } from '../http/problem-details';
import { IdentifierClaims } from './identifier-claims';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const platform = (platformId: string): Actor => ({ role: 'platform', id: `${platformId}-api`, platformId });

let directory: string;
const logs: EventLog[] = [];

function openLog(): EventLog {
  const log = new SqliteEventLog(join(directory, 'events.sqlite'));
  logs.push(log);
  return log;
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'icp-identifier-claims-'));
});

afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()));
  rmSync(directory, { recursive: true, force: true });
});

function quickApp(quickAppPackage: string): RegistrationForm {
  const form = validatedForm('valid-quick-app');
  return { ...form, app: { ...form.app, quickAppPackage } } as RegistrationForm;
}

/** valid-app with its Android, iOS and HarmonyOS identifiers renamed. */
function app(android: string, bundle: string, harmony: string): RegistrationForm {
  const form = validatedForm('valid-app');
  const names = { android, ios: bundle, harmony };
  const platforms = (form.app as AppDetails).platforms.map((p) =>
    p.os === 'ios' ? { ...p, bundleId: names.ios } : { ...p, packageName: names[p.os] },
  );
  return { ...form, app: { ...(form.app as AppDetails), platforms } } as RegistrationForm;
}

const packageStream = (quickAppPackage: string) => identifierStreamId({ kind: 'quick_app', quickAppPackage });

/** A filing recorded in the log as it would be after `path` (its own stream, written by the workflow). */
async function recordedFiling(log: EventLog, path: FilingPath): Promise<GeneratedFiling> {
  const [filing] = generateFilingHistories({
    count: 1,
    paths: [path],
    seed: 16,
  });
  if (!filing) throw new Error('no filing generated');
  const events = filing.envelopes.map((e) => ({
    ...e,
    data: e.data as unknown as Json,
    metadata: e.metadata as unknown as Json,
  }));
  await log.appendToStream(filingStreamId(filing.filingId), events, { expectedRevision: 'no_stream' });
  return filing;
}

async function refusal(attempt: Promise<unknown>): Promise<ProblemDetails> {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof ProblemException) return error.problem;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('identifier claims on a SQLite event log', () => {
  it('claims each identifier once, sealed, and a retry of the same filing adds nothing', async () => {
    const log = openLog();
    const claims = new IdentifierClaims(log);
    const form = app('com.ledger.android', 'com.ledger.ios', 'com.ledger.harmony');
    await claims.claim(platform('wechat'), 'filing-1', form, NOW);
    await claims.claim(platform('wechat'), 'filing-1', form, NOW);

    const streams = [
      identifierStreamId({ kind: 'package', packageName: 'com.ledger.android' }),
      identifierStreamId({ kind: 'bundle', bundleId: 'com.ledger.ios' }),
      identifierStreamId({ kind: 'package', packageName: 'com.ledger.harmony' }),
    ];
    for (const streamId of streams) {
      const events = await log.readStream(streamId);
      expect(events.map((e) => [e.type, e.data])).toEqual([
        ['ServiceIdentifierClaimed', { filingId: 'filing-1' }],
      ]);
      expect(verifyRegistryChain(streamId, events)).toEqual([]);
    }
  });

  it('refuses an identifier of an open filing, naming it to its own platform only; nothing is written', async () => {
    const log = openLog();
    const claims = new IdentifierClaims(log);
    const holder = await recordedFiling(log, 'waiting_in_platform_review');
    await claims.claim(
      platform(holder.platformId),
      holder.filingId,
      app('com.a.android', 'com.a.ios', 'com.a.hm'),
      NOW,
    );
    // The newcomer's bundle and HarmonyOS package are free; its Android package is the holder's.
    const newcomer = app('com.a.android', 'com.b.ios', 'com.b.hm');

    const toOwner = await refusal(claims.claim(platform(holder.platformId), 'filing-2', newcomer, NOW));
    expect(toOwner).toMatchObject({
      status: 409,
      errors: [{ path: 'app.platforms.0.packageName', rule: 'identifier_in_open_filing' }],
      conflicts: [{ path: 'app.platforms.0.packageName', filingId: holder.filingId }],
    });
    const toOther = await refusal(claims.claim(platform('another-platform'), 'filing-3', newcomer, NOW));
    expect(toOther).toMatchObject({
      status: 409,
      errors: [{ path: 'app.platforms.0.packageName', rule: 'identifier_taken' }],
    });
    expect(toOther).not.toHaveProperty('conflicts');
    expect(JSON.stringify(toOther)).not.toContain(holder.filingId);

    expect(await log.readStream(identifierStreamId({ kind: 'bundle', bundleId: 'com.b.ios' }))).toEqual([]);
    expect(await log.readStream(identifierStreamId({ kind: 'package', packageName: 'com.b.hm' }))).toEqual(
      [],
    );
  });

  it('refuses an identifier of a registered service, naming its number to its own platform', async () => {
    const log = openLog();
    const claims = new IdentifierClaims(log);
    const holder = await recordedFiling(log, 'completed');
    await claims.claim(platform(holder.platformId), holder.filingId, quickApp('com.kuai.game'), NOW);

    const problem = await refusal(
      claims.claim(platform(holder.platformId), 'filing-2', quickApp('COM.Kuai.Game'), NOW),
    );
    expect(problem).toMatchObject({
      errors: [{ path: 'app.quickAppPackage', rule: 'identifier_registered' }],
      conflicts: [{ path: 'app.quickAppPackage', serviceNumber: holder.registration?.serviceNumber }],
    });
    expect(await log.readStream(packageStream('com.kuai.game'))).toHaveLength(1);
  });

  it.each<[string, FilingPath]>([
    ['rejection', 'bureau_rejected'],
    ['withdrawal', 'withdrawn_after_return'],
  ])('lets another filing claim what a %s released', async (_why, path) => {
    const log = openLog();
    const claims = new IdentifierClaims(log);
    const holder = await recordedFiling(log, path);
    await claims.claim(platform(holder.platformId), holder.filingId, quickApp('com.kuai.reader'), NOW);

    await claims.claim(platform('another-platform'), 'filing-2', quickApp('com.kuai.reader'), NOW);
    const events = await log.readStream(packageStream('com.kuai.reader'));
    expect(events.map((e) => e.data)).toEqual([{ filingId: holder.filingId }, { filingId: 'filing-2' }]);
  });

  it('lets another filing claim what a cancelled service released, and a change keep its own', async () => {
    const log = openLog();
    const claims = new IdentifierClaims(log);
    const holder = await recordedFiling(log, 'completed');
    const serviceNumber = holder.registration?.serviceNumber ?? '';
    await claims.claim(platform(holder.platformId), holder.filingId, quickApp('com.kuai.closed'), NOW);
    await claims.claim(platform(holder.platformId), holder.filingId, quickApp('com.kuai.kept'), NOW);

    // A change filing of the holder's service keeps its package: nothing appended.
    await claims.claim(
      platform(holder.platformId),
      'change-1',
      quickApp('com.kuai.kept'),
      NOW,
      serviceNumber,
    );
    expect(await log.readStream(packageStream('com.kuai.kept'))).toHaveLength(1);

    // The service is cancelled: the registry releases the package; a new filing may claim it.
    const streamId = packageStream('com.kuai.closed');
    const stored = await log.readStream(streamId);
    const released = sealRegistryEvent(
      streamId,
      registryStreamHead(stored),
      { type: 'ServiceIdentifierReleased', data: { serviceNumber, filingId: 'cancel-1' } },
      {
        occurredAt: NOW.toISOString(),
        recordedBy: { role: 'system', id: 'registry-updater' },
        causationId: 'cancel-1',
      },
    );
    await log.appendToStream(streamId, [released.envelope], { expectedRevision: 0 });
    await claims.claim(platform('another-platform'), 'filing-2', quickApp('com.kuai.closed'), NOW);
    const events = await log.readStream(streamId);
    expect(events.map((e) => e.type)).toEqual([
      'ServiceIdentifierClaimed',
      'ServiceIdentifierReleased',
      'ServiceIdentifierClaimed',
    ]);
    expect(events[2]?.data).toEqual({ filingId: 'filing-2' });
    expect(verifyRegistryChain(streamId, events)).toEqual([]);
  });

  it('holds a claim whose filing is not recorded yet for 10 minutes, then lets it go stale', async () => {
    const log = openLog();
    const claims = new IdentifierClaims(log);
    await claims.claim(platform('wechat'), 'in-flight', quickApp('com.kuai.one'), minutesBefore(9));
    await claims.claim(platform('wechat'), 'abandoned', quickApp('com.kuai.two'), minutesBefore(11));

    // In flight: its platform is not known yet, so not even the same platform is told which filing.
    const problem = await refusal(
      claims.claim(platform('wechat'), 'filing-2', quickApp('com.kuai.one'), NOW),
    );
    expect(problem).toMatchObject({ errors: [{ rule: 'identifier_taken' }] });
    await claims.claim(platform('wechat'), 'filing-3', quickApp('com.kuai.two'), NOW);
    const events = await log.readStream(packageStream('com.kuai.two'));
    expect(events.map((e) => e.data)).toEqual([{ filingId: 'abandoned' }, { filingId: 'filing-3' }]);
  });

  it('lets exactly one of many concurrent submissions of one package win', async () => {
    const writers = [openLog(), openLog()].map((log) => new IdentifierClaims(log));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        writers[i % 2]!.claim(platform(`p${i}`), `filing-${i}`, quickApp('com.kuai.race'), NOW),
      ),
    );
    const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [`filing-${i}`] : []));
    expect(won).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect((outcome.reason as ProblemException).problem).toMatchObject({ status: 409 });
      }
    }
    const events = await openLog().readStream(packageStream('com.kuai.race'));
    expect(events.map((e) => e.data)).toEqual([{ filingId: won[0] }]);
  });
});
