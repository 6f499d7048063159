import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { type ComplianceParty, partyKey } from '../../events/compliance/compliance-party';
import type { SweepItem, SweepSummary } from '../../events/compliance/inventory/sweep';
import type { Actor } from '../../events/filing/actor';
import type { ComplianceStore } from '../../events/ports/compliance-store.port';
import { genericProblem, ProblemException } from '../http/problem-details';
import { COMPLIANCE_STORE, TEMPORAL_CLIENT, TEMPORAL_TARGET, type TemporalTarget } from '../tokens';
import { deadlineSweepWorkflowId } from '../../workflows/compliance/sweep.definitions';
import type { deadlineSweepWorkflow } from '../../workflows/compliance/sweep.workflow';

/** A sweep of 100,000 lines takes seconds; past this the client is told to ask again (GET). */
const SWEEP_WAIT_MS = 5 * 60_000;

const SWEEP_NOT_FOUND = () => new ProblemException(genericProblem(404, 'no sweep as of that date'));

@Injectable()
export class SweepService {
  constructor(
    @Inject(COMPLIANCE_STORE) private readonly store: ComplianceStore,
    @Inject(TEMPORAL_TARGET) private readonly temporal: TemporalTarget,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  /** Runs the sweep through its workflow (a running one of that date is joined) and answers its summary. */
  run(actor: Actor, asOf: string): Promise<SweepSummary> {
    const workflowId = deadlineSweepWorkflowId(asOf);
    return this.client.withDeadline(Date.now() + SWEEP_WAIT_MS, async () => {
      try {
        const handle = await this.client.workflow.start<typeof deadlineSweepWorkflow>(
          'deadlineSweepWorkflow',
          {
            taskQueue: this.temporal.taskQueue,
            workflowId,
            args: [
              { asOf, requestedBy: { role: actor.role === 'admin' ? 'admin' : 'bureau', id: actor.id } },
            ],
            workflowIdConflictPolicy: 'USE_EXISTING',
            // A sweep again (after new reports) is a new run; its stream records it only if it differs.
            workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          },
        );
        return await handle.result();
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        return this.client.workflow.getHandle<typeof deadlineSweepWorkflow>(workflowId).result();
      }
    });
  }

  async get(asOf: string): Promise<SweepSummary> {
    const summary = await this.store.sweep(asOf);
    if (!summary) throw SWEEP_NOT_FOUND();
    return summary;
  }

  /** The sweep's items; a bureau sees only its province's. */
  async items(
    actor: Actor,
    asOf: string,
    filter: { province?: string; party?: ComplianceParty },
  ): Promise<SweepItem[]> {
    await this.get(asOf);
    if (actor.role === 'bureau' && filter.province !== undefined && filter.province !== actor.province) {
      throw new ProblemException(genericProblem(403, 'a bureau sees only its own province'));
    }
    const province = actor.role === 'bureau' ? actor.province : filter.province;
    return this.store.sweepItems(asOf, {
      ...(province !== undefined && { province }),
      ...(filter.party && { party: partyKey(filter.party) }),
    });
  }
}

const CSV_COLUMNS = [
  'province',
  'party',
  'kind',
  'value',
  'name',
  'deadline',
  'daysPast',
  'reportedOn',
] as const;

function csvCell(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  // A leading =, +, - or @ would be a formula to a spreadsheet: quoted and prefixed, it stays text.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The items as CSV (RFC 4180, a header line), as the bureau's export and `icp compliance sweep --csv`. */
export function sweepItemsCsv(items: readonly SweepItem[]): string {
  const lines = items.map((item) => CSV_COLUMNS.map((column) => csvCell(item[column])).join(','));
  return `${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
