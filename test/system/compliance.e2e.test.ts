import { runAudit } from '../support/skipping-system/audit-cli';
import { type ApiAnswer, waitUntil } from '../support/skipping-system/api-client';
import {
  CAMPAIGN_SIZE,
  changedForm,
  expectedSweep,
  FILED_APPS,
  filedAppForm,
  INVENTORY,
  ISP_NAME,
  linesOf,
  PARTIES,
  type PartyName,
  partyKey,
  partyKeyOfAnswer,
  REPORTED_ON,
  SEED_SUBJECTS,
  seededCampaignServices,
  SWEEP_AS_OF,
  sweepKey,
} from '../support/skipping-system/compliance-world';
import { filingDriver } from '../support/skipping-system/filing-driver';
import { seedRegistry } from '../support/skipping-system/registry-seed';
import { type SkippingSystem, startSkippingSystem } from '../support/skipping-system/skipping-system';

type Json = Record<string, unknown>;

const PROVINCES = ['440000', '110000'] as const;
const HOUR_MS = 3600_000;

/**
 * Issue 20's must-hold, over HTTP against the whole system on the time-skipping test server (clock
 * from 2024-03-25): three parties report inventories; the sweep as of 2024-04-01 lists exactly the
 * unregistered lines per province and party; an inspection with one finding answered and one left to
 * go overdue, escalated, then decided; an accuracy campaign over 200 services (190 confirmed, 5 changed
 * by real change filings, 5 unanswered and escalated once the due date passes), access withdrawn for
 * those the bureau decides so; and the audit of every stream verifies.
 */
// The 200-service campaign answers every item over HTTP on the time-skipping server: ~5 minutes on
// this loaded 2-core machine, past the e2e tier's 300 s.
jest.setTimeout(900_000);

