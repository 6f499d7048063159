import type { TokenVerifier } from '../../infra/auth/token-verifier';
import { withDistinctIdentifiers } from '../../test/support/distinct-identifiers';
import { benchSubmission } from './filing-drive';

/**
 * The filings the API benchmark reads: submitted over HTTP as platforms do, then waited on until they
 * sit in platform review, with the revision each one's answer carries.
 */

/** Submits `count` filings with `POST /v1/filings` and returns their ids. */
export async function submitFilings(base: string, tokens: TokenVerifier, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const submission = benchSubmission(1, index, `api-bench-${index}`);
    const platform = await tokens.issue({
      sub: 'bench-ops',
      role: 'platform',
      platformId: submission.platformId,
    });
    const response = await fetch(`${base}/v1/filings`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${platform}`,
        'content-type': 'application/json',
        'idempotency-key': `api-bench-${index}`,
      },
      // Forms of different indices may share an app identifier, which a second open filing may not claim.
      body: JSON.stringify(withDistinctIdentifiers(submission.form, `bench${index}`)),
    });
    const body = (await response.json()) as { filingId?: string; detail?: string; errors?: unknown };
    if (response.status !== 202 || !body.filingId)
      throw new Error(
        `POST /v1/filings answered ${response.status}: ${body.detail ?? ''} ${JSON.stringify(body.errors ?? [])}`,
      );
    ids.push(body.filingId);
  }
  return ids;
}

interface FilingRead {
  status?: string;
  revision?: number;
  source: string;
}

/** One GET of a filing: its status, the revision in the body and where the answer came from. */
export async function readFiling(
  base: string,
  headers: Record<string, string>,
  id: string,
  query = '',
): Promise<FilingRead> {
  const response = await fetch(`${base}/v1/filings/${id}${query}`, { headers });
  const body = (await response.json()) as { status?: string; revision?: number };
  return { ...body, source: response.headers.get('x-read-source') ?? 'not stated' };
}

/** Polls `read` until `done` holds, every 50 ms for at most 30 s. */
async function pollUntil(
  what: string,
  read: () => Promise<FilingRead>,
  done: (view: FilingRead) => boolean,
): Promise<void> {
  for (let tries = 0; ; tries += 1) {
    if (done(await read())) return;
    if (tries > 600) throw new Error(`${what} did not happen within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until every filing is in platform review in its workflow (`?consistency=strong`) and the
 * default read (the read model) has caught up with that revision, and returns each filing's revision.
 */
export async function settledRevisions(
  base: string,
  headers: Record<string, string>,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const revisions = new Map<string, number>();
  for (const id of ids) {
    let revision = Number.NaN;
    await pollUntil(
      `filing ${id} reaching platform review`,
      () => readFiling(base, headers, id, '?consistency=strong'),
      (view) => {
        revision = view.revision ?? Number.NaN;
        return view.status === 'platform_review';
      },
    );
    await pollUntil(
      `the read model catching up with filing ${id}`,
      () => readFiling(base, headers, id),
      (view) => (view.revision ?? Number.NaN) >= revision,
    );
    revisions.set(id, revision);
  }
  return revisions;
}
