import type { RegistryLookup } from '../../events/ports/read-models.port';
import { atLeastOneGiven, pageFields, queryOf, withDefaultLimit } from '../http/query-parameters';
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

/** What the registry's services may be looked up by; each exact but `name` (part of the app or operator name). */
const SERVICE_KEYS = [
  'serviceNumber',
  'subjectNumber',
  'name',
  'packageName',
  'bundleId',
  'miniProgramId',
  'quickAppPackage',
  'domain',
] as const;

/** A lookup as the read model takes it; the public may not choose the status (subjectNumber: the subject and its active services). */
export type PublicServicesQuery = Omit<RegistryLookup, 'status'>;

export const publicServicesQuery = queryOf(
  {
    ...(Object.fromEntries(SERVICE_KEYS.map((key) => [key, name])) as Record<
      (typeof SERVICE_KEYS)[number],
      typeof name
    >),
    ...pageFields('registry-services-cursor'),
  },
  [atLeastOneGiven(SERVICE_KEYS)],
);

export function parsePublicServices(input: unknown): Parsed<PublicServicesQuery> {
  const parsed = publicServicesQuery.parse(input);
  return parsed.ok ? { ok: true, value: withDefaultLimit(parsed.value) } : parsed;
}
