import { expect } from '@jest/globals';
import type { InspectionCommand } from './inspection-commands';
import { decideInspection } from './inspection-decide';
import { InspectionDomainError, type InspectionErrorCode } from './inspection-errors';
import type { InspectionEvent, InspectionFinding, InspectionOpenedData } from './inspection-events';
import { evolveInspection, foldInspection, INITIAL_INSPECTION_STATE } from './inspection-state';
import { inspectionView } from './inspection-view';

/* given(history).when(command).then(events), as test/support/decider-spec.ts reads for filings. */
const EPOCH = Date.parse('2026-12-07T02:00:00.000Z');
const timed = (events: readonly InspectionEvent[], from = 0) =>
  events.map((event, i) => ({
    ...event,
    metadata: { occurredAt: new Date(EPOCH + (from + i) * 60_000).toISOString() },
  }));

function given(...history: InspectionEvent[]) {
  const state = foldInspection(timed(history));
  return {
    when(command: InspectionCommand) {
      return {
        then(...expected: InspectionEvent[]) {
          const produced = decideInspection(command, state);
          expect(produced).toEqual(expected);
          expect(() => timed(produced, history.length).reduce(evolveInspection, state)).not.toThrow();
        },
        thenThrows(code: InspectionErrorCode) {
          let thrown: unknown;
          try {
            decideInspection(command, state);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(InspectionDomainError);
          expect((thrown as InspectionDomainError).code).toBe(code);
        },
      };
    },
  };
}

const DUE_AT = '2026-12-21T15:59:59.999Z';
const OPENING: InspectionOpenedData = {
  inspectionId: 'insp-1',
  province: '440000',
  party: { role: 'store', id: 'huawei-appgallery' },
  openedOn: '2026-12-07',
  answerWithinWorkingDays: 10,
  dueAt: DUE_AT,
  dueOn: '2026-12-21',
  provisional: false,
  inventory: { reportedOn: '2026-12-01', digest: 'a'.repeat(64) },
};
const finding = (findingId: string, problem: InspectionFinding['problem']): InspectionFinding => ({
  findingId,
  lineNo: Number(findingId.slice(1)),
  kind: 'package',
  value: `com.example.${findingId}`,
  problem,
});
const FINDINGS = [finding('f1', 'unregistered'), finding('f2', 'mismatched')];
const opened: InspectionEvent = { type: 'InspectionOpened', data: OPENING };
const listed: InspectionEvent = {
  type: 'InspectionFindingsListed',
  data: { checkedAt: '2026-12-07T02:00:00.000Z', findings: FINDINGS },
};
const closed: InspectionEvent = { type: 'InspectionClosed', data: {} };
const answered = (findingId: string, answer: 'removed' | 'disputed', note?: string): InspectionEvent => ({
  type: 'FindingAnswered',
  data: { findingId, answer, ...(note ? { note } : {}) },
});
const escalated = (findingId: string): InspectionEvent => ({
  type: 'FindingEscalated',
  data: { findingId, reason: 'overdue', dueAt: DUE_AT },
});
const decided = (findingId: string): InspectionEvent => ({
  type: 'FindingDecided',
  data: { findingId, decision: 'upheld', note: '仍在分发' },
});
const open: InspectionCommand = {
  type: 'OpenInspection',
  opening: OPENING,
  checkedAt: '2026-12-07T02:00:00.000Z',
  findings: FINDINGS,
};
const answer = (findingId: string, a: 'removed' | 'disputed', note?: string): InspectionCommand => ({
  type: 'AnswerFinding',
  findingId,
  answer: a,
  ...(note ? { note } : {}),
});
const decide = (findingId: string): InspectionCommand => ({
  type: 'DecideFinding',
  findingId,
  decision: 'upheld',
  note: '仍在分发',
});

describe('opening an inspection', () => {
  it('records the opening and the findings listed', () => given().when(open).then(opened, listed));
  it('closes at once when no line has a problem', () =>
    given()
      .when({ ...open, findings: [] })
      .then(
        opened,
        { type: 'InspectionFindingsListed', data: { ...listed.data, findings: [] } } as InspectionEvent,
        closed,
      ));
  it('appends nothing when retried', () => given(opened, listed).when(open).then());
  it('refuses another inspection in the same stream', () =>
    given(opened, listed)
      .when({ ...open, opening: { ...OPENING, inspectionId: 'insp-2' } })
      .thenThrows('inspection_id_reused'));
});

describe('the party answers a finding', () => {
  it('records the answer; the last settling answer closes the inspection', () => {
    given(opened, listed).when(answer('f1', 'removed')).then(answered('f1', 'removed'));
    given(opened, listed, answered('f1', 'removed'))
      .when(answer('f2', 'removed'))
      .then(answered('f2', 'removed'), closed);
  });
  it('a dispute does not settle: the bureau decides it', () =>
    given(opened, listed, answered('f1', 'removed'))
      .when(answer('f2', 'disputed', '已备案'))
      .then(answered('f2', 'disputed', '已备案')));
  it('the same answer again appends nothing (a retried activity)', () =>
    given(opened, listed, answered('f1', 'removed')).when(answer('f1', 'removed')).then());
  it('refuses a second, different answer', () =>
    given(opened, listed, answered('f1', 'removed'))
      .when(answer('f1', 'disputed', 'x'))
      .thenThrows('finding_already_answered'));
  it('refuses an answer after the due date escalated it', () =>
    given(opened, listed, escalated('f1')).when(answer('f1', 'removed')).thenThrows('finding_escalated'));
  it('refuses an unknown finding and an unopened inspection', () => {
    given(opened, listed).when(answer('f9', 'removed')).thenThrows('finding_not_found');
    given().when(answer('f1', 'removed')).thenThrows('inspection_not_found');
  });
});

describe('the due date passes', () => {
  const at: InspectionCommand = { type: 'EscalateOverdueFindings', at: DUE_AT };
  it('escalates every unanswered finding, never a disputed one, and decides nothing', () =>
    given(opened, listed, answered('f2', 'disputed', '已下架'))
      .when(at)
      .then(escalated('f1')));
  it('escalates nothing twice', () =>
    given(opened, listed, escalated('f1'), escalated('f2')).when(at).then());
  it('refuses before the due date', () =>
    given(opened, listed)
      .when({ type: 'EscalateOverdueFindings', at: '2026-12-21T15:59:59.998Z' })
      .thenThrows('not_yet_due'));
});

describe('the bureau decides', () => {
  it('decides escalated and disputed findings; the last decision closes', () =>
    given(opened, listed, answered('f2', 'disputed', '已下架'), escalated('f1'), decided('f2'))
      .when(decide('f1'))
      .then(decided('f1'), closed));
  it('the same decision again appends nothing', () =>
    given(opened, listed, escalated('f1'), decided('f1')).when(decide('f1')).then());
  it('refuses an open or settled finding', () => {
    given(opened, listed).when(decide('f1')).thenThrows('finding_not_decidable');
    given(opened, listed, answered('f1', 'removed')).when(decide('f1')).thenThrows('finding_not_decidable');
  });
});

describe('the view', () => {
  it('is escalated while an escalated finding waits, closed once every finding settles', () => {
    const history = [opened, listed, escalated('f1')];
    expect(inspectionView(foldInspection(timed(history)))).toMatchObject({
      status: 'escalated',
      dueOn: '2026-12-21',
      findings: [
        { findingId: 'f1', state: 'escalated' },
        { findingId: 'f2', state: 'open' },
      ],
    });
    const after = foldInspection(timed([...history, answered('f2', 'removed'), decided('f1'), closed]));
    expect(inspectionView(after)?.status).toBe('closed');
    expect(inspectionView(INITIAL_INSPECTION_STATE)).toBeUndefined();
  });
});
