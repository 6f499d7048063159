import {
  atLeastOneGiven,
  pageFields,
  type PageQuery,
  queryOf,
  withDefaultLimit,
} from '../http/query-parameters';
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

export interface PublicServicesQuery extends PageQuery {
  serviceNumber?: string;
  /** The subject and its active services. */
  subjectNumber?: string;
  name?: string;
  packageName?: string;
  bundleId?: string;
  miniProgramId?: string;
  quickAppPackage?: string;
  domain?: string;
}

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
