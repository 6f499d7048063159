import { readFile } from 'node:fs/promises';
import {
  VERIFICATION_STATUSES,
  type VerificationAnswer,
  type VerificationRequest,
  type VerificationStatus,
} from '../../../events/registry/verification';
import { ConfigError, loadConfig } from '../../../infra/config/config';
import type { CliCommand, CliIo } from '../command';
import { ProgressBar } from '../progress-bar';
import { CatalogueError, type CatalogueItem, parseCatalogue } from './verify-catalogue';

const USAGE = 'icp verify <catalogue.jsonl|csv> [--json] [--api URL] [--token TOKEN]';
/** Items per `POST /v1/verify/batch`, well inside the route's 10,000… */
export const VERIFY_BATCH_SIZE = 1_000;
/** …and bytes of JSON per request, well inside the API's 256 KiB body limit whatever the items' length. */
const VERIFY_BATCH_BYTES = 192 * 1024;

/** The catalogue in requests of at most VERIFY_BATCH_SIZE items and VERIFY_BATCH_BYTES of JSON. */
function batchesOf(items: readonly CatalogueItem[]): CatalogueItem[][] {
  const batches: CatalogueItem[][] = [];
  let batch: CatalogueItem[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(bodyOf(item.request))) + 1;
    if (batch.length === VERIFY_BATCH_SIZE || (batch.length > 0 && bytes + size > VERIFY_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Exit codes: every item registered; some item not registered; the catalogue could not be checked. */
export const VERIFY_EXIT = { registered: 0, notRegistered: 1, unusable: 2 } as const;

interface VerifyArgs {
  file: string;
  json: boolean;
  api: string;
  token: string;
}

class UsageError extends Error {}

function optionValue(args: readonly string[], i: number, name: string): [string, number] {
  const arg = args[i] ?? '';
  const value = arg === name ? args[i + 1] : arg.slice(name.length + 1);
  if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
  return [value, arg === name ? i + 1 : i];
}

/** The API a system started here with the same settings listens on. */
function localApi(): string {
  try {
    const { host, port } = loadConfig().http;
    return `http://${host}:${port}`;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${error.message}; or give --api`);
    throw error;
  }
}

function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv): VerifyArgs | 'help' {
  const files: string[] = [];
  let json = false;
  let api = env.ICP_API_URL;
  let token = env.ICP_TOKEN;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') json = true;
    else if (arg === '--api' || arg.startsWith('--api=')) [api, i] = optionValue(args, i, '--api');
    else if (arg === '--token' || arg.startsWith('--token=')) [token, i] = optionValue(args, i, '--token');
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length !== 1)
    throw new UsageError(files.length === 0 ? 'no catalogue given' : 'give one catalogue');
  if (token === undefined || token === '') {
    throw new UsageError('give --token or ICP_TOKEN (such as `icp token --role store --org ID`)');
  }
  if (api === undefined) api = localApi();
  if (!/^https?:\/\/[^\s]+$/.test(api)) throw new UsageError('--api must be an http(s) URL');
  return { file: files[0] ?? '', json, api: api.replace(/\/+$/, ''), token };
}

type BatchResult = VerificationAnswer | { errors: Array<{ path: string; message: string }> };

/** The API's answer to one batch; @throws CatalogueError with the API's own reason. */
async function postBatch(args: VerifyArgs, requests: readonly VerificationRequest[]): Promise<BatchResult[]> {
  let response: Response;
  try {
    response = await fetch(`${args.api}/v1/verify/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${args.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: requests.map(bodyOf) }),
    });
  } catch {
    throw new CatalogueError(`no API answers at ${args.api} (--api or ICP_API_URL)`);
  }
  const body = (await response.json().catch(() => ({}))) as { items?: BatchResult[]; detail?: string };
  if (response.status !== 200 || !Array.isArray(body.items) || body.items.length !== requests.length) {
    throw new CatalogueError(`the API answered ${response.status}: ${body.detail ?? 'no answer per item'}`);
  }
  return body.items;
}

const FIELD_OF_KIND = {
  package: 'packageName',
  bundle: 'bundleId',
  mini_program: 'miniProgramId',
  quick_app: 'quickAppPackage',
  domain: 'domain',
} as const;

