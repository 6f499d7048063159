import { ConfigError } from '../config/config';

type Env = Readonly<Record<string, string | undefined>>;

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LogSettings {
  readonly format: LogFormat;
  readonly level: LogLevelName;
}

/**
 * ICP_LOG_FORMAT (`json` | `pretty`) and ICP_LOG_LEVEL. JSON lines by default on a multi-host
 * setting (TEMPORAL_ADDRESS or DATABASE_URL set), where logs are collected; otherwise today's human
 * output, whose default level (`warn`) shows what `npm start` always showed and no more.
 */
export function loadLogSettings(env: Env = process.env): LogSettings {
  const format = logFormat(env);
  return { format, level: logLevel(env, format === 'json' ? 'info' : 'warn') };
}

function logFormat(env: Env): LogFormat {
  const raw = env.ICP_LOG_FORMAT?.trim();
  if (!raw) return env.TEMPORAL_ADDRESS?.trim() || env.DATABASE_URL?.trim() ? 'json' : 'pretty';
  if (raw === 'json' || raw === 'pretty') return raw;
  throw new ConfigError('ICP_LOG_FORMAT: must be json or pretty');
}

function logLevel(env: Env, fallback: LogLevelName): LogLevelName {
  const raw = env.ICP_LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return fallback;
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevelName;
  throw new ConfigError(`ICP_LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`);
}
