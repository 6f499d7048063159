import type { SqlDialect } from './read-model-tables';

export type SqlParams = Readonly<Record<string, string | number>>;

/**
 * Reads of the read-model tables on either backend, one SQL text for both: `@name` parameters, and
 * only what SQLite and PostgreSQL both understand (plus `strposOf` for the one function they name
 * differently). Counts may come back as text (PostgreSQL's bigint): read them with `Number`.
 */
export interface ReadSql {
  readonly dialect: SqlDialect;
  all<R>(sql: string, params?: SqlParams): Promise<R[]>;
}

/** The 1-based position of `needle` in `haystack` (0 when absent), SQLite's instr. */
export function strposOf(dialect: SqlDialect, haystack: string, needle: string): string {
  return `${dialect === 'sqlite' ? 'instr' : 'strpos'}(${haystack}, ${needle})`;
}

export async function first<R>(sql: ReadSql, text: string, params?: SqlParams): Promise<R | undefined> {
  const [row] = await sql.all<R>(text, params);
  return row;
}
