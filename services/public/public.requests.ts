import { asRecord, onlyParameters, queryText } from '../http/query-parameters';
import type { FieldError, Parsed } from '../http/request-fields';

export function parsePublicLookup(
  input: unknown,
): Parsed<{ number?: string; appName?: string; operatorName?: string }> {
  const query = asRecord(input);
  const errors: FieldError[] = [];
  onlyParameters(query, ['number', 'appName', 'operatorName'], errors);
  const lookup = {
    number: queryText(query, 'number', errors),
    appName: queryText(query, 'appName', errors),
    operatorName: queryText(query, 'operatorName', errors),
  };
  if (errors.length === 0 && !lookup.number && !lookup.appName && !lookup.operatorName) {
    errors.push({ path: '$', rule: 'required', message: 'give number, appName or operatorName' });
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: lookup };
}
