import { NON_BLANK_PATTERN } from '../../events/form/schema/json-schema';
import { jsonBody } from '../http/request-bodies';
import type { RequestRule } from '../http/request-object';
import { type Parsed, required, textField } from '../http/request-fields';

/** The longest reason an ISP may give for withdrawing its access, in characters. */
export const MAX_WITHDRAWAL_REASON = 500;

/** The reason must say something: not empty, not only spaces. */
const reasonNotBlank: RequestRule = {
  schema: { properties: { reason: { type: 'string', pattern: NON_BLANK_PATTERN } } },
  check(raw, errors) {
    if (typeof raw.reason === 'string' && raw.reason.trim() === '') {
      errors.push({ path: 'reason', rule: 'required', message: 'reason must not be blank' });
    }
  },
};

/** `POST /v1/registry/services/{serviceNumber}/access-withdrawals`: `{reason}`, 1–500 characters. */
export const accessWithdrawalBody = jsonBody(
  { reason: required(textField({ max: MAX_WITHDRAWAL_REASON })) },
  [reasonNotBlank],
);

export function parseAccessWithdrawal(body: unknown): Parsed<{ reason: string }> {
  return accessWithdrawalBody.parse(body) as Parsed<{ reason: string }>;
}
