import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../events/filing/actor';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import type { RegistrationForm } from '../../events/form/registration-form';
import { EVENT_LOG } from '../tokens';
import { FilingNotFound } from '../http/problem-details';
import {
  type BureauFilingDetail,
  bureauFilingDetail,
  formOfHistory,
  provinceOfHistory,
  registeredVersionFilingOf,
} from './bureau-filing';

/** A filing's detail for its province's bureau, from the event log alone (no Temporal). Read-only. */
@Injectable()
export class BureauFilingService {
  constructor(@Inject(EVENT_LOG) private readonly eventLog: EventLog) {}

  /**
   * 404 when the log holds no such filing or it was submitted to another province: a bureau learns
   * nothing of filings outside its scope, not even that they exist. The scope is checked before the
   * history is folded, so a damaged stream elsewhere answers 404 too, not 500.
   */
  async detail(actor: Actor, filingId: string): Promise<BureauFilingDetail> {
    const recorded = await this.eventLog.readStream(filingStreamId(filingId));
    const province = provinceOfHistory(recorded);
    if (province === undefined || actor.province === undefined || province !== actor.province) {
      throw new FilingNotFound();
    }
    const detail = bureauFilingDetail(filingId, recorded, await this.registeredForm(recorded));
    if (!detail) throw new FilingNotFound();
    return detail;
  }

  /**
   * A change's or a new access's registered version: the form of the filing that made it, read from
   * the log as the filing itself is. That filing is of the same subject, hence the same province.
   */
  private async registeredForm(recorded: readonly RecordedEvent[]): Promise<RegistrationForm | undefined> {
    const baseFilingId = registeredVersionFilingOf(recorded);
    if (baseFilingId === undefined) return undefined;
    const base = await this.eventLog.readStream(filingStreamId(baseFilingId));
    return formOfHistory(baseFilingId, base);
  }
}
