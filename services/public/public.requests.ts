import { REGISTRY_SERVICE_STATUSES, type RegistryLookup } from '../../events/ports/read-models.port';
import { atLeastOneGiven, pageFields, queryOf, withDefaultLimit } from '../http/query-parameters';
import { choiceField, type Parsed, textField } from '../http/request-fields';

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

/**
 * A lookup as the read model takes it. Any status unless `status` narrows it (a number or an
 * identifier finds a cancelled service too); with subjectNumber and no status, its active services.
 */
export type PublicServicesQuery = RegistryLookup;

export const publicServicesQuery = queryOf(
  {
    ...(Object.fromEntries(SERVICE_KEYS.map((key) => [key, name])) as Record<
      (typeof SERVICE_KEYS)[number],
      typeof name
    >),
    status: choiceField(REGISTRY_SERVICE_STATUSES),
    ...pageFields('registry-services-cursor'),
  },
  [atLeastOneGiven(SERVICE_KEYS)],
);

export function parsePublicServices(input: unknown): Parsed<PublicServicesQuery> {
  const parsed = publicServicesQuery.parse(input);
  return parsed.ok ? { ok: true, value: withDefaultLimit(parsed.value) } : parsed;
}
