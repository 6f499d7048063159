import { readFile } from 'node:fs/promises';
import { isCalendarDate } from '../../../events/calendar-date';
import { chinaDateOfEpochMs } from '../../../events/working-days/china-time';
import type { FormIssue, FormValidationResult } from '../../../events/form/validate-form';
import { validateRegistrationForm } from '../../../events/form/validate-form';
import type { CliCommand, CliIo } from '../command';

const NAME = 'validate';
const USAGE = 'icp validate <file.json> [--json] [--date YYYY-MM-DD]';

/** Exit codes: the form is valid, the form is invalid, the command could not judge the form. */
export const VALIDATE_EXIT = { valid: 0, invalid: 1, unusable: 2 } as const;

export interface ValidateCommandDeps {
  /** Today's date, `YYYY-MM-DD`, used when `--date` is not given. */
  today(): string;
  readTextFile(path: string): Promise<string>;
}

/** Today in China (UTC+8, no daylight saving): filings are dated by the bureaus' calendar. */
export function todayInChina(now: number = Date.now()): string {
  return chinaDateOfEpochMs(now);
}

const defaultDeps: ValidateCommandDeps = {
  today: () => todayInChina(),
  readTextFile: (path) => readFile(path, 'utf8'),
};

interface ValidateArgs {
  file: string;
  json: boolean;
  date?: string;
}

class UsageError extends Error {}

function parseArgs(args: readonly string[]): ValidateArgs | 'help' {
  const files: string[] = [];
  let json = false;
  let date: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    } else if (arg === '--help' || arg === '-h') {
      return 'help';
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '--date' || arg.startsWith('--date=')) {
      date = arg === '--date' ? args[++i] : arg.slice('--date='.length);
      if (date === undefined || !isCalendarDate(date))
        throw new UsageError('--date needs a real date written YYYY-MM-DD');
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1)
    throw new UsageError(files.length === 0 ? 'no form file given' : 'give exactly one form file');
  return { file: files[0] ?? '', json, date };
}

/** Where a JSON parser stopped, as line:column, when its message says (never the text around it). */
function jsonErrorLocation(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

function issueLine(issue: FormIssue): string {
  return `${issue.path}: ${issue.rule}: ${issue.message}`;
}

function printResult(result: FormValidationResult, io: CliIo): void {
  if (result.ok) io.out('valid');
  else result.errors.forEach((issue) => io.out(issueLine(issue)));
  result.warnings.forEach((issue) => io.out(`warning: ${issueLine(issue)}`));
}

/**
 * `icp validate <file.json>`: checks a registration form. Prints `valid` (and any warnings) and exits
 * 0, or one `path: rule: message` line per error and exits 1; an unreadable, non-JSON file or bad
 * usage gives one line on stderr and exit 2. `--json` prints the whole result object instead.
 */
export function createValidateCommand(overrides: Partial<ValidateCommandDeps> = {}): CliCommand {
  const deps: ValidateCommandDeps = { ...defaultDeps, ...overrides };
  return {
    name: NAME,
    usage: USAGE,
    summary: 'check a registration form (JSON) and list every problem',
    async run(args: readonly string[], io: CliIo): Promise<number> {
      let parsed: ValidateArgs | 'help';
      try {
        parsed = parseArgs(args);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.err(`icp validate: ${error.message} (usage: ${USAGE})`);
        return VALIDATE_EXIT.unusable;
      }
      if (parsed === 'help') {
        io.out(`usage: ${USAGE}`);
        return VALIDATE_EXIT.valid;
      }

      let text: string;
      try {
        text = await deps.readTextFile(parsed.file);
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        io.err(`icp validate: cannot read ${parsed.file}: ${reason}`);
        return VALIDATE_EXIT.unusable;
      }

      let input: unknown;
      const json = text.replace(/^\uFEFF/, '');
      try {
        input = JSON.parse(json);
      } catch (error) {
        io.err(`icp validate: ${parsed.file} is not valid JSON${jsonErrorLocation(json, error)}`);
        return VALIDATE_EXIT.unusable;
      }

      const result = validateRegistrationForm(input, { submittedOn: parsed.date ?? deps.today() });
      // The parsed form is the applicant's personal data: --json reports the verdict, never echoes it.
      const report = result.ok ? { ok: true, warnings: result.warnings } : result;
      if (parsed.json) io.out(JSON.stringify(report, null, 2));
      else printResult(result, io);
      return result.ok ? VALIDATE_EXIT.valid : VALIDATE_EXIT.invalid;
    },
  };
}

export const validateCommand: CliCommand = createValidateCommand();
