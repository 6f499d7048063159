import { createHash, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import type { ServiceRegisteredData, SubjectRegisteredData } from '../../events/registry/registry-events';
import { serviceStreamId, subjectStreamId } from '../../events/registry/registry-streams';
import type { ReadModelStore } from '../../events/ports/read-models.port';

/**
 * A generated registry of apps for the verification benchmark: subject i (0-based) holds services
 * `-1A` … `-10A`, each an Android package (`com.bench.s<i>.a<n>`, signing MD5 derived from the name)
 * and a domain. Rows are written fast: events straight into the SQLite log's table (one transaction
 * per chunk), and the same events through the registry projection's `applyBatch` into the read
 * models, as the projector would. Deterministic, so the bench knows every identifier it may ask.
 */
export const SERVICES_PER_SUBJECT = 10;
const PROVINCE = '440000';
const CHUNK = 2_000;

export const subjectNumberOf = (subject: number): string =>
  `粤ICP备2026${String(subject + 1).padStart(6, '0')}号`;
export const packageNameOf = (service: number): string =>
  `com.bench.s${Math.floor(service / SERVICES_PER_SUBJECT)}.a${(service % SERVICES_PER_SUBJECT) + 1}`;
export const signatureMd5Of = (packageName: string): string =>
  createHash('md5').update(packageName).digest('hex');

const digestOf = (subject: number): string => createHash('sha256').update(`bench-${subject}`).digest('hex');

function subjectEvent(subject: number): Pick<RecordedEvent, 'streamId' | 'type' | 'data'> {
  const data: SubjectRegisteredData = {
    subjectKeyDigest: digestOf(subject),
    provinceCode: PROVINCE,
    subjectNumber: subjectNumberOf(subject),
    source: 'allocated',
    operatorName: `基准科技${subject}有限公司`,
    operatorNature: 'enterprise',
    certificateType: 'uscc',
  };
  return { streamId: subjectStreamId(PROVINCE, digestOf(subject)), type: 'SubjectRegistered', data };
}

function serviceEvent(service: number): Pick<RecordedEvent, 'streamId' | 'type' | 'data'> {
  const subject = Math.floor(service / SERVICES_PER_SUBJECT);
  const serviceNumber = `${subjectNumberOf(subject)}-${(service % SERVICES_PER_SUBJECT) + 1}A`;
  const packageName = packageNameOf(service);
  const data: ServiceRegisteredData = {
    serviceNumber,
    subjectNumber: subjectNumberOf(subject),
    serviceType: 'app',
    name: `基准应用${service}`,
    identifiers: {
      packages: [{ os: 'android', packageName, signatureMd5: signatureMd5Of(packageName) }],
      bundles: [],
      domains: [`s${service}.bench.example.cn`],
    },
    preApprovalCategories: [],
    approvedOn: '2026-12-01',
    operatorName: `基准科技${subject}有限公司`,
    operatorNature: 'enterprise',
    filingId: `bench-f-${service}`,
    source: 'filing',
  };
  return { streamId: serviceStreamId(serviceNumber), type: 'ServiceRegistered', data };
}

/** The events registering services [from, to) (from and to multiples of SERVICES_PER_SUBJECT). */
function* registryEvents(
  from: number,
  to: number,
): Generator<Pick<RecordedEvent, 'streamId' | 'type' | 'data'>> {
  for (let service = from; service < to; service += 1) {
    if (service % SERVICES_PER_SUBJECT === 0) yield subjectEvent(service / SERVICES_PER_SUBJECT);
    yield serviceEvent(service);
  }
}

/**
 * Registers services [from, to) in the SQLite log at `logFile` (already created by SqliteEventLog)
 * and in the read models' registry projection. Returns the number of events written.
 */
export async function seedRegistry(
  logFile: string,
  store: ReadModelStore,
  range: { from: number; to: number },
): Promise<number> {
  const db = new Database(logFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO events (position, stream_id, revision, id, type, data, metadata, recorded_at)
     VALUES (@position, @streamId, 0, @id, @type, @data, @metadata, @recordedAt)`,
  );
  const writeChunk = db.transaction((events: RecordedEvent[]) => {
    for (const event of events)
      insert.run({ ...event, data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) });
  });
  const last = db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events').get() as { head: number };
  let position = last.head;
  let written = 0;
  let chunk: RecordedEvent[] = [];
  const flush = async (): Promise<void> => {
    writeChunk(chunk);
    await store.live('registry').applyBatch(chunk);
    written += chunk.length;
    chunk = [];
    // Both writes are synchronous: let timers run (the bench's stall watchdog among them).
    await new Promise((resolve) => setImmediate(resolve));
  };
  const recordedAt = new Date().toISOString();
  try {
    for (const event of registryEvents(range.from, range.to)) {
      position += 1;
      chunk.push({
        ...event,
        position,
        revision: 0,
        id: randomUUID(),
        metadata: { schemaVersion: 1 },
        recordedAt,
      });
      if (chunk.length >= CHUNK) await flush();
    }
    if (chunk.length > 0) await flush();
  } finally {
    db.close();
  }
  return written;
}
