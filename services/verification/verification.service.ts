import { Inject, Injectable } from '@nestjs/common';
import type { ReadModelQueries, RegistryVerifiedService } from '../../events/ports/read-models.port';
import { displayOf, type ServiceDisplay } from '../../events/registry/display';
import {
  identifierKeyOf,
  verify,
  type VerificationAnswer,
  type VerificationRequest,
} from '../../events/registry/verification';
import type { FieldError, Parsed } from '../http/request-fields';
import { READ_MODELS } from '../tokens';

/** An answer; when `registered`, with what the app must show (so a store lists it in one call). */
export type DisplayedAnswer = VerificationAnswer & { display?: ServiceDisplay };

/** One batch item's result: the answer, or why the item could not be asked. */
export type BatchItemResult = DisplayedAnswer | { errors: FieldError[] };

function withDisplay(answer: VerificationAnswer): DisplayedAnswer {
  return answer.status === 'registered' && answer.serviceNumber !== undefined
    ? { ...answer, display: displayOf(answer.serviceNumber) }
    : answer;
}

const keyText = (kind: string, value: string) => `${kind}\u0000${value}`;

/**
 * Answers third parties from the registry read model. Every answer is built here, as a plain object,
 * so whatever signs or otherwise wraps answers wraps them all alike.
 */
@Injectable()
export class VerificationService {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  async check(request: VerificationRequest): Promise<DisplayedAnswer> {
    const [result] = await this.checkAll([{ ok: true, value: request }]);
    return result as DisplayedAnswer;
  }

  /** One result per item, in order; every valid item's identifier is looked up in one query. */
  async checkAll(items: ReadonlyArray<Parsed<VerificationRequest>>): Promise<BatchItemResult[]> {
    const requests = items.flatMap((item) => (item.ok ? [item.value] : []));
    const matches = await this.readModels.verificationMatches(requests.map(identifierKeyOf));
    const carrying = new Map<string, RegistryVerifiedService[]>();
    for (const { kind, value, service } of matches) {
      const key = keyText(kind, value);
      const services = carrying.get(key);
      if (services) services.push(service);
      else carrying.set(key, [service]);
    }
    const checkedAt = new Date().toISOString();
    return items.map((item) => {
      if (!item.ok) return { errors: item.errors };
      const { kind, value } = identifierKeyOf(item.value);
      return withDisplay(verify(item.value, carrying.get(keyText(kind, value)) ?? [], checkedAt));
    });
  }
}
