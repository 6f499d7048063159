import { SYSTEM_ACTOR } from '../../events/filing/actor';
import { verifyFilingChain } from '../../events/filing/envelope';
import { evolve, foldFiling } from '../../events/filing/evolve';
import type { FilingEnvelope, FilingEventType } from '../../events/filing/filing-events';
import { type FilingState, initialFilingState } from '../../events/filing/filing-state';
import { filingStreamId } from '../../events/filing/stream-ids';
import { isLegalTransition } from '../../events/filing/transitions';
import { domicileProvinceOf } from '../../events/form/domicile-province';
import { validateRegistrationForm } from '../../events/form/validate-form';
import { parseRegistrationNumber, serviceSuffix } from '../../events/registration-number';
import { addWorkingDays, workingDaysBetween } from '../../events/working-days/add-working-days';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import {
  BUREAU_REVIEW_WORKING_DAYS,
  PLATFORM_REVIEW_WORKING_DAYS,
  SMS_VERIFICATION_WINDOW_MS,
} from '../../events/working-days/sla';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import type { AppendResult, EventLog, EventToAppend } from '../../events/ports/event-log.port';
import {
  appendFilingHistories,
  APPLICANT,
  bureauOfficers,
  countEvents,
  DEFAULT_PATH_MIX,
  FILING_PATHS,
  filingHistories,
  FINAL_STATUS_OF_PATH,
  type GeneratedFiling,
  generateFilingHistories,
  platformReviewers,
  platformSubmitter,
} from './filing-histories';
import { generateSubmission, uniqueAppName } from './generated-forms';
import { SeededRandom } from './seeded-random';

const calendar = loadChineseCalendar();
/** Every path three times over. */
const everyPath = generateFilingHistories({ count: FILING_PATHS.length * 3, seed: 11, paths: FILING_PATHS });
const defaultMix = generateFilingHistories({ count: 240, seed: 5 });
const all = [...everyPath, ...defaultMix];

const ms = (iso: string): number => Date.parse(iso);
const eventsOf = (filing: GeneratedFiling, type: FilingEventType): FilingEnvelope[] =>
  filing.envelopes.filter((envelope) => envelope.type === type);

