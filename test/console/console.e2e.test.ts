import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { filingStreamId } from '../../events/filing/stream-ids';
import { editEvent, revisionOf } from '../support/audit/tamper';
import { loadValidForm } from '../fixtures/forms/form-fixtures';
import { withDistinctIdentifiers } from '../support/distinct-identifiers';
import { isolatedEnv, repoRoot, runIcp } from '../system/icp-process';
import { signToken, type StartedSystem, startSystem } from '../system/started-system';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(repoRoot, 'test', 'artifacts');
const APPLICANT_MOBILE = '+8613900139000';
const PERSONAL = ['110105199207150043', '440305198503120036', '13900139000', 'lisi@example.com', '李四'];

/** The three filings the console decides on, each named so its 12381 SMS can be told apart. */
const APPS = { approve: '控制台通过记账', reject: '控制台驳回记账', conflict: '控制台抢先记账' } as const;
type Role = keyof typeof APPS;

describe('the web console in a real browser, on a started system', () => {
  let system: StartedSystem;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const tokens: Record<string, string> = {};
  const filings = {} as Record<Role, string>;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  const call = async (method: string, path: string, who?: string, body?: unknown, key?: string) => {
    const response = await fetch(`${system.base}${path}`, {
      method,
      headers: {
        ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };

  const waitFor = async <T>(what: string, read: () => Promise<T | undefined>, ms = 60_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  const statusOf = async (id: string) => (await call('GET', `/v1/filings/${id}`, 'auditor')).json;
  const waitForStatus = (id: string, status: string) =>
    waitFor(`${id} to reach ${status}`, async () => {
      const view = await statusOf(id);
      return view.status === status ? view : undefined;
    });

  /** Submission → platform approval → the 12381 code from the dev outbox → bureau review, over HTTP. */
  async function intoBureauReview(role: Role): Promise<string> {
    const form = withDistinctIdentifiers(loadValidForm('valid-app'), role) as {
      app: Record<string, unknown>;
    };
    form.app = { ...form.app, name: APPS[role] };
    const created = await call('POST', '/v1/filings', 'platform', form, `console-${role}`);
    expect(created.status).toBe(202);
    const id = String(created.json.filingId);
    await waitForStatus(id, 'platform_review');
    expect(
      (await call('POST', `/v1/filings/${id}/platform-review`, 'platform', { decision: 'approve' })).status,
    ).toBe(200);
    await waitForStatus(id, 'sms_verification');
    const code = await waitFor(`the SMS of ${APPS[role]}`, async () => {
      const outbox = await runIcp(
        ['outbox', '--to', APPLICANT_MOBILE, '--json'],
        isolatedEnv({ ICP_DATA_DIR: system.dataDir }),
      );
      const messages = JSON.parse(outbox.stdout || '[]') as Array<{ text: string }>;
      const sms = messages.find((message) => message.text.includes(`「${APPS[role]}」`));
      return sms ? /核验码为(\d{6})/.exec(sms.text)?.[1] : undefined;
    });
    const verified = await call('POST', `/v1/filings/${id}/sms-verification`, undefined, {
      code,
      idLast6: '150043',
    });
    expect(verified.status).toBe(200);
    await waitForStatus(id, 'bureau_review');
    return id;
  }

  const shot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });

  async function signIn(who: string): Promise<void> {
    await page.goto(`${system.base}/console#/signin`);
    const signOut = page.locator('#signout');
    if (await signOut.isVisible()) {
      await signOut.click();
      await page.waitForURL(/#\/signin$/);
    }
    await page.getByLabel('持有者令牌').fill(tokens[who] ?? '');
    await page.getByLabel('持有者令牌').press('Enter');
    await page.locator('#signout').waitFor();
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `the console's browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install chromium; .ci/run installs it)`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    system = await startSystem('console');
    tokens.platform = await signToken(system.jwtSecret, {
      sub: 'wechat-ops',
      role: 'platform',
      platformId: 'wechat',
    });
    tokens.bureau = await signToken(system.jwtSecret, {
      sub: 'gd-reviewer-1',
      role: 'bureau',
      province: '440000',
    });
    tokens.auditor = await signToken(system.jwtSecret, { sub: 'audit-1', role: 'auditor' });
    const roles = Object.keys(APPS) as Role[];
    const ids = await Promise.all(roles.map((role) => intoBureauReview(role)));
    roles.forEach((role, i) => (filings[role] = ids[i] ?? ''));
    await waitFor('the bureau queue to hold the three filings', async () => {
      const queue = await call('GET', '/v1/bureau/queue', 'bureau');
      const queued = (queue.json.items as Array<{ filingId: string }>).map((item) => item.filingId);
      return ids.every((id) => queued.includes(id)) ? true : undefined;
    });

    profileDir = mkdtempSync(join(tmpdir(), 'icp-console-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    page.on('request', (request) => {
      if (!request.url().startsWith(system.base) && !request.url().startsWith('blob:'))
        foreignRequests.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // A refused API call (400, 409) is logged by the browser itself; anything else is the page's fault.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        pageErrors.push(message.text());
    });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await system?.stop();
  });

  it('(a) a bureau operator approves a filing from the queue and sees the registration number', async () => {
    await signIn('bureau');
    const queue = page.locator('table.queue');
    await queue.waitFor();
    for (const id of Object.values(filings))
      expect(await queue.locator(`tr[data-filing-id="${id}"]`).count()).toBe(1);
    const row = queue.locator(`tr[data-filing-id="${filings.approve}"]`);
    expect(await row.textContent()).toMatch(/剩 \d+ 个工作日/);
    await shot('a-queue');

    await page.getByRole('link', { name: `审核 ${APPS.approve}` }).click();
    await page.getByRole('heading', { name: `备案详情 · ${APPS.approve}` }).waitFor();
    // The form, masked by the server, and the timeline from the event log, before the decision.
    const formSection = page.locator('section[aria-labelledby="form-title"]');
    await formSection.locator('dl.form-data').first().waitFor();
    const formText = (await formSection.textContent()) ?? '';
    expect(formText).toContain(APPS.approve);
    expect(formText).toContain('**************0043');
    expect(formText).toContain('李*');
    expect(PERSONAL.filter((value) => formText.includes(value))).toEqual([]);
    const pageText = (await page.locator('#main').textContent()) ?? '';
    expect(PERSONAL.filter((value) => pageText.includes(value))).toEqual([]);
    const timeline = page.locator('table.timeline');
    const started = timeline.locator('tr[data-type="BureauReviewStarted"]');
    expect(await started.count()).toBe(1);
    expect(await started.textContent()).toContain('管理局审核开始');
    expect(await timeline.locator('tr[data-seq="0"]').textContent()).toContain('提交备案');
    await shot('a-detail');
    await page.getByLabel('通过', { exact: true }).check();
    await page.getByRole('button', { name: '提交决定' }).click();
    const number = page.locator('#registration-number');
    await number.waitFor({ timeout: 90_000 });
    const shown = (await number.textContent()) ?? '';
    expect(shown).toMatch(/^粤ICP备\d{10}号-\d+A$/);
    await shot('a-approved');

    const view = await waitForStatus(filings.approve, 'completed');
    expect(view.registrationNumber).toBe(shown);

    // The detail shows the subject the number was issued under, with its services.
    await waitFor('the service in the registry', async () => {
      const found = await call('GET', `/v1/public/services?serviceNumber=${encodeURIComponent(shown)}`);
      return (found.json.items as unknown[]).length > 0 ? true : undefined;
    });
    await page.reload();
    const registry = page.locator('section.registry');
    await registry.locator('table.public-results').waitFor();
    expect(await registry.locator('.subject-number').textContent()).toBe(shown.replace(/-\d+A$/, ''));
    expect(await registry.locator('th.registration-number').allTextContents()).toContain(shown);
    const registryText = (await registry.textContent()) ?? '';
    expect(registryText).toContain('深圳市示例账本科技有限公司');
    expect(PERSONAL.filter((value) => registryText.includes(value))).toEqual([]);
    await shot('a-detail-subject');
  });

  it('(b) a rejection without an explanation is refused and nothing is recorded; a late decision shows who was first', async () => {
    const before = await statusOf(filings.reject);
    await page.goto(`${system.base}/console#/filing/${filings.reject}`);
    await page.getByRole('heading', { name: `备案详情 · ${APPS.reject}` }).waitFor();
    await page.getByLabel('驳回', { exact: true }).check();
    await page.getByRole('button', { name: '提交决定' }).click();
    await page.getByText('驳回必须填写说明，未提交任何内容。').waitFor();
    expect(await page.locator('#reasons').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#reasons').fill('   ');
    await page.getByRole('button', { name: '提交决定' }).click();
    await page.getByText('驳回必须填写说明，未提交任何内容。').waitFor();
    await shot('b-reject-refused');
    expect(await statusOf(filings.reject)).toMatchObject({
      status: 'bureau_review',
      revision: before.revision,
    });
    // The API refuses the same decision too (the console never sent it).
    const direct = await call('POST', `/v1/filings/${filings.reject}/bureau-review`, 'bureau', {
      decision: 'reject',
    });
    expect(direct).toMatchObject({ status: 400, json: { errors: [{ path: 'reasons', rule: 'required' }] } });
    expect(await statusOf(filings.reject)).toMatchObject({
      status: 'bureau_review',
      revision: before.revision,
    });

    // Another reviewer approves while this page is open: the console's rejection answers 409.
    await page.goto(`${system.base}/console#/filing/${filings.conflict}`);
    await page.getByRole('heading', { name: `备案详情 · ${APPS.conflict}` }).waitFor();
    const first = await call('POST', `/v1/filings/${filings.conflict}/bureau-review`, 'bureau', {
      decision: 'approve',
    });
    expect(first.status).toBe(200);
    await page.getByLabel('驳回', { exact: true }).check();
    await page.locator('#reasons').fill('材料不全');
    await page.getByRole('button', { name: '提交决定' }).click();
    const conflict = page.locator('.conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(
      /^该备案已由通信管理局审核员处理：管理局审核通过（2\d{3}-\d\d-\d\d \d\d:\d\d）.*，当前状态为“.+”。$/,
    );
    await shot('b-conflict');
  });

  it('(c) an auditor finds a filing whose event was tampered with and sees that event flagged with the rule', async () => {
    await waitFor('the approved filing’s last event', async () =>
      (await call('GET', `/v1/audit/filings/${filings.approve}`, 'auditor')).json.status === 'completed'
        ? true
        : undefined,
    );
    const file = join(system.dataDir, 'events.sqlite');
    const stream = filingStreamId(filings.approve);
    const seq = revisionOf(file, stream, 'PlatformReviewApproved');
    editEvent(file, stream, seq, (row) => ({
      ...row,
      data: { ...row.data, reasons: '材料齐全（事后改写）' },
    }));

    await signIn('auditor');
    await page.getByLabel('备案流水号、备案号或应用名称').fill(APPS.approve);
    await page.getByLabel('备案流水号、备案号或应用名称').press('Enter');
    await page.getByRole('link', { name: `审计 ${APPS.approve}` }).click();
    const timeline = page.locator('table.timeline');
    await timeline.waitFor();
    expect(await page.locator('.verdict').getAttribute('data-verdict')).toBe('findings');
    const tampered = timeline.locator(`tr[data-seq="${seq}"]`);
    expect(await tampered.getAttribute('class')).toContain('flagged');
    expect(await tampered.getAttribute('data-chain')).toBe('broken');
    expect(await tampered.textContent()).toContain('hash_mismatch');
    expect(await tampered.textContent()).toContain('✗ 不符');
    const untouched = timeline.locator('tr[data-seq="0"]');
    expect(await untouched.getAttribute('data-chain')).toBe('intact');
    expect(await untouched.getAttribute('class')).toBeNull();
    const picture = page.locator('img.timeline-svg');
    await waitFor('the SLA picture', async () =>
      (await picture.evaluate(
        (img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0,
      ))
        ? true
        : undefined,
    );

    const formText = (await page.locator('section[aria-labelledby="form-title"]').textContent()) ?? '';
    expect(formText).toContain('0043');
    expect(PERSONAL.filter((value) => formText.includes(value))).toEqual([]);
    await shot('c-audit-flagged');

    // English labels, complete in both languages.
    await page.getByRole('button', { name: '切换为英文界面' }).click();
    await page.getByRole('heading', { name: 'Timeline with the hash-chain verdict' }).waitFor();
    expect(await tampered.textContent()).toContain('✗ mismatch');
    const missing = await page.evaluate<string[]>(`(async () => {
      const { DICTIONARIES: { zh, en } } = await import('/console/assets/i18n.js');
      const gaps = (a, b) => Object.keys(a).filter((key) => !(key in b) || !String(b[key]).trim());
      return [...gaps(zh, en), ...gaps(en, zh)];
    })()`);
    expect(missing).toEqual([]);
    await shot('c-audit-en');

    await page.getByRole('link', { name: 'SLA dashboard' }).click();
    const chart = page.locator('figure.chart svg').first();
    await chart.waitFor();
    expect(await chart.locator('rect.bar-filings').count()).toBeGreaterThan(1);
    await shot('c-dashboard');
    await page.getByRole('button', { name: 'Switch to Chinese' }).click();
    await page.getByRole('heading', { name: '时限看板' }).waitFor();
  });

  it('(d) the public page finds the registration number, by keyboard alone', async () => {
    const number = String((await statusOf(filings.approve)).registrationNumber);
    await waitFor('the public record', async () => {
      const found = await call('GET', `/v1/public/registrations?number=${encodeURIComponent(number)}`);
      return (found.json.items as unknown[]).length > 0 ? true : undefined;
    });
    await page.locator('#signout').click();
    await page.goto(`${system.base}/console#/public`);
    await page.getByRole('heading', { name: '备案号公开查询' }).waitFor();
    const focused = () => page.evaluate<string>('document.activeElement && document.activeElement.id');
    for (let presses = 0; presses < 12 && (await focused()) !== 'public-number'; presses += 1)
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('public-number');
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).not.toBe(
      'none',
    );
    await page.keyboard.type(number);
    await page.keyboard.press('Enter');
    const result = page.locator('table.public-results th.registration-number');
    await result.waitFor();
    expect(await result.allTextContents()).toEqual([number]);
    expect(await page.locator('table.public-results').textContent()).toContain(APPS.approve);
    await shot('d-public');

    // By package name, then the subject (with its services) from the subject number in the answer.
    await page.locator('#public-number').fill('');
    await page.locator('#public-kind').selectOption('packageName');
    const filed = withDistinctIdentifiers(loadValidForm('valid-app'), 'approve') as {
      app: { platforms: Array<{ packageName?: string }> };
    };
    const packageName = filed.app.platforms.find((platform) => platform.packageName)?.packageName ?? '';
    await page.locator('#public-identifier').fill(packageName);
    await page.locator('#public-identifier').press('Enter');
    await page.locator('table.public-results').getByText(number, { exact: true }).waitFor();
    await page.locator('table.public-results button.link').first().click();
    const subject = page.locator('section.registry-subject .subject-number');
    await subject.waitFor();
    expect(await subject.textContent()).toBe(number.replace(/-\d+A$/, ''));
    expect(await page.locator('table.public-results th.registration-number').allTextContents()).toContain(
      number,
    );
    const answerText = (await page.locator('#main').textContent()) ?? '';
    expect(PERSONAL.filter((value) => answerText.includes(value))).toEqual([]);
    await shot('d-public-subject');

    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
