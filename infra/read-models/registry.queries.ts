import {
  MAX_PAGE_SIZE,
  type Page,
  type RegistryIdentifierKey,
  type RegistryIdentifierMatch,
  type RegistryVerificationMatch,
  type RegistryLookup,
  type RegistryServiceRow,
  type RegistryServiceVersionRow,
  type RegistrySubjectRow,
  type ShellSubjectsQuery,
} from '../../events/ports/read-models.port';
import { provinceByCode } from '../../events/provinces';
import { decodeCursor, encodeCursor } from './page-cursor';
import { type ReadSql, first, strposOf } from './read-sql';
import {
  type RegistryIdentifierKind,
  type RegistryServiceRecord,
  type RegistryServiceVersionRecord,
  type RegistrySubjectRecord,
  toRegistryServiceRow,
  toRegistryServiceVersionRow,
  toRegistrySubjectRow,
} from './registry.records';

/** The registry's queries over the live tables (see ReadModelQueries for what each answers). */

export async function registrySubject(
  sql: ReadSql,
  subjectNumber: string,
): Promise<RegistrySubjectRow | undefined> {
  const record = await first<RegistrySubjectRecord>(
    sql,
    'SELECT * FROM registry_subjects WHERE subject_number = @subjectNumber',
    { subjectNumber },
  );
  return record && toRegistrySubjectRow(record);
}

export async function registryServiceVersions(
  sql: ReadSql,
  serviceNumber: string,
): Promise<RegistryServiceVersionRow[]> {
  const records = await sql.all<RegistryServiceVersionRecord>(
    'SELECT * FROM registry_service_versions WHERE service_number = @serviceNumber ORDER BY version',
    { serviceNumber },
  );
  return records.map(toRegistryServiceVersionRow);
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
  }
}

const SHELL_CURSOR_KIND = 'registry-shell-subjects';

/** A province's shell subjects not cancelled, by subject number (keyset). */
export async function shellSubjects(
  sql: ReadSql,
  query: ShellSubjectsQuery,
): Promise<Page<RegistrySubjectRow>> {
  checkLimit(query.limit);
  const params: Record<string, string | number> = { province: query.province, limit: query.limit + 1 };
  let after = '';
  if (query.cursor !== undefined) {
    const [subjectNumber] = decodeCursor(query.cursor, SHELL_CURSOR_KIND, ['string']);
    after = 'AND subject_number > @after';
    params.after = subjectNumber as string;
  }
  const records = await sql.all<RegistrySubjectRecord>(
    `SELECT * FROM registry_subjects
     WHERE province = @province AND shell_flagged_on IS NOT NULL AND status = 'active' ${after}
     ORDER BY subject_number LIMIT @limit`,
    params,
  );
  const items = records.slice(0, query.limit);
  const page: Page<RegistrySubjectRow> = { items: items.map(toRegistrySubjectRow) };
  const last = items.at(-1);
  if (records.length > query.limit && last !== undefined) {
    page.nextCursor = encodeCursor(SHELL_CURSOR_KIND, [last.subject_number]);
  }
  return page;
}

const IDENTIFIER_FILTERS: ReadonlyArray<[keyof RegistryLookup, RegistryIdentifierKind]> = [
  ['packageName', 'package'],
  ['bundleId', 'bundle'],
  ['miniProgramId', 'mini_program'],
  ['quickAppPackage', 'quick_app'],
  ['domain', 'domain'],
];

const CURSOR_KIND = 'registry-services';

/** The WHERE terms and parameters of a lookup; none when it names no criterion (an empty one is none). */
function lookupTerms(
  sql: ReadSql,
  lookup: RegistryLookup,
): { where: string[]; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (lookup.serviceNumber) {
    where.push('service_number = @serviceNumber');
    params.serviceNumber = lookup.serviceNumber;
  }
  if (lookup.subjectNumber) {
    where.push('subject_number = @subjectNumber');
    params.subjectNumber = lookup.subjectNumber;
  }
  const abbreviations = lookup.province ? (provinceByCode(lookup.province)?.abbreviations ?? []) : [];
  if (lookup.province) {
    const names = abbreviations.map((_, index) => `@province${index}`);
    where.push(`substr(subject_number, 1, 1) IN (${names.length > 0 ? names.join(', ') : "''"})`);
    abbreviations.forEach((abbreviation, index) => (params[`province${index}`] = abbreviation));
  }
  if (lookup.name) {
    const at = (column: string) => `${strposOf(sql.dialect, `lower(${column})`, '@name')} > 0`;
    where.push(`(${at('name')} OR ${at('operator_name')})`);
    params.name = lookup.name.toLowerCase();
  }
  for (const [field, kind] of IDENTIFIER_FILTERS) {
    const value = lookup[field];
    if (typeof value !== 'string' || value === '') continue;
    where.push(
      `EXISTS (SELECT 1 FROM registry_service_identifiers AS i WHERE i.kind = '${kind}' AND i.value = @${field}
               AND i.service_number = registry_services.service_number)`,
    );
    params[field] = kind === 'domain' ? value.toLowerCase() : value;
  }
  return { where, params };
}

