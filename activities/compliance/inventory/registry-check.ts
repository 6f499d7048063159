import type { ReadModelQueries, RegistryServiceRow } from '../../../events/ports/read-models.port';
import { identifierKeyOf, type VerificationRequest } from '../../../events/registry/verification';

/** Keys per `servicesByIdentifiers` call: large enough to be few statements, small enough to bind. */
export const IDENTIFIER_CHUNK = 1_000;

export type RegistryIdentifierQueries = Pick<ReadModelQueries, 'servicesByIdentifiers'>;

const keyText = (kind: string, value: string) => `${kind}\u0000${value}`;

/**
 * The registry's services carrying each request's identifier (any status, any signing key), one list
 * per request in order, looked up `IDENTIFIER_CHUNK` keys at a time.
 */
export async function servicesCarrying(
  queries: RegistryIdentifierQueries,
  requests: readonly VerificationRequest[],
): Promise<RegistryServiceRow[][]> {
  const carrying = new Map<string, RegistryServiceRow[]>();
  const keys = requests.map(identifierKeyOf);
  for (let start = 0; start < keys.length; start += IDENTIFIER_CHUNK) {
    const matches = await queries.servicesByIdentifiers(keys.slice(start, start + IDENTIFIER_CHUNK));
    for (const { kind, value, service } of matches) {
      const key = keyText(kind, value);
      const rows = carrying.get(key) ?? [];
      if (!rows.some((row) => row.serviceNumber === service.serviceNumber)) rows.push(service);
      carrying.set(key, rows);
    }
  }
  return keys.map(({ kind, value }) => carrying.get(keyText(kind, value)) ?? []);
}