describe('compliance: inventories, the deadline sweep, an inspection and an accuracy campaign', () => {
  let system: SkippingSystem;
  /** Service numbers of the apps `plat-a` filed, with their registered forms. */
  const filed: Array<{ serviceNumber: string; form: Json }> = [];

  const call: SkippingSystem['call'] = (...args) => system.call(...args);
  const expectStatus = (answer: ApiAnswer, status: number, what: string) => {
    expect({ what, status: answer.status, errors: answer.json.errors }).toEqual({
      what,
      status,
      errors: undefined,
    });
    return answer.json;
  };

  /** Skips the test server's clock to an hour past the end of a due day (China time), or past `dueAt`. */
  async function skipPastDue(view: Json) {
    const due =
      typeof view.dueAt === 'string'
        ? Date.parse(view.dueAt)
        : Date.parse(`${String(view.dueOn)}T24:00:00+08:00`);
    expect(Number.isNaN(due)).toBe(false);
    const ms = due + HOUR_MS - (await system.now()).getTime();
    if (ms > 0) await system.skip(ms);
  }

  /** Waits until the registry's read side (what verification and selection read) holds the seed and the filed apps. */
  async function registryReadSideCaughtUp() {
    const verified = async (query: string) => (await call('GET', `/v1/verify?${query}`, 'isp')).json.status;
    const lastSeeded = seededCampaignServices().at(-1)?.domain ?? '';
    await waitUntil(
      () => verified(`domain=${lastSeeded}`),
      (s) => s === 'registered',
      'the seeded registry',
    );
    await waitUntil(
      () => verified(`packageName=com.cancelled.bj&signatureMd5=${'c'.repeat(32)}`),
      (s) => s === 'cancelled',
      'the seeded cancellation',
    );
    for (const { serviceNumber } of filed) {
      await waitUntil(
        async () =>
          (await call('GET', `/v1/public/services?serviceNumber=${encodeURIComponent(serviceNumber)}`)).json,
        (found) => Array.isArray(found.items) && found.items.length === 1,
        `${serviceNumber} in the registry read model`,
      );
    }
  }

  beforeAll(async () => {
    system = await startSkippingSystem({
      startAt: '2024-03-25T01:00:00Z',
      seed: (eventLog) => seedRegistry(eventLog, SEED_SUBJECTS, '2024-03-01T02:00:00.000Z'),
    });
    await system.mint('plat-a', { role: 'platform', platformId: 'plat-a' });
    await system.mint('guangdong', { role: 'bureau', province: '440000' });
    await system.mint('beijing', { role: 'bureau', province: '110000' });
    await system.mint('auditor', { role: 'auditor' });
    await system.mint('admin', { role: 'admin' });
    await system.mint('isp', { role: 'isp', ispName: ISP_NAME });
    await system.mint('store', { role: 'store', org: PARTIES.store.id });
    await system.mint('deviceMaker', { role: 'device_maker', org: PARTIES.deviceMaker.id });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it(`files ${FILED_APPS} apps served by ${ISP_NAME} through plat-a, to their numbers`, async () => {
    const driver = filingDriver(
      system.call,
      { platform: 'plat-a', bureau: 'guangdong', auditor: 'auditor' },
      system.smsCodes,
    );
    const forms = Array.from({ length: FILED_APPS }, (_, i) => filedAppForm(i));
    // One after another: on a busy machine, concurrent filings only make each workflow task slower.
    const completed: Json[] = [];
    for (const [i, form] of forms.entries()) {
      const filingId = await driver.submit('/v1/filings', form, `campaign-app-${i}`);
      await driver.approveByPlatform(filingId);
      await driver.verifySms(filingId, { mobile: form.appPrincipal.mobile, idLast6: '150043' });
      completed.push(await driver.approveByBureau(filingId));
    }
    completed.forEach((view, i) => {
      expect(view.registrationNumber).toMatch(/^粤ICP备\d{10}号-\d+A$/);
      filed.push({ serviceNumber: String(view.registrationNumber), form: forms[i] as Json });
    });
  });

  it('stores each party’s inventory with every line checked against the registry', async () => {
    await registryReadSideCaughtUp();
    for (const party of Object.keys(PARTIES) as PartyName[]) {
      const lines = linesOf(party).map((labelled) => labelled.line);
      const path = `/v1/compliance/inventories?reportedOn=${REPORTED_ON}`;
      // One party sends NDJSON, the others a JSON body: both are accepted.
      const answer =
        party === 'store'
          ? await call('POST', path, party, undefined, {
              raw: {
                contentType: 'application/x-ndjson',
                text: lines.map((line) => JSON.stringify(line)).join('\n'),
              },
            })
          : await call('POST', path, party, { lines });
      const body = expectStatus(answer, 201, `inventory of ${party}`);
      const counted = (status: string) =>
        linesOf(party).filter((labelled) => labelled.status === status).length;
      expect({ party: partyKeyOfAnswer(body.party), reportedOn: body.reportedOn, lines: body.lines }).toEqual(
        {
          party: partyKey(party),
          reportedOn: REPORTED_ON,
          lines: lines.length,
        },
      );
      expect(body.counts).toEqual({
        registered: counted('registered'),
        not_registered: counted('not_registered'),
        identifier_mismatch: counted('identifier_mismatch'),
        cancelled: counted('cancelled'),
        access_withdrawn: 0,
      });
    }
    const stored = await call(
      'GET',
      `/v1/compliance/inventories?party=${encodeURIComponent(partyKey('store'))}&reportedOn=${REPORTED_ON}`,
      'auditor',
    );
    expect(stored.status).toBe(200);
  });

  it(`sweeps as of ${SWEEP_AS_OF}: exactly the unregistered lines past their deadline, per province and party`, async () => {
    const swept = expectStatus(
      await call('POST', '/v1/compliance/sweeps', 'admin', { asOf: SWEEP_AS_OF }, { key: 'sweep-1' }),
      201,
      'the sweep',
    );
    const tally = (keys: string[]) =>
      [...new Set(keys)].sort().map((key) => [key, keys.filter((k) => k === key).length]);
    const expected = [...expectedSweep().keys()].map((key) => key.split('|'));
    expect(swept).toMatchObject({
      sweepId: `compliance-sweep-${SWEEP_AS_OF}`,
      asOf: SWEEP_AS_OF,
      counts: { lines: INVENTORY.length, overdue: expected.length },
      byProvince: tally(expected.map(([province]) => province as string)).map(([province, overdue]) => ({
        province,
        overdue,
      })),
      byParty: tally(expected.map(([, party]) => party as string)).map(([party, overdue]) => ({
        party,
        overdue,
      })),
    });
    const again = await call('GET', `/v1/compliance/sweeps/${SWEEP_AS_OF}`, 'admin');
    expect(again.json).toMatchObject({ sweepId: swept.sweepId, counts: swept.counts });

    const listed = async (token: string, query = '') => {
      const answer = await call('GET', `/v1/compliance/sweeps/${SWEEP_AS_OF}/items${query}`, token);
      expect(answer.status).toBe(200);
      return new Map(
        (answer.json.items as Json[]).map((item) => [
          sweepKey(
            String(item.province),
            partyKeyOfAnswer(item.party),
            item as { kind: string; value: string },
          ),
          item.daysPast,
        ]),
      );
    };
    expect(await listed('admin')).toEqual(expectedSweep());
    for (const province of PROVINCES) {
      for (const party of Object.keys(PARTIES) as PartyName[]) {
        const query = `?province=${province}&party=${encodeURIComponent(partyKey(party))}`;
        expect({ province, party, items: await listed('admin', query) }).toEqual({
          province,
          party,
          items: expectedSweep({ province, party }),
        });
      }
    }
    // A bureau sees its own province only, as JSON or CSV.
    expect(await listed('guangdong')).toEqual(expectedSweep({ province: '440000' }));
    const csv = await call('GET', `/v1/compliance/sweeps/${SWEEP_AS_OF}/items?format=csv`, 'beijing');
    expect(csv.status).toBe(200);
    const rows = csv.text.trim().split('\n').slice(1);
    expect(rows).toHaveLength(expectedSweep({ province: '110000' }).size);
    expect(rows.every((row) => row.includes('110000') && !row.includes('440000'))).toBe(true);
  });

  it('inspects xiaomi: one finding answered, the other escalated once overdue, then decided by the bureau', async () => {
    const opened = expectStatus(
      await call(
        'POST',
        '/v1/compliance/inspections',
        'guangdong',
        { party: PARTIES.deviceMaker, answerWithinWorkingDays: 5, note: '预装应用专项检查' },
        { key: 'inspection-xiaomi' },
      ),
      201,
      'the inspection',
    );
    const inspectionId = String(opened.inspectionId);
    const neverReported = await call(
      'POST',
      '/v1/compliance/inspections',
      'guangdong',
      { party: { role: 'store', id: 'never-reported' } },
      { key: 'inspection-never-reported' },
    );
    expect({
      status: neverReported.status,
      paths: (neverReported.json.errors as Json[])?.map((e) => e.path),
    }).toEqual({
      status: 422,
      paths: ['party'],
    });
    const findings = opened.findings as Json[];
    expect(findings.map((finding) => [finding.value, finding.problem]).sort()).toEqual([
      ['com.reg.gd.two', 'mismatched'],
      ['com.unregistered.xiaomi.gd1', 'unregistered'],
    ]);
    const findingOf = (problem: string) => findings.find((finding) => finding.problem === problem) as Json;
    const answered = findingOf('unregistered');
    const overdue = findingOf('mismatched');
    const findingPath = (finding: Json, action: string) =>
      `/v1/compliance/inspections/${inspectionId}/findings/${String(finding.findingId)}/${action}`;

    const answer = await call(
      'POST',
      findingPath(answered, 'answer'),
      'deviceMaker',
      { answer: 'removed' },
      { key: 'answer-removed' },
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      state: 'answered',
      answer: expect.objectContaining({ answer: 'removed' }),
    });

    const view = async () =>
      (await call('GET', `/v1/compliance/inspections/${inspectionId}`, 'guangdong')).json;
    await skipPastDue(opened);
    const escalated = await waitUntil(view, (v) => v.status === 'escalated', 'the inspection escalated');
    expect(
      (escalated.findings as Json[]).map((finding) => [finding.findingId, finding.state]).sort(),
    ).toEqual(
      [
        [answered.findingId, 'answered'],
        [overdue.findingId, 'escalated'],
      ].sort(),
    );
    const late = await call(
      'POST',
      findingPath(overdue, 'answer'),
      'deviceMaker',
      { answer: 'disputed', note: '签名为厂商重签' },
      { key: 'answer-late' },
    );
    expect(late.status).toBe(409);

    const decided = await call(
      'POST',
      findingPath(overdue, 'decision'),
      'guangdong',
      { decision: 'upheld', note: '签名与备案不符，责令下架' },
      { key: 'decision-upheld' },
    );
    expect(decided.status).toBe(200);
    const closed = await waitUntil(view, (v) => v.status === 'closed', 'the inspection closed');
    expect(
      (closed.findings as Json[]).find((finding) => finding.findingId === overdue.findingId),
    ).toMatchObject({
      state: 'decided',
      decision: expect.objectContaining({ decision: 'upheld' }),
    });
  });

  it(`runs an accuracy campaign over ${CAMPAIGN_SIZE} services: 190 confirmed, 5 changed, 5 escalated and decided`, async () => {
    await registryReadSideCaughtUp();
    const opened = expectStatus(
      await call(
        'POST',
        '/v1/compliance/campaigns',
        'guangdong',
        { name: '2024 年第三季度准确性核查', selection: { ispName: ISP_NAME, sampleSize: CAMPAIGN_SIZE } },
        { key: 'campaign-q3' },
      ),
      201,
      'the campaign',
    );
    expect(opened.services).toBe(CAMPAIGN_SIZE);
    const campaignId = String(opened.campaignId);
    const progress = async () =>
      (await call('GET', `/v1/compliance/campaigns/${campaignId}`, 'guangdong')).json.progress as Json;
    const itemPath = (serviceNumber: string, action: string) =>
      `/v1/compliance/campaigns/${campaignId}/items/${encodeURIComponent(serviceNumber)}/${action}`;
    /**
     * A respondent's answer. The campaign's stream is written, and each item's child workflow started
     * (in batches), after the 201: until its child runs, an item answers 404 `filing-not-found` (the
     * workflow is not there yet), so the answer is sent again, as a client would, until it is.
     */
    const answerItem = (serviceNumber: string, token: string, body: Json, key: string) =>
      waitUntil(
        () => call('POST', itemPath(serviceNumber, 'answer'), token, body, { key }),
        (answer) => !(answer.status === 404 && String(answer.json.type).endsWith('/filing-not-found')),
        `the item ${serviceNumber} taking answers`,
      );
    await waitUntil(progress, (p) => p?.total === CAMPAIGN_SIZE, 'the campaign opened');

    const seeded = seededCampaignServices();
    const confirmed = seeded.slice(0, 190);
    const unanswered = seeded.slice(190);
    expect(unanswered).toHaveLength(5);
    // Keys are ASCII (a header): named by the service's domain.
    await inBatches(confirmed, 5, async ({ serviceNumber, domain }) => {
      const answer = await answerItem(serviceNumber, 'isp', { answer: 'confirmed' }, `confirm-${domain}`);
      expect({ serviceNumber, status: answer.status }).toEqual({ serviceNumber, status: 200 });
    });

    const driver = filingDriver(
      system.call,
      { platform: 'plat-a', bureau: 'guangdong', auditor: 'auditor' },
      system.smsCodes,
    );
    for (const [i, { serviceNumber, form }] of filed.entries()) {
      const filingId = await driver.submit(
        `/v1/registrations/${encodeURIComponent(serviceNumber)}/changes`,
        { form: changedForm(form, i) },
        `change-${i}`,
      );
      const answer = await answerItem(
        serviceNumber,
        'plat-a',
        { answer: 'change_filed', filingId },
        `change-filed-${i}`,
      );
      expect({ serviceNumber, status: answer.status }).toEqual({ serviceNumber, status: 200 });
    }
    await waitUntil(
      progress,
      (p) => p.confirmed === 190 && p.change_filed === 5 && p.awaiting === 5,
      'answers counted',
    );

    await skipPastDue(opened);
    await waitUntil(progress, (p) => p.escalated === 5, 'the unanswered five escalated');
    const late = await call(
      'POST',
      itemPath(unanswered[0]?.serviceNumber ?? '', 'answer'),
      'isp',
      { answer: 'confirmed' },
      { key: 'confirm-late' },
    );
    expect(late.status).toBe(409);

    const withdrawn = unanswered.slice(0, 3);
    const spared = unanswered.slice(3);
    for (const [decision, items] of [
      ['withdraw_access', withdrawn],
      ['no_action', spared],
    ] as const) {
      for (const { serviceNumber, domain } of items) {
        const decided = await call(
          'POST',
          itemPath(serviceNumber, 'decision'),
          'guangdong',
          {
            decision,
            note: decision === 'withdraw_access' ? '逾期未核实，责令取消接入' : '已电话核实，暂不处理',
          },
          { key: `decide-${domain}` },
        );
        expect({ serviceNumber, status: decided.status }).toEqual({ serviceNumber, status: 200 });
      }
    }
    expect(
      await waitUntil(
        progress,
        (p) => p.access_withdrawn === 3 && p.decided === 2,
        'the decisions carried out',
      ),
    ).toMatchObject({ total: CAMPAIGN_SIZE, confirmed: 190, change_filed: 5, escalated: 0 });

    const verified = async (domain: string) =>
      (await call('GET', `/v1/verify?domain=${encodeURIComponent(domain)}`, 'isp')).json.status;
    for (const { domain } of withdrawn) {
      expect({
        domain,
        status: await waitUntil(
          () => verified(domain),
          (s) => s === 'access_withdrawn',
          domain,
        ),
      }).toEqual({ domain, status: 'access_withdrawn' });
    }
    for (const { domain } of spared)
      expect({ domain, status: await verified(domain) }).toEqual({ domain, status: 'registered' });
  });

  it('verifies with no finding: `icp audit verify --all` over every stream, compliance streams included', async () => {
    const audit = await runAudit(system, ['verify', '--all', '--json']);
    const report = JSON.parse(audit.out.join('\n')) as Json;
    // Every section (filings, registry, compliance) counts the streams it audited with findings.
    const sections = [report, ...Object.values(report).filter((value): value is Json => isObject(value))];
    const withFindings = sections.filter((section) => 'withFindings' in section);
    expect(withFindings.length).toBeGreaterThanOrEqual(2);
    expect({
      code: audit.code,
      withFindings: withFindings.map((section) => section.withFindings),
      findings: withFindings.flatMap((section) => section.findings as unknown[]),
    }).toEqual({ code: 0, withFindings: withFindings.map(() => 0), findings: [] });
    // The filings: the five apps and their five changes; every compliance stream, sealed and chained.
    expect(report.filings).toBeGreaterThanOrEqual(2 * FILED_APPS);
    expect(report.compliance).toMatchObject({
      withFindings: 0,
      byKind: { inventory: 3, sweep: 1, inspection: 1, campaign: 1, campaign_item: CAMPAIGN_SIZE },
    });
  });
});

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Runs `work` over `items`, `size` at a time. */
async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map(work));
  }
}
