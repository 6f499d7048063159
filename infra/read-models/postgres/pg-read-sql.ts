import type { Pool, PoolClient } from 'pg';
import type { ReadSql, SqlParams } from '../read-sql';

/** `@name` parameters as PostgreSQL's `$n` (each name once, however often it is used). */
export function positional(sql: string, params: SqlParams = {}): { text: string; values: unknown[] } {
  const names: string[] = [];
  const text = sql.replace(/@(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`read-model query: no value for parameter @${name}`);
    if (!names.includes(name)) names.push(name);
    return `$${names.indexOf(name) + 1}`;
  });
  return { text, values: names.map((name) => params[name]) };
}

/** The shared read-model queries on a PostgreSQL pool (or one client, inside a transaction). */
export function pgReadSql(db: Pool | PoolClient): ReadSql {
  return {
    dialect: 'postgres',
    all: async <R>(sql: string, params?: SqlParams): Promise<R[]> => {
      const { text, values } = positional(sql, params);
      const result = await db.query(text, values);
      return result.rows as R[];
    },
  };
}
