import { atLeastOneGiven, queryOf } from '../http/query-parameters';
import { type Parsed, textField } from '../http/request-fields';

const name = textField({ max: 512, tooLongRule: 'type' });

/** The public lookup: a registration number (exact), or part of an app or operator name; one at least. */
export const publicLookupQuery = queryOf({ number: name, appName: name, operatorName: name }, [
  atLeastOneGiven(['number', 'appName', 'operatorName']),
]);

export function parsePublicLookup(
  input: unknown,
): Parsed<{ number?: string; appName?: string; operatorName?: string }> {
  return publicLookupQuery.parse(input);
}
