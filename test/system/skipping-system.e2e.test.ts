import { loadValidForm } from '../fixtures/forms/form-fixtures';
import { withDistinctIdentifiers } from '../support/distinct-identifiers';
import { waitUntil } from '../support/skipping-system/api-client';
import { filingDriver } from '../support/skipping-system/filing-driver';
import { seedRegistry, seedServiceNumber, type SeedSubject } from '../support/skipping-system/registry-seed';
import { type SkippingSystem, startSkippingSystem } from '../support/skipping-system/skipping-system';

type Json = Record<string, unknown>;

/** One imported app already in the registry before the system started, served by one ISP. */
const SEEDED: SeedSubject = {
  provinceCode: '440000',
  subjectNumber: '粤ICP备2019000001号',
  operatorName: '广州示例种子有限公司',
  certificateIndex: 9001,
  services: [
    {
      n: 1,
      serviceType: 'app',
      name: '示例种子应用',
      identifiers: {
        packages: [{ os: 'android', packageName: 'com.seed.one', signatureMd5: 'c'.repeat(32) }],
        bundles: [],
        domains: [],
      },
      approvedOn: '2023-06-01',
      ispNames: ['示例接入商'],
    },
  ],
};

/**
 * The harness itself (test/support/skipping-system): API, worker, projector and the time-skipping test
 * server in this process, its clock starting on 2024-03-25. Time moves only when the test skips it.
 */
describe('the whole system on the time-skipping test server', () => {
  let system: SkippingSystem;

  beforeAll(async () => {
    system = await startSkippingSystem({
      startAt: '2024-03-25T01:00:00Z',
      seed: (eventLog) => seedRegistry(eventLog, [SEEDED], '2024-03-01T02:00:00.000Z'),
    });
    await system.mint('plat-a', { role: 'platform', platformId: 'plat-a' });
    await system.mint('guangdong', { role: 'bureau', province: '440000' });
    await system.mint('auditor', { role: 'auditor' });
    await system.mint('isp', { role: 'isp', ispName: '示例接入商' });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('answers for the seeded registry once the projector has caught up', async () => {
    const packageName = SEEDED.services[0]?.identifiers.packages[0]?.packageName ?? '';
    const answer = await waitUntil(
      () => system.call('GET', `/v1/verify?packageName=${packageName}&signatureMd5=${'c'.repeat(32)}`, 'isp'),
      (found) => found.json.status === 'registered',
      'the seeded app verified as registered',
    );
    expect(answer.json).toMatchObject({
      status: 'registered',
      serviceNumber: seedServiceNumber(SEEDED, SEEDED.services[0] as SeedSubject['services'][number]),
    });
  });

  it('returns a filing to its platform when the 12381 code is not answered within 24 hours of skipped time', async () => {
    const driver = filingDriver(
      system.call,
      { platform: 'plat-a', bureau: 'guangdong', auditor: 'auditor' },
      system.smsCodes,
    );
    const startedAt = await system.now();
    expect(startedAt.toISOString().slice(0, 10)).toBe('2024-03-25');

    const filingId = await driver.submit(
      '/v1/filings',
      withDistinctIdentifiers(loadValidForm('valid-app'), 'skip'),
      'skip-1',
    );
    await driver.approveByPlatform(filingId);
    await driver.waitForStatus(filingId, 'sms_verification');
    await system.skip('23 hours');
    expect((await driver.view(filingId)).status).toBe('sms_verification');

    await system.skip('2 hours');
    const returned = await driver.waitForStatus(filingId, 'returned_to_platform');

    expect(returned.status).toBe('returned_to_platform');
    const history = await system.call('GET', `/v1/audit/filings/${filingId}`, 'auditor');
    const types = (history.json.timeline as Json[]).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['SmsVerificationExpired', 'FilingReturnedToPlatform']));
    // The API and the activities live on the test server's dates too (this process's clock follows it).
    const occurred = (history.json.timeline as Json[]).map((e) => String(e.occurredAt).slice(0, 10));
    expect(occurred[0]).toBe('2024-03-25');
    expect(new Date().toISOString().slice(0, 10)).toBe('2024-03-26');
    expect((await system.now()).getTime() - startedAt.getTime()).toBeGreaterThanOrEqual(25 * 3600_000);
  });
});
