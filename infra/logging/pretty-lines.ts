import type { DestinationStream } from 'pino';

const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'context']);

/** A JSON log line as one human line: `time LEVEL [context] message key=value …`. */
export function prettyLine(jsonLine: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.trimEnd();
  }
  const level = String(entry.level ?? 'info')
    .toUpperCase()
    .padEnd(5);
  const context = typeof entry.context === 'string' ? ` [${entry.context}]` : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [`${String(entry.time ?? '')} ${level}${context} ${String(entry.msg ?? '')}`, ...fields].join(' ');
}

/** A pino destination that writes each line through prettyLine. */
export function prettyDestination(write: (text: string) => void): DestinationStream {
  return { write: (line: string) => write(`${prettyLine(line)}\n`) };
}
