import { ApplicationFailure } from '@temporalio/activity';
import type { ComplianceRecorder } from '../../../events/compliance/compliance-envelope';
import type { ComplianceParty } from '../../../events/compliance/compliance-party';
import { inspectionStreamId } from '../../../events/compliance/compliance-streams';
import type { InspectionCommand } from '../../../events/compliance/inspection/inspection-commands';
import { decideInspection } from '../../../events/compliance/inspection/inspection-decide';
import {
  InspectionDomainError,
  type InspectionErrorCode,
} from '../../../events/compliance/inspection/inspection-errors';
import type { FindingAnswer, FindingDecision } from '../../../events/compliance/inspection/inspection-events';
import {
  findingsOf,
  identifierKeyText,
  verificationRequestOf,
} from '../../../events/compliance/inspection/inspection-findings';
import { foldInspection, type InspectionState } from '../../../events/compliance/inspection/inspection-state';
import type { ComplianceInventories, InventoryLineRecord } from '../../../events/ports/compliance-store.port';
import type { EventLog } from '../../../events/ports/event-log.port';
import type { ReadModelQueries, RegistryServiceRow } from '../../../events/ports/read-models.port';
import { identifierKeyOf } from '../../../events/registry/verification';
import { addWorkingDays } from '../../../events/working-days/add-working-days';
import { chinaDateOfEpochMs } from '../../../events/working-days/china-time';
import type { WorkingDayCalendar } from '../../../events/working-days/working-day-calendar';
import { handleComplianceCommand } from '../compliance-commands';

export interface InspectionActivityDeps {
  eventLog: EventLog;
  calendar: WorkingDayCalendar;
  /** The registry's identifier index and the parties' inventories (the compliance store). */
  compliance?: {
    registry: Pick<ReadModelQueries, 'servicesByIdentifiers'>;
    store: ComplianceInventories;
  };
}

/** The stream after a command (its revision orders concurrent results), or why it was refused. */
export type InspectionStep =
  { state: InspectionState; revision: number } | { refused: InspectionErrorCode; message: string };

/** Who did it, when, and what caused it: sealed into every event the command appends. */
export interface InspectionActionContext {
  inspectionId: string;
  at: string;
  recordedBy: ComplianceRecorder;
  causationId: string;
}

export interface OpenInspectionInput extends InspectionActionContext {
  province: string;
  party: ComplianceParty;
  answerWithinWorkingDays: number;
  due: InspectionDue;
  note?: string;
}

export interface InspectionDue {
  dueAt: string;
  dueOn: string;
  provisional: boolean;
}

/** Lines asked of the registry per query. */
const LOOKUP_BATCH = 500;

async function carryingRows(
  readModels: Pick<ReadModelQueries, 'servicesByIdentifiers'>,
  lines: readonly InventoryLineRecord[],
): Promise<Map<string, RegistryServiceRow[]>> {
  const carrying = new Map<string, RegistryServiceRow[]>();
  for (let start = 0; start < lines.length; start += LOOKUP_BATCH) {
    const keys = lines
      .slice(start, start + LOOKUP_BATCH)
      .map((line) => identifierKeyOf(verificationRequestOf(line)));
    for (const { kind, value, service } of await readModels.servicesByIdentifiers(keys)) {
      const key = identifierKeyText({ kind, value });
      carrying.set(key, [...(carrying.get(key) ?? []), service]);
    }
  }
  return carrying;
}

/**
 * What the inspection workflow does outside its sandbox: the due date on the holiday calendar, the
 * findings from the party's inventory re-checked against the registry, and every append through
 * `handleComplianceCommand` (a retried activity decides on the stream as it is and appends nothing).
 */
export function createInspectionActivities(deps: InspectionActivityDeps) {
  function compliance() {
    if (!deps.compliance) throw new Error('inspections need the compliance store and the registry read side');
    return deps.compliance;
  }

  async function handle(
    context: InspectionActionContext,
    command: InspectionCommand,
  ): Promise<InspectionStep> {
    try {
      const { state, revision } = await handleComplianceCommand(deps.eventLog, {
        streamId: inspectionStreamId(context.inspectionId),
        fold: foldInspection,
        decide: (current) => decideInspection(command, current),
        context: { occurredAt: context.at, recordedBy: context.recordedBy, causationId: context.causationId },
      });
      return { state, revision };
    } catch (error) {
      if (error instanceof InspectionDomainError) return { refused: error.code, message: error.message };
      throw error;
    }
  }

  return {
    /** End of the n-th working day after `from`, China time (holidays and make-up days counted). */
    async inspectionDueDate(input: { from: string; workingDays: number }): Promise<InspectionDue> {
      const { dueAt, provisional } = addWorkingDays(input.from, input.workingDays, deps.calendar);
      return { dueAt, dueOn: chinaDateOfEpochMs(Date.parse(dueAt)), provisional };
    },

    async openInspection(input: OpenInspectionInput): Promise<InspectionStep> {
      const { registry, store } = compliance();
      const report = await store.latestReport(input.party);
      if (!report)
        throw ApplicationFailure.nonRetryable('the party never reported an inventory', 'no_inventory');
      const lines = await store.latestLines(input.party, { province: input.province });
      const findings = findingsOf(lines, await carryingRows(registry, lines), input.at);
      return handle(input, {
        type: 'OpenInspection',
        opening: {
          inspectionId: input.inspectionId,
          province: input.province,
          party: input.party,
          openedOn: chinaDateOfEpochMs(Date.parse(input.at)),
          answerWithinWorkingDays: input.answerWithinWorkingDays,
          ...input.due,
          inventory: { reportedOn: report.reportedOn, digest: report.digest },
          ...(input.note === undefined ? {} : { note: input.note }),
        },
        checkedAt: input.at,
        findings,
      });
    },

    recordFindingAnswer(
      input: InspectionActionContext & {
        findingId: string;
        answer: FindingAnswer;
        note?: string;
        serviceNumber?: string;
      },
    ): Promise<InspectionStep> {
      const { findingId, answer, note, serviceNumber } = input;
      return handle(input, {
        type: 'AnswerFinding',
        findingId,
        answer,
        ...(note === undefined ? {} : { note }),
        ...(serviceNumber === undefined ? {} : { serviceNumber }),
      });
    },

    escalateOverdueFindings(input: InspectionActionContext): Promise<InspectionStep> {
      return handle(input, { type: 'EscalateOverdueFindings', at: input.at });
    },

    recordFindingDecision(
      input: InspectionActionContext & { findingId: string; decision: FindingDecision; note: string },
    ): Promise<InspectionStep> {
      const { findingId, decision, note } = input;
      return handle(input, { type: 'DecideFinding', findingId, decision, note });
    },
  };
}

export type InspectionActivities = ReturnType<typeof createInspectionActivities>;