/** Keyset order (subject number, sequence, service number): a subject's services in the order issued. */
export async function findRegistryServices(
  sql: ReadSql,
  lookup: RegistryLookup,
): Promise<Page<RegistryServiceRow>> {
  checkLimit(lookup.limit);
  const { where, params } = lookupTerms(sql, lookup);
  if (where.length === 0) return { items: [] };
  if (lookup.status !== undefined) {
    where.push('status = @status');
    params.status = lookup.status;
  }
  if (lookup.cursor !== undefined) {
    const [subject, sequence, service] = decodeCursor(lookup.cursor, CURSOR_KIND, [
      'string',
      'number',
      'string',
    ]);
    where.push('(subject_number, sequence, service_number) > (@afterSubject, @afterSequence, @afterService)');
    Object.assign(params, { afterSubject: subject, afterSequence: sequence, afterService: service });
  }
  const records = await sql.all<RegistryServiceRecord>(
    `SELECT * FROM registry_services WHERE ${where.join(' AND ')}
     ORDER BY subject_number, sequence, service_number LIMIT @limit`,
    { ...params, limit: lookup.limit + 1 },
  );
  const items = records.slice(0, lookup.limit);
  const page: Page<RegistryServiceRow> = { items: items.map(toRegistryServiceRow) };
  const last = items.at(-1);
  if (records.length > lookup.limit && last !== undefined) {
    page.nextCursor = encodeCursor(CURSOR_KIND, [last.subject_number, last.sequence, last.service_number]);
  }
  return page;
}

/** Values per statement: far below either backend's limit on bound parameters. */
const IDENTIFIER_CHUNK = 500;

/** Each distinct value of each kind, in chunks of at most IDENTIFIER_CHUNK. */
function identifierChunks(keys: readonly RegistryIdentifierKey[]): Array<[RegistryIdentifierKind, string[]]> {
  const byKind = new Map<RegistryIdentifierKind, Set<string>>();
  for (const { kind, value } of keys) {
    const values = byKind.get(kind) ?? new Set<string>();
    values.add(kind === 'domain' ? value.toLowerCase() : value);
    byKind.set(kind, values);
  }
  const chunks: Array<[RegistryIdentifierKind, string[]]> = [];
  for (const [kind, values] of byKind) {
    const list = [...values];
    for (let start = 0; start < list.length; start += IDENTIFIER_CHUNK) {
      chunks.push([kind, list.slice(start, start + IDENTIFIER_CHUNK)]);
    }
  }
  return chunks;
}

type IdentifierMatchRecord = RegistryServiceRecord & {
  match_kind: RegistryIdentifierKind;
  match_value: string;
};

/** One statement per kind and chunk of values, through the identifier index. */
export async function servicesByIdentifiers(
  sql: ReadSql,
  keys: readonly RegistryIdentifierKey[],
): Promise<RegistryIdentifierMatch[]> {
  const matches: RegistryIdentifierMatch[] = [];
  for (const [kind, values] of identifierChunks(keys)) {
    const params: Record<string, string> = { kind };
    values.forEach((value, index) => (params[`v${index}`] = value));
    const records = await sql.all<IdentifierMatchRecord>(
      `SELECT i.kind AS match_kind, i.value AS match_value, s.*
       FROM registry_service_identifiers AS i
       JOIN registry_services AS s ON s.service_number = i.service_number
       WHERE i.kind = @kind AND i.value IN (${values.map((_, index) => `@v${index}`).join(', ')})`,
      params,
    );
    for (const record of records) {
      matches.push({
        kind: record.match_kind,
        value: record.match_value,
        service: toRegistryServiceRow(record),
      });
    }
  }
  return matches;
}

type VerificationMatchRecord = Pick<
  RegistryServiceRecord,
  'service_number' | 'name' | 'operator_name' | 'status' | 'identifiers'
> & { match_kind: RegistryIdentifierKind; match_value: string };

/** Like servicesByIdentifiers, selecting only the five columns a verdict needs (no other JSON to parse). */
export async function verificationMatches(
  sql: ReadSql,
  keys: readonly RegistryIdentifierKey[],
): Promise<RegistryVerificationMatch[]> {
  const matches: RegistryVerificationMatch[] = [];
  for (const [kind, values] of identifierChunks(keys)) {
    const params: Record<string, string> = { kind };
    values.forEach((value, index) => (params[`v${index}`] = value));
    const records = await sql.all<VerificationMatchRecord>(
      `SELECT i.kind AS match_kind, i.value AS match_value,
              s.service_number, s.name, s.operator_name, s.status, s.identifiers
       FROM registry_service_identifiers AS i
       JOIN registry_services AS s ON s.service_number = i.service_number
       WHERE i.kind = @kind AND i.value IN (${values.map((_, index) => `@v${index}`).join(', ')})`,
      params,
    );
    for (const record of records) {
      matches.push({
        kind: record.match_kind,
        value: record.match_value,
        service: {
          serviceNumber: record.service_number,
          name: record.name,
          operatorName: record.operator_name,
          status: record.status as RegistryVerificationMatch['service']['status'],
          identifiers: JSON.parse(record.identifiers),
        },
      });
    }
  }
  return matches;
}
