import pino, { type DestinationStream, type Logger } from 'pino';
import { loadLogSettings, type LogSettings } from './log-settings';
import { prettyDestination } from './pretty-lines';
import { REDACT_PATHS, REDACTED, scrubFields, scrubFreeText } from './redaction';

export type { Logger } from 'pino';

export interface LogOutputs {
  /** Lines below `warn`. */
  readonly out: DestinationStream;
  /** `warn` and above, where the processes always wrote their warnings and errors. */
  readonly err: DestinationStream;
}

function processOutputs(settings: LogSettings): LogOutputs {
  if (settings.format === 'pretty') {
    return {
      out: prettyDestination((text) => process.stdout.write(text)),
      err: prettyDestination((text) => process.stderr.write(text)),
    };
  }
  return { out: pino.destination({ dest: 1, sync: true }), err: pino.destination({ dest: 2, sync: true }) };
}

/** Every argument of a log call scrubbed: strings as free text, objects field by field. */
function scrubArguments(args: unknown[]): unknown[] {
  return args.map((arg) => (typeof arg === 'string' ? scrubFreeText(arg) : scrubFields(arg)));
}

/**
 * A pino logger writing JSON lines (or their human form) with personal data redacted by key and
 * scrubbed from every string, whatever the caller passed.
 */
export function createLogger(
  settings: LogSettings,
  name: string,
  outputs = processOutputs(settings),
): Logger {
  return pino(
    {
      name,
      level: settings.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          method.apply(this, scrubArguments(args) as Parameters<typeof method>);
        },
      },
    },
    pino.multistream(
      [
        { level: 'trace', stream: outputs.out },
        { level: 'warn', stream: outputs.err },
      ],
      { dedupe: true },
    ),
  );
}

let processWide: Logger | undefined;

/** The process's logger: set once by the entry point, else made from the environment on first use. */
export function processLogger(): Logger {
  processWide ??= createLogger(loadLogSettings(), 'icp');
  return processWide;
}

export function setProcessLogger(logger: Logger): void {
  processWide = logger;
}
