import { loadConfig } from '../../../infra/config/config';
import { readConfiguredOutbox } from '../../../infra/notify/open-outbox';
import { DEFAULT_OUTBOX_LIMIT, type OutboxMessage } from '../../../infra/notify/outbox';
import type { CliCommand, CliIo } from '../command';

const USAGE = 'icp outbox [--to MOBILE|EMAIL] [--limit N] [--json]';

interface OutboxArgs {
  to?: string;
  limit: number;
  json: boolean;
}

class UsageError extends Error {}

function optionValue(args: readonly string[], index: number, option: string): string {
  const arg = args[index] ?? '';
  const value = arg === option ? args[index + 1] : arg.slice(option.length + 1);
  if (value === undefined || value === '' || (arg === option && value.startsWith('--'))) {
    throw new UsageError(`${option} needs a value`);
  }
  return value;
}

function parseArgs(args: readonly string[]): OutboxArgs | 'help' {
  const parsed: OutboxArgs = { limit: DEFAULT_OUTBOX_LIMIT, json: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') {
      parsed.json = true;
    } else if (arg === '--to' || arg.startsWith('--to=')) {
      parsed.to = optionValue(args, i, '--to');
      if (arg === '--to') i += 1;
    } else if (arg === '--limit' || arg.startsWith('--limit=')) {
      const raw = optionValue(args, i, '--limit');
      if (arg === '--limit') i += 1;
      if (!/^[1-9]\d{0,5}$/.test(raw)) throw new UsageError('--limit needs a whole number from 1 to 999999');
      parsed.limit = Number(raw);
    } else {
      throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${arg}`);
    }
  }
  return parsed;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

function messageLine(message: OutboxMessage): string {
  const body = message.channel === 'sms' ? message.text : message.subject;
  return [message.createdAt, message.channel.padEnd(5), message.to, oneLine(body)].join('  ');
}

/**
 * `icp outbox`: what the embedded SMS and email adapters "sent", newest first, read from
 * `<dataDir>/outbox.sqlite`, or from PostgreSQL (every worker host's messages) when DATABASE_URL is set. This is where a developer reads a 12381 code in development.
 */
export const outboxCommand: CliCommand = {
  name: 'outbox',
  usage: USAGE,
  summary: 'list the SMS and emails the embedded notifier sent, newest first',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    let parsed: OutboxArgs | 'help';
    try {
      parsed = parseArgs(args);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.err(`icp outbox: ${error.message} (usage: ${USAGE})`);
      return 2;
    }
    if (parsed === 'help') {
      io.out(`usage: ${USAGE}`);
      return 0;
    }

    const messages = await readConfiguredOutbox(loadConfig(), { to: parsed.to, limit: parsed.limit });
    if (parsed.json) io.out(JSON.stringify(messages, null, 2));
    else if (messages.length === 0) io.out(parsed.to ? `no messages to ${parsed.to}` : 'outbox is empty');
    else messages.forEach((message) => io.out(messageLine(message)));
    return 0;
  },
};
