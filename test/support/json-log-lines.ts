/** The records of a process's JSON-lines output; a line that is not JSON fails, quoted. */
export function jsonLogRecords(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line.slice(0, 200)}`);
      }
    });
}

/** JSON logs on, and verbose enough that the PII scans read every line a process can write. */
export const JSON_LOGS = { ICP_LOG_FORMAT: 'json', ICP_LOG_LEVEL: 'debug' } as const;
