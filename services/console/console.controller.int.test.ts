import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { STAGE_LABELS } from '../../events/filing/stage-labels';
import { readChineseDaysDataset } from '../../infra/calendar/chinese-holidays';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { WORKING_DAY_DATASET } from '../tokens';
import { findProjectRoot } from './console-assets';
import { ConsoleModule } from './console.module';

@Global()
@Module({
  providers: [{ provide: WORKING_DAY_DATASET, useFactory: readChineseDaysDataset }],
  exports: [WORKING_DAY_DATASET],
})
class CalendarDataModule {}

describe('the console’s static files at /console', () => {
  let server: HttpTestApp;

  beforeAll(async () => {
    server = await startHttpTestApp({ imports: [CalendarDataModule, ConsoleModule] });
  });
  afterAll(() => server?.close());

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(server.url(path), { headers });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  it('serves the page with a strict Content-Security-Policy and no inline script', async () => {
    const page = await get('/console');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.text).toContain('<script type="module" src="/console/assets/app.js"></script>');
    // Every <script> loads a file; none carries code of its own, and nothing comes from another origin.
    expect(page.text.match(/<script\b[^>]*>/g)?.every((tag) => / src="\/console\/assets\//.test(tag))).toBe(
      true,
    );
    expect(page.text).not.toMatch(/<script\b[^>]*>(?!<\/script>)/);
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves every file of console/ with its content type, and the generated reference data', async () => {
    const folder = join(findProjectRoot(), 'console');
    const types: Record<string, string> = {
      js: 'text/javascript; charset=utf-8',
      css: 'text/css; charset=utf-8',
    };
    for (const file of readdirSync(folder).filter((name) => name !== 'index.html')) {
      const asset = await get(`/console/assets/${file}`);
      expect({ file, status: asset.status, type: asset.headers.get('content-type') }).toEqual({
        file,
        status: 200,
        type: types[file.split('.').pop() ?? ''],
      });
      expect(asset.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
    const reference = await get('/console/assets/reference.json');
    expect(reference.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const json = JSON.parse(reference.text) as {
      provinces: Array<{ code: string; zh: string; en: string }>;
      workingDays: { holidays: string[]; announcedYears: number[] };
    };
    expect(json.provinces).toHaveLength(31);
    expect(json.provinces).toContainEqual({ code: '440000', zh: '广东省', en: 'Guangdong' });
    expect(json.workingDays.holidays).toContain('2026-10-01');
  });

  it('serves the domain’s stage labels as the module i18n.js imports instead of restating them', async () => {
    const module = await get('/console/assets/stage-labels.js');
    expect(module.status).toBe(200);
    expect(module.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const exported = /^export const STAGE_LABELS = (.*);\n$/s.exec(module.text)?.[1] ?? 'null';
    expect(JSON.parse(exported)).toEqual(STAGE_LABELS);
    const i18n = readFileSync(join(findProjectRoot(), 'console', 'i18n.js'), 'utf8');
    expect(i18n).toContain("import { STAGE_LABELS } from './stage-labels.js';");
    expect(i18n).not.toMatch(/'stage\.\w+':/);
  });

  it('answers 304 to a request that already holds the current version', async () => {
    const first = await get('/console/assets/app.js');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/console/assets/app.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('answers 404 problem+json for a file it does not have', async () => {
    const missing = await get('/console/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(missing.text)).toMatchObject({ status: 404 });
  });

  it.each([
    '/console/assets/..%2f..%2fpackage.json',
    '/console/assets/..%2Fpackage.json',
    '/console/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/console/assets/..%5c..%5cpackage.json',
    '/console/assets/index.html',
    '/console/assets/%2fetc%2fpasswd',
  ])('never reaches the file system for %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('"devDependencies"');
    expect(response.text).not.toContain('root:');
  });
});
