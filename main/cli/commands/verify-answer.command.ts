import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import { verifySignedAnswer } from '../../../services/signing/verify-signed-answer';
import type { CliCommand, CliIo } from '../command';

const NAME = 'verify-answer';
const USAGE = 'icp verify-answer <answer.jws|-> --jwks <jwks.json|https://…>';

/** Exit codes: the answer verifies, it does not, the command could not judge it. */
export const VERIFY_ANSWER_EXIT = { verified: 0, refused: 1, unusable: 2 } as const;

export interface VerifyAnswerDeps {
  readTextFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
  fetchText(url: string): Promise<string>;
  now(): Date;
}

const defaultDeps: VerifyAnswerDeps = {
  readTextFile: (path) => readFile(path, 'utf8'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  fetchText: async (url) => {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  },
  now: () => new Date(),
};

class Unusable extends Error {}

function parseArgs(args: readonly string[]): { answer: string; jwks: string } | 'help' {
  const files: string[] = [];
  let jwks: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--jwks' || arg.startsWith('--jwks=')) {
      jwks = arg === '--jwks' ? args[++i] : arg.slice('--jwks='.length);
      if (!jwks) throw new Unusable('--jwks needs a file or an http(s) URL');
    } else if (arg.startsWith('-') && arg !== '-') throw new Unusable(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length !== 1) throw new Unusable(files.length === 0 ? 'no answer given' : 'give one answer');
  if (!jwks) throw new Unusable('--jwks is required');
  return { answer: files[0] as string, jwks };
}

async function read(what: string, source: string, deps: VerifyAnswerDeps): Promise<string> {
  try {
    if (source === '-') return await deps.readStdin();
    if (/^https?:\/\//i.test(source)) return await deps.fetchText(source);
    return await deps.readTextFile(source);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Unusable(`cannot read ${what} ${source}: ${reason}`);
  }
}

function keySetOf(text: string, source: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Unusable(`--jwks ${source} is not JSON`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Unusable(`--jwks ${source} is not a JWK Set (no "keys" array)`);
  return parsed as JSONWebKeySet;
}

/**
 * `icp verify-answer`: checks a signed answer of the registry offline against a saved key set (or
 * one fetched from a URL). Verified: the payload as JSON on stdout, exit 0; refused: one line naming
 * the reason, exit 1; unreadable input or bad usage: one line, exit 2.
 */
export function createVerifyAnswerCommand(overrides: Partial<VerifyAnswerDeps> = {}): CliCommand {
  const deps: VerifyAnswerDeps = { ...defaultDeps, ...overrides };
  return {
    name: NAME,
    usage: USAGE,
    summary: 'check a signed registry answer (compact JWS) against the published keys, offline',
    async run(args: readonly string[], io: CliIo): Promise<number> {
      try {
        const parsed = parseArgs(args);
        if (parsed === 'help') {
          io.out(`usage: ${USAGE}`);
          return VERIFY_ANSWER_EXIT.verified;
        }
        const jwks = keySetOf(await read('--jwks', parsed.jwks, deps), parsed.jwks);
        const answer = await read('the answer', parsed.answer, deps);
        const check = await verifySignedAnswer(answer, jwks, deps.now());
        if (!check.ok) {
          io.err(`icp verify-answer: not verified: ${check.reason}`);
          return VERIFY_ANSWER_EXIT.refused;
        }
        io.out(JSON.stringify(check.payload, null, 2));
        const expires = new Date((check.payload.exp as number) * 1000).toISOString();
        io.err(`verified: signed by key ${check.kid}, valid until ${expires}`);
        return VERIFY_ANSWER_EXIT.verified;
      } catch (error) {
        if (!(error instanceof Unusable)) throw error;
        io.err(`icp verify-answer: ${error.message} (usage: ${USAGE})`);
        return VERIFY_ANSWER_EXIT.unusable;
      }
    },
  };
}

export const verifyAnswerCommand: CliCommand = createVerifyAnswerCommand();
