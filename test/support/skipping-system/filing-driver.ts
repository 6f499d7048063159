import { type ApiCall, waitUntil } from './api-client';

/** Who the 12381 SMS of the `valid-app` form fixture goes to: the app's person in charge. */
export const APP_PRINCIPAL = { mobile: '+8613900139000', idLast6: '150043' };

type Json = Record<string, unknown>;

/**
 * A filing driven over HTTP, as the platform, the applicant and the bureau would: `platform` and
 * `bureau` name minted tokens; `auditor` one that reads any filing.
 */
export function filingDriver(
  call: ApiCall,
  tokens: { platform: string; bureau: string; auditor: string },
  smsCodes: (mobile: string) => string[],
) {
  /** Codes already answered, per mobile: the next answer waits for a code sent after them. */
  const answered = new Map<string, number>();
  const view = async (filingId: string) =>
    (await call('GET', `/v1/filings/${filingId}?consistency=strong`, tokens.auditor)).json;
  const waitForStatus = (filingId: string, status: string) =>
    waitUntil(
      () => view(filingId),
      (filing) => filing.status === status,
      `filing ${filingId} reaching ${status}`,
      undefined,
      // A filing's live status is a Temporal query, answered by the worker: polled gently.
      1_000,
    );
  const expectOk = (answer: { status: number; json: Json }, what: string) => {
    if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.json)}`);
    return answer.json;
  };

  return {
    view,
    waitForStatus,
    /** POSTs a form (or a change, a cancellation) and answers the filing id (202 expected). */
    async submit(path: string, body: unknown, key: string): Promise<string> {
      const answer = await call('POST', path, tokens.platform, body, { key });
      if (answer.status !== 202) throw new Error(`submit ${path}: ${answer.status} ${answer.text}`);
      return String(answer.json.filingId);
    },
    async approveByPlatform(filingId: string): Promise<void> {
      await waitForStatus(filingId, 'platform_review');
      const path = `/v1/filings/${filingId}/platform-review`;
      expectOk(
        await call('POST', path, tokens.platform, { decision: 'approve' }, { key: `pr-${filingId}` }),
        path,
      );
    },
    /** The applicant answers the newest code sent to `principal`'s mobile. */
    async verifySms(filingId: string, principal = APP_PRINCIPAL): Promise<void> {
      await waitForStatus(filingId, 'sms_verification');
      const seen = answered.get(principal.mobile) ?? 0;
      const codes = await waitUntil(
        async () => smsCodes(principal.mobile),
        (found) => found.length > seen,
        `a new 12381 code for filing ${filingId}`,
      );
      answered.set(principal.mobile, codes.length);
      const code = codes[0];
      const path = `/v1/filings/${filingId}/sms-verification`;
      const answer = expectOk(
        await call('POST', path, undefined, { code, idLast6: principal.idLast6 }),
        path,
      );
      if (answer.verified !== true) throw new Error(`${path}: not verified ${JSON.stringify(answer)}`);
    },
    async approveByBureau(filingId: string): Promise<Json> {
      await waitForStatus(filingId, 'bureau_review');
      const path = `/v1/filings/${filingId}/bureau-review`;
      expectOk(
        await call('POST', path, tokens.bureau, { decision: 'approve' }, { key: `br-${filingId}` }),
        path,
      );
      return waitForStatus(filingId, 'completed');
    },
  };
}
