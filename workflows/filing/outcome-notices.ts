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
 * The applicant's notices of a run's outcomes (`noticeOf`), each sent by its own `notifyOutcome`
 * as soon as its event is recorded. The run does not wait for them between its steps: a notice's
 * return schedules nothing, so it can never reorder a decision's commands on replay (see
 * `FilingRun.refuseWhileSettling`) and needs no settling. The run waits for them before it ends.
 */
export class OutcomeNotices {
  private readonly sending: Array<Promise<void>> = [];

  constructor(private readonly filingId: string) {}

  /** `event`, recorded at `seq`, folded to `stateAfter`: sends its notice if it has one. */
  announce(event: FilingEvent, stateAfter: FilingState, seq: number): void {
    if (stateAfter.status === 'not_submitted') return;
    const notice = noticeOf(event, stateAfter);
    if (!notice || !patched(OUTCOME_NOTICES_PATCH)) return;
    const { filingId } = this;
    const sent = noticeActivity.notifyOutcome({ filingId, seq, notice, to: noticeRecipientOf(stateAfter) });
    // Retried for a day; a notice that still fails is given up on (the outcome itself is recorded).
    const failed = () => log.warn('outcome notice not sent', { filingId, seq, template: notice.template });
    this.sending.push(sent.then(() => undefined, failed));
  }

  /** Every notice announced has been sent (or given up on). */
  async sent(): Promise<void> {
    await Promise.all(this.sending);
  }
}