describe('generateFilingHistories', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateFilingHistories({ count: 240, seed: 5 });
    expect(again).toEqual(defaultMix);
    const other = generateFilingHistories({ count: 3, seed: 6 });
    expect(other.map((filing) => filing.filingId)).not.toEqual(
      defaultMix.slice(0, 3).map((filing) => filing.filingId),
    );
  });

  it('generates lazily the same filings it returns as an array', () => {
    const lazy = filingHistories({ count: 240, seed: 5 });
    let index = 0;
    for (const filing of lazy) expect(filing).toEqual(defaultMix[index++]);
    expect(index).toBe(240);
  });

  it('gives every filing its own UUIDv5 id, stream and Chinese app name', () => {
    const ids = new Set(all.map((filing) => filing.filingId));
    expect(ids.size).toBe(all.length);
    for (const filing of all) {
      expect(filing.filingId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(filing.streamId).toBe(filingStreamId(filing.filingId));
      expect(filing.appName).toMatch(/^\p{Script=Han}{4}/u);
    }
    expect(new Set(defaultMix.map((filing) => filing.appName)).size).toBe(defaultMix.length);
  });

  it('makes app names unique far beyond a benchmark’s count', () => {
    const names = new Set<string>();
    const count = 150_000; // past the 131,072 names of one lap
    for (let index = 0; index < count; index += 1) names.add(uniqueAppName(index, 5));
    expect(names.size).toBe(count);
  });

  it('brings every path to its declared final status, by the domain’s own fold', () => {
    for (const filing of all) {
      expect({ path: filing.path, status: foldFiling(filing.envelopes).status }).toEqual({
        path: filing.path,
        status: FINAL_STATUS_OF_PATH[filing.path],
      });
      expect(filing.finalStatus).toBe(FINAL_STATUS_OF_PATH[filing.path]);
    }
  });

  it('takes paths in turn, and every path within any 40 filings of the default mix', () => {
    expect(everyPath.map((filing) => filing.path)).toEqual([
      ...FILING_PATHS,
      ...FILING_PATHS,
      ...FILING_PATHS,
    ]);
    expect(DEFAULT_PATH_MIX).toHaveLength(40);
    for (let start = 0; start + 40 <= defaultMix.length; start += 13) {
      const window = defaultMix.slice(start, start + 40).map((filing) => filing.path);
      expect(new Set(window)).toEqual(new Set(FILING_PATHS));
    }
  });

  it('seals every stream into an intact hash chain', () => {
    for (const filing of all) expect(verifyFilingChain(filing.filingId, filing.envelopes)).toEqual([]);
  });

  it('records only legal transitions, grouped as one decide per append', () => {
    for (const filing of all) {
      let state: FilingState = initialFilingState;
      for (const envelope of filing.envelopes) {
        expect(isLegalTransition(state.status, envelope.type)).toBe(true);
        state = evolve(state, envelope);
      }
      expect(filing.transitionSizes.reduce((sum, size) => sum + size, 0)).toBe(filing.envelopes.length);
      let seq = 0;
      for (const size of filing.transitionSizes) {
        const transition = filing.envelopes.slice(seq, seq + size);
        expect(new Set(transition.map((envelope) => envelope.metadata.occurredAt)).size).toBe(1);
        expect(new Set(transition.map((envelope) => envelope.metadata.causationId)).size).toBe(1);
        seq += size;
      }
    }
  });

  it('has each event recorded by the role that causes it, within its scope', () => {
    for (const filing of all) {
      const platformStaff = [platformSubmitter(filing.platformId), ...platformReviewers(filing.platformId)];
      const allowed = {
        platform: platformStaff.map((actor) => actor.id),
        bureau: bureauOfficers(filing.province).map((actor) => actor.id),
        system: [SYSTEM_ACTOR.id],
        applicant: [APPLICANT.id],
      };
      for (const envelope of filing.envelopes) {
        const role = expectedRole(envelope);
        expect({ type: envelope.type, role: envelope.metadata.actor.role }).toEqual({
          type: envelope.type,
          role,
        });
        expect(allowed[role]).toContain(envelope.metadata.actor.id);
        expect(envelope.metadata.correlationId).toBe(filing.filingId);
      }
    }
  });

  it('moves time forward within each stream, from the submission on', () => {
    for (const filing of all) {
      expect(filing.envelopes[0]?.metadata.occurredAt).toBe(filing.submittedAt);
      const times = filing.envelopes.map((envelope) => ms(envelope.metadata.occurredAt));
      times.forEach((time, index) => expect(time).toBeGreaterThanOrEqual(times[index - 1] ?? time));
    }
  });

  it('submits filings in order, one interval apart on average', () => {
    const submitted = defaultMix.map((filing) => ms(filing.submittedAt));
    submitted.forEach((time, index) => expect(time).toBeGreaterThanOrEqual(submitted[index - 1] ?? time));
    expect(defaultMix[0]?.submittedAt.startsWith('2026-09-14T01:')).toBe(true);
  });

  it('counts review deadlines in working days, as the deadline activity does', () => {
    for (const filing of all) {
      for (const [type, workingDays] of [
        ['PlatformReviewStarted', PLATFORM_REVIEW_WORKING_DAYS],
        ['BureauReviewStarted', BUREAU_REVIEW_WORKING_DAYS],
      ] as const) {
        for (const started of eventsOf(filing, type)) {
          const data = started.data as { dueAt: string; provisional: boolean; workingDays: number };
          expect(data.workingDays).toBe(workingDays);
          const at = started.metadata.occurredAt;
          // The activity counts from the moment it is asked, a few hundred ms before the event.
          const possible = [at, new Date(ms(at) - 600).toISOString()].map(
            (from) => addWorkingDays(from, workingDays, calendar).dueAt,
          );
          expect(possible).toContain(data.dueAt);
          expect(workingDaysBetween(at, data.dueAt, calendar)).toBeGreaterThanOrEqual(workingDays - 1);
        }
      }
    }
  });

  it('decides reviews before their deadline, unless a timer flagged them overdue just after it', () => {
    for (const filing of all) {
      let dueAt = Infinity;
      let overdue = false;
      for (const envelope of filing.envelopes) {
        const at = ms(envelope.metadata.occurredAt);
        switch (envelope.type) {
          case 'PlatformReviewStarted':
          case 'BureauReviewStarted':
            dueAt = ms(envelope.data.dueAt);
            overdue = false;
            break;
          case 'PlatformReviewOverdue':
          case 'BureauReviewOverdue':
            expect(at).toBeGreaterThan(dueAt);
            expect(at - dueAt).toBeLessThan(2_000);
            overdue = true;
            break;
          case 'PlatformReviewApproved':
          case 'PlatformReviewRejected':
          case 'FilingReturnedForCorrection':
          case 'BureauReviewApproved':
          case 'BureauReviewRejected':
            if (!overdue) expect(at).toBeLessThan(dueAt);
            break;
          default:
            break;
        }
      }
    }
  });

  it('answers SMS codes within 24 hours, and expires them just after', () => {
    for (const filing of all) {
      let sentAt = 0;
      let expiresAt = 0;
      for (const envelope of filing.envelopes) {
        const at = ms(envelope.metadata.occurredAt);
        if (envelope.type === 'SmsVerificationSent') {
          sentAt = at;
          expiresAt = ms(envelope.data.expiresAt);
          expect(expiresAt - sentAt).toBeLessThanOrEqual(SMS_VERIFICATION_WINDOW_MS);
          expect(expiresAt - sentAt).toBeGreaterThan(SMS_VERIFICATION_WINDOW_MS - 2_000);
        }
        if (envelope.type === 'SmsVerified' || envelope.type === 'SmsVerificationFailed') {
          expect(at).toBeLessThan(expiresAt);
        }
        if (envelope.type === 'SmsVerificationExpired') {
          expect(at).toBeGreaterThanOrEqual(expiresAt);
          expect(at - expiresAt).toBeLessThan(2_000);
        }
      }
    }
  });

  it.each([
    ['every path', everyPath],
    ['the default mix', defaultMix],
  ])('issues unique registration numbers of the filing’s province and service type (%s)', (_, filings) => {
    const numbers = new Set<string>();
    for (const filing of filings) {
      const issued = eventsOf(filing, 'RegistrationNumberIssued');
      if (filing.finalStatus !== 'completed') {
        expect(issued).toEqual([]);
        continue;
      }
      const { subjectNumber, serviceNumber } = filing.registration ?? {
        subjectNumber: '',
        serviceNumber: '',
      };
      expect(issued.map((envelope) => envelope.data)).toEqual([{ subjectNumber, serviceNumber }]);
      const parsed = parseRegistrationNumber(serviceNumber);
      if (!parsed.ok) throw new Error(`${serviceNumber}: ${parsed.reason}`);
      expect(parsed.number.provinceCode).toBe(filing.province);
      expect(parsed.number.subjectNumber).toBe(subjectNumber);
      expect(serviceNumber.endsWith(`-1${serviceSuffix(filing.serviceType)}`)).toBe(true);
      const issuedAt = issued[0]?.metadata.occurredAt ?? '';
      if (parsed.number.format === 'icp' && !filingHasExistingSubject(filing)) {
        expect(parsed.number.year).toBe(Number(chinaDateOfEpochMs(ms(issuedAt)).slice(0, 4)));
      }
      numbers.add(subjectNumber);
    }
    expect(numbers.size).toBe(filings.filter((filing) => filing.finalStatus === 'completed').length);
  });

  it('spreads filings over several provinces, platforms and service types', () => {
    expect(new Set(defaultMix.map((filing) => filing.province)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(defaultMix.map((filing) => filing.platformId)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(defaultMix.map((filing) => filing.serviceType))).toEqual(new Set(['app', 'mini_program']));
  });

  it('rejects options it cannot honour', () => {
    expect(() => generateFilingHistories({ count: -1 })).toThrow(RangeError);
    expect(() => generateFilingHistories({ count: 1, paths: [] })).toThrow(RangeError);
    expect(() => generateFilingHistories({ count: 1, startAt: '2026-09-14 09:00' })).toThrow(RangeError);
  });
});

describe('generated forms', () => {
  it('validate without warnings, domiciled in the province the filing names', () => {
    for (let index = 0; index < 300; index += 1) {
      const submission = generateSubmission({
        index,
        seed: 3,
        filingId: `filing-${index}`,
        random: new SeededRandom(3, index),
        existingSubjectNumber: () => '粤ICP备2024000001号',
      });
      const result = validateRegistrationForm(submission.form, { submittedOn: '2026-09-14' });
      if (!result.ok) throw new Error(`form ${index}: ${JSON.stringify(result.errors)}`);
      expect(result.warnings).toEqual([]);
      expect(result.value.app.name).toBe(submission.appName);
      if (submission.fixture !== 'valid-existing-subject') {
        expect(domicileProvinceOf(result.value).code).toBe(submission.province);
      }
    }
  });

  it.each([
    ['every path', everyPath],
    ['the default mix', defaultMix],
  ])('carry the province of the FilingSubmitted event and a subject of their own (%s)', (_, filings) => {
    const subjects = new Set<string>();
    for (const filing of filings) {
      const submitted = filing.envelopes[0];
      if (submitted?.type !== 'FilingSubmitted') throw new Error('a stream must start with FilingSubmitted');
      expect(submitted.data.province).toBe(filing.province);
      expect(domicileProvinceOf(submitted.data.form).code).toBe(filing.province);
      const { form } = submitted.data;
      subjects.add(
        form.existingSubjectNumber ??
          (form.operator.nature === 'individual' ? form.operator.idNumber : form.operator.creditCode),
      );
    }
    expect(subjects.size).toBe(filings.length);
  });
});

describe('appendFilingHistories', () => {
  const filings = generateFilingHistories({ count: 30, seed: 2 });

  it('appends one transition at a time at the exact expected revision, round-robin', async () => {
    const log = new RecordingEventLog();
    const result = await appendFilingHistories(log, filings, { concurrentFilings: 10 });

    const transitions = filings.reduce((sum, filing) => sum + filing.transitionSizes.length, 0);
    expect(result).toEqual({ filings: 30, events: countEvents(filings), appends: transitions });
    expect(new Set(log.appends.slice(0, 10).map((append) => append.streamId)).size).toBe(10);
    for (const filing of filings) {
      const appends = log.appends.filter((append) => append.streamId === filing.streamId);
      expect(appends.map((append) => append.events.length)).toEqual(filing.transitionSizes);
      expect(appends.map((append) => append.expectedRevision)).toEqual(expectedRevisions(filing));
      expect(appends.flatMap((append) => append.events)).toEqual(filing.envelopes.map(toAppended));
    }
  });

  it('appends stream after stream without interleaving, and merges transitions when asked', async () => {
    const log = new RecordingEventLog();
    const result = await appendFilingHistories(log, filingHistories({ count: 30, seed: 2 }), {
      interleave: false,
      transitionsPerAppend: Infinity,
    });
    expect(result).toEqual({ filings: 30, events: countEvents(filings), appends: 30 });
    expect(log.appends.map((append) => append.streamId)).toEqual(filings.map((filing) => filing.streamId));
    expect(log.appends.every((append) => append.expectedRevision === 'no_stream')).toBe(true);
  });
});

function expectedRole(envelope: FilingEnvelope): 'platform' | 'bureau' | 'system' | 'applicant' {
  switch (envelope.type) {
    case 'FilingSubmitted':
    case 'PlatformReviewApproved':
    case 'PlatformReviewRejected':
    case 'FilingReturnedForCorrection':
    case 'FilingCorrected':
    case 'FilingResubmitted':
    case 'FilingWithdrawn':
      return 'platform';
    case 'BureauReviewApproved':
    case 'BureauReviewRejected':
      return 'bureau';
    case 'SmsVerificationFailed':
    case 'SmsVerified':
      return 'applicant';
    case 'FilingReturnedToPlatform':
      return envelope.data.reason === 'sms_attempts_exhausted' ? 'applicant' : 'system';
    default:
      return 'system';
  }
}

function filingHasExistingSubject(filing: GeneratedFiling): boolean {
  const submitted = filing.envelopes[0];
  return submitted?.type === 'FilingSubmitted' && submitted.data.form.existingSubjectNumber !== undefined;
}

function expectedRevisions(filing: GeneratedFiling): Array<number | 'no_stream'> {
  let seq = 0;
  return filing.transitionSizes.map((size) => {
    const expected = seq === 0 ? 'no_stream' : seq - 1;
    seq += size;
    return expected;
  });
}

function toAppended(envelope: FilingEnvelope): EventToAppend {
  return { id: envelope.id, type: envelope.type, data: envelope.data, metadata: envelope.metadata } as never;
}

/** Records appends and checks expected revisions like a real log; nothing else is needed here. */
class RecordingEventLog implements EventLog {
  readonly description = 'recording';
  readonly appends: Array<{
    streamId: string;
    expectedRevision: number | 'no_stream' | 'any';
    events: EventToAppend[];
  }> = [];
  private readonly revisions = new Map<string, number>();

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: number | 'no_stream' | 'any' },
  ): Promise<AppendResult> {
    const actual = this.revisions.get(streamId) ?? -1;
    const expected = options.expectedRevision === 'no_stream' ? -1 : options.expectedRevision;
    if (expected !== actual) throw new Error(`${streamId}: expected ${String(expected)}, at ${actual}`);
    this.appends.push({ streamId, expectedRevision: options.expectedRevision, events: [...events] });
    const next = actual + events.length;
    this.revisions.set(streamId, next);
    return { nextExpectedRevision: next, position: this.appends.length, alreadyAppended: false };
  }

  ping = unused;
  readStream = unused;
  readAll = unused;
  headPosition = unused;
  subscribeToAll = unused;
  close = unused;
}

function unused(): never {
  throw new Error('not used by appendFilingHistories');
}
