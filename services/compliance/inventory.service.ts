import { Inject, Injectable } from '@nestjs/common';
import { type ComplianceParty, partyOfActor, sameParty } from '../../events/compliance/compliance-party';
import type { InventoryLine, InventoryReport } from '../../events/compliance/inventory/inventory';
import type { Actor } from '../../events/filing/actor';
import type { ComplianceStore, InventoryReporter } from '../../events/ports/compliance-store.port';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { genericProblem, ProblemException, ValidationProblem } from '../http/problem-details';
import { COMPLIANCE_STORE, INVENTORY_REPORTER } from '../tokens';

/** The party an actor reports for; the guard admits only party roles, so none is a setup fault. */
export function reportingParty(actor: Actor): ComplianceParty {
  const party = partyOfActor(actor);
  if (!party) throw new ProblemException(genericProblem(403, 'the token names no ISP or organisation'));
  return party;
}

@Injectable()
export class InventoryService {
  constructor(
    @Inject(INVENTORY_REPORTER) private readonly reporter: InventoryReporter,
    @Inject(COMPLIANCE_STORE) private readonly store: ComplianceStore,
  ) {}

  /** Checks and records the actor's party's inventory as of `reportedOn` (default: today, China time). */
  async report(
    actor: Actor,
    reportedOnGiven: string | undefined,
    lines: readonly InventoryLine[],
    causationId: string,
  ): Promise<{ report: InventoryReport; created: boolean }> {
    const party = reportingParty(actor);
    const today = chinaDateOfEpochMs(Date.now());
    const reportedOn = reportedOnGiven ?? today;
    if (reportedOn > today) {
      throw new ValidationProblem([
        { path: 'reportedOn', rule: 'not_in_future', message: `reportedOn must not be after ${today}` },
      ]);
    }
    return this.reporter.reportInventory({
      party,
      reportedOn,
      lines,
      recordedBy: { role: party.role, id: actor.id },
      causationId,
    });
  }

  /** Reports, newest first: a party sees only its own, the bureaus, auditors and admins every party's. */
  async list(
    actor: Actor,
    filter: { party?: ComplianceParty; reportedOn?: string },
  ): Promise<InventoryReport[]> {
    const own = partyOfActor(actor);
    if (own && filter.party && !sameParty(own, filter.party)) {
      throw new ProblemException(genericProblem(403, 'a party sees only its own inventories'));
    }
    return this.store.listReports({ ...filter, ...(own && { party: own }) });
  }
}
