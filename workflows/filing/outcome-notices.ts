import { log, patched } from '@temporalio/workflow';
import type { FilingEvent } from '../../events/filing/filing-events';
import type { FilingState } from '../../events/filing/filing-state';
import { noticeOf, noticeRecipientOf } from '../../events/filing/outcome-notices';
import { noticeActivity } from './filing.activities';

/**
 * Runs recorded before outcome notices scheduled no `notifyOutcome`; replaying them must not either.
 * From the moment a run goes live on this code, its outcomes are told.
 */
const OUTCOME_NOTICES_PATCH = 'filing-outcome-notices';

/**
 * The applicant's notices of a run's outcomes (`noticeOf`), sent one after the other in the order
 * their events were recorded, each by its own `notifyOutcome`. The process does not wait for them
 * between its steps; the run waits for the last before it ends. A notice that returns while another
 * waits behind it schedules that one: the return counts as settling then (see
 * `FilingRun.refuseWhileSettling`), as any activity's return the process acts on does.
 */
export class OutcomeNotices {
  private tail: Promise<void> = Promise.resolve();
  private inFlight = 0;

  constructor(
    private readonly filingId: string,
    private readonly settle: () => void,
  ) {}

  /** `event`, recorded at `seq`, folded to `stateAfter`: sends its notice, if it has one, in turn. */
  announce(event: FilingEvent, stateAfter: FilingState, seq: number): void {
    if (stateAfter.status === 'not_submitted') return;
    const notice = noticeOf(event, stateAfter);
    if (!notice || !patched(OUTCOME_NOTICES_PATCH)) return;
    const { filingId } = this;
    const request = { filingId, seq, notice, to: noticeRecipientOf(stateAfter) };
    const behindAnother = this.inFlight > 0;
    this.inFlight += 1;
    // Retried for a day; a notice that still fails is given up on (the outcome itself is recorded).
    const failed = () => log.warn('outcome notice not sent', { filingId, seq, template: notice.template });
    this.tail = this.tail.then(async () => {
      if (behindAnother) this.settle();
      await noticeActivity.notifyOutcome(request).then(() => undefined, failed);
      this.inFlight -= 1;
    });
  }

  /** Every notice announced has been sent (or given up on). */
  sent(): Promise<void> {
    return this.tail;
  }
}