/** A question as the API takes it. */
function bodyOf(request: VerificationRequest): Record<string, string> {
  const { kind, value, ...qualifiers } = request;
  return { [FIELD_OF_KIND[kind]]: value, ...qualifiers };
}

export interface VerifiedItem {
  line: number;
  item: Record<string, string>;
  answer: VerificationAnswer;
}

/** A progress bar on stderr while a terminal watches; nothing in a log or a pipe. */
function progressBar(total: number): ProgressBar | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  return new ProgressBar(`verify ${total.toLocaleString('en-US')} items`, {
    write: (text) => process.stderr.write(text),
    interactive: true,
    unit: 'items',
  });
}

async function verifyAll(args: VerifyArgs, items: readonly CatalogueItem[]): Promise<VerifiedItem[]> {
  const bar = progressBar(items.length);
  const verified: VerifiedItem[] = [];
  for (const chunk of batchesOf(items)) {
    const results = await postBatch(
      args,
      chunk.map((entry) => entry.request),
    );
    results.forEach((result, index) => {
      const entry = chunk[index] as CatalogueItem;
      if ('errors' in result) {
        throw new CatalogueError(`line ${entry.line}: ${result.errors.map((e) => e.message).join('; ')}`);
      }
      verified.push({ line: entry.line, item: bodyOf(entry.request), answer: result });
    });
    bar?.update({ position: verified.length, head: items.length, events: verified.length });
  }
  bar?.finish();
  return verified;
}

function countsOf(verified: readonly VerifiedItem[]): Record<VerificationStatus, number> {
  const counts = Object.fromEntries(VERIFICATION_STATUSES.map((status) => [status, 0])) as Record<
    VerificationStatus,
    number
  >;
  for (const { answer } of verified) counts[answer.status] += 1;
  return counts;
}

function printSummary(verified: readonly VerifiedItem[], io: CliIo): void {
  const counts = countsOf(verified);
  io.out(`${verified.length.toLocaleString('en-US')} items checked`);
  for (const status of VERIFICATION_STATUSES) io.out(`  ${status.padEnd(20)} ${counts[status]}`);
  const unregistered = verified.filter(({ answer }) => answer.status !== 'registered');
  if (unregistered.length > 0) io.out('not registered:');
  for (const { line, item, answer } of unregistered) {
    const registeredAs = answer.serviceNumber ? ` (${answer.serviceNumber} ${answer.serviceName ?? ''})` : '';
    const what = Object.entries(item)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ');
    io.out(`  line ${line}: ${answer.status}: ${what}${registeredAs}`);
  }
}

/**
 * `icp verify <catalogue>`: a store's (or device maker's, or ISP's) whole catalogue checked against
 * the registry through `POST /v1/verify/batch`, 1,000 items a request, a progress bar on a terminal,
 * then counts by status and every item not registered. Exit 1 if any item is not `registered`
 * (including cancelled, withdrawn and mismatched ones); 2, with one line, when the catalogue or the
 * API cannot be used (a bad line is named with its number and field, and nothing is sent).
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: USAGE,
  summary: 'check a catalogue (JSON Lines or CSV) against the registry, through the API',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    try {
      const parsed = parseArgs(args, process.env);
      if (parsed === 'help') {
        io.out(`usage: ${USAGE}`);
        return VERIFY_EXIT.registered;
      }
      const text = await readFile(parsed.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new CatalogueError(`cannot read ${parsed.file}: ${error.code ?? error.message}`);
      });
      const items = parseCatalogue(text, /\.csv$/i.test(parsed.file) ? 'csv' : 'jsonl');
      const verified = await verifyAll(parsed, items);
      if (parsed.json) {
        const flat = verified.map(({ line, item, answer }) => ({ line, ...item, ...answer }));
        io.out(JSON.stringify({ counts: countsOf(verified), items: flat }, null, 2));
      } else {
        printSummary(verified, io);
      }
      const allRegistered = verified.every(({ answer }) => answer.status === 'registered');
      return allRegistered ? VERIFY_EXIT.registered : VERIFY_EXIT.notRegistered;
    } catch (error) {
      if (error instanceof UsageError) io.err(`icp verify: ${error.message} (usage: ${USAGE})`);
      else if (error instanceof CatalogueError) io.err(`icp verify: ${error.message}`);
      else throw error;
      return VERIFY_EXIT.unusable;
    }
  },
};
