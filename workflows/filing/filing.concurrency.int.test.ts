import { randomUUID } from 'node:crypto';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { APPLICANT, bureauOf, FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import { bureauReviewUpdate, platformReviewUpdate, smsVerificationUpdate } from './filing.definitions';

const FILINGS = 50;

/** The same operator files 50 apps at once in Guangdong; each app's person in charge has their own phone. */
function appForm(i: number): Record<string, unknown> {
  const form = loadValidForm('valid-app');
  const principal = form.appPrincipal as Record<string, unknown>;
  const app = form.app as Record<string, unknown>;
  return {
    ...form,
    app: { ...app, name: `示例记账${i}` },
    appPrincipal: { ...principal, mobile: `1390000${String(1000 + i)}` },
  };
}

describe('50 concurrent filings of one subject', () => {
  let harness: FilingHarness;

  beforeAll(async () => {
    harness = await FilingHarness.start();
    await harness.runWorker();
  });
  afterAll(async () => harness?.stop());

  it('get one subject number and service numbers -1A … -50A without gaps or duplicates', async () => {
    const numbers = await Promise.all(
      Array.from({ length: FILINGS }, async (_, i) => {
        const handle = await harness.startFiling(appForm(i), randomUUID());
        await harness.waitForStatus(handle, 'platform_review', 60_000);
        await handle.executeUpdate(platformReviewUpdate, {
          args: [{ actor: PLATFORM, decision: 'approve' }],
          updateId: `pr-${i}`,
        });
        await harness.waitForStatus(handle, 'sms_verification', 60_000);
        const sealedAnswer = harness.seal(harness.latestCode(`1390000${String(1000 + i)}`), '150043');
        await handle.executeUpdate(smsVerificationUpdate, {
          args: [{ actor: APPLICANT, sealedAnswer }],
          updateId: `sms-${i}`,
        });
        await harness.waitForStatus(handle, 'bureau_review', 60_000);
        await handle.executeUpdate(bureauReviewUpdate, {
          args: [{ actor: bureauOf('440000'), decision: 'approve' }],
          updateId: `br-${i}`,
        });
        return (await harness.outcome(handle)).registrationNumber ?? '';
      }),
    );

    const subjects = new Set(numbers.map((n) => n.replace(/-\d+A$/, '')));
    expect(subjects.size).toBe(1);
    expect([...subjects][0]).toMatch(/^粤ICP备\d{10}号$/);
    const serviceNs = numbers.map((n) => Number(/-(\d+)A$/.exec(n)?.[1])).sort((a, b) => a - b);
    expect(serviceNs).toEqual(Array.from({ length: FILINGS }, (_, i) => i + 1));
  });
});
