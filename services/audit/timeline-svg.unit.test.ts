import type { AuditReport, TimelineEntry } from './audit-report';
import { escapeXml, renderTimelineSvg } from './timeline-svg';
import { allElements, parseXml, textOf, type XmlElement } from '../../test/support/audit/xml-tree';

const at = (china: string) => new Date(`${china}+08:00`).toISOString();

const entry = (seq: number, occurredAt: string, type: string, chainIntact = true): TimelineEntry => ({
  seq,
  occurredAt: at(occurredAt),
  type,
  actor: { role: 'system', id: 'workflow' },
  status: 'platform_review',
  stage: 'platform_review',
  workingDaysInStage: 0,
  chainIntact,
  applied: true,
});

/** A filing in bureau review: its platform review ran past its due time, its SMS window did not. */
const report: AuditReport = {
  filingId: '6f1c0d5e-3b1a-4a8e-9c1d-2f7e5a9b0c11',
  verdict: 'findings',
  events: 8,
  status: 'bureau_review',
  platformId: 'wechat',
  province: '440000',
  findings: [
    { seq: -1, rule: 'temporal_status_mismatch', message: 'the running workflow says bureau_approved' },
    { seq: 2, rule: 'overdue_missing', message: 'platform review passed its due time unflagged' },
  ],
  timeline: [
    entry(0, '2026-09-24T09:00:00', 'FilingSubmitted'),
    entry(1, '2026-09-24T09:00:01', 'PlatformReviewStarted'),
    entry(2, '2026-09-29T15:00:00', 'PlatformReviewApproved'),
    entry(3, '2026-09-29T15:00:01', 'SmsVerificationSent'),
    entry(4, '2026-09-29T18:20:00', 'SmsVerificationFailed'),
    entry(5, '2026-09-30T08:10:00', 'SmsVerified'),
    entry(6, '2026-09-30T08:10:01', 'BureauReviewStarted'),
    entry(7, '2026-10-20T10:00:00', 'BureauReviewOverdue', false),
  ],
  stages: [
    {
      stage: 'platform_review',
      enteredAt: at('2026-09-24T09:00:01'),
      leftAt: at('2026-09-29T15:00:00'),
      dueAt: at('2026-09-25T23:59:59.999'),
      workingDays: 3,
      overdue: true,
    },
    {
      stage: 'sms_verification',
      enteredAt: at('2026-09-29T15:00:00'),
      leftAt: at('2026-09-30T08:10:00'),
      dueAt: at('2026-09-30T15:00:01'),
      workingDays: 1,
      overdue: false,
    },
    {
      stage: 'bureau_review',
      enteredAt: at('2026-09-30T08:10:01'),
      dueAt: at('2026-11-04T23:59:59.999'),
      workingDays: 13,
      overdue: false,
    },
  ],
  temporal: { checked: true, workflowExecution: 'RUNNING', appendsCompared: 7 },
};

const EMPTY: AuditReport = {
  filingId: '00000000-0000-4000-8000-000000000000',
  verdict: 'findings',
  events: 0,
  findings: [],
  timeline: [],
  stages: [],
  temporal: { checked: false, reason: 'not asked' },
};

const byClass = (root: XmlElement, name: string, cls: string) =>
  allElements(root).filter((e) => e.name === name && (e.attributes.class ?? '').split(' ').includes(cls));
const titleOf = (node: XmlElement) => textOf(node.children.find((c) => c.name === 'title') ?? node);

describe('renderTimelineSvg', () => {
  it('writes a well-formed standalone SVG 1.1 document with nothing fetched from elsewhere', () => {
    const svg = renderTimelineSvg(report);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    const root = parseXml(svg);

    expect(root.name).toBe('svg');
    expect(root.attributes).toMatchObject({ xmlns: 'http://www.w3.org/2000/svg', version: '1.1' });
    expect(root.attributes.viewBox).toBe(`0 0 ${root.attributes.width} ${root.attributes.height}`);
    expect(Number(root.attributes.height)).toBeGreaterThan(100);
    expect(Number(root.attributes.height)).toBeLessThan(1000);
    const attributeValues = allElements(root).flatMap((e) => Object.entries(e.attributes));
    expect(attributeValues.filter(([key]) => /href$/i.test(key))).toEqual([]);
    expect(attributeValues.filter(([, value]) => /url\(|https?:/.test(value))).toEqual([
      ['xmlns', 'http://www.w3.org/2000/svg'],
    ]);
    expect(allElements(root).map((e) => e.name)).not.toEqual(
      expect.arrayContaining(['script', 'image', 'foreignObject', 'style']),
    );
  });

  it('puts the verdict in the title', () => {
    const root = parseXml(renderTimelineSvg(report));
    expect(root.children[0]).toMatchObject({ name: 'title', text: 'ICP filing audit — 2 findings' });
    const verified = { ...report, verdict: 'verified' as const, findings: [] };
    expect(parseXml(renderTimelineSvg(verified)).children[0]?.text).toBe('ICP filing audit — verified');
    expect(parseXml(renderTimelineSvg(report, { labels: 'zh' })).children[0]?.text).toBe(
      'ICP备案审计 — 发现 2 个问题',
    );
  });

  it('draws one bar per stay in a stage, the overdue one differently', () => {
    const root = parseXml(renderTimelineSvg(report));
    const bars = byClass(root, 'rect', 'stage');

    expect(bars).toHaveLength(report.stages.length);
    expect(bars.map((bar) => bar.attributes.class)).toEqual(['stage overdue', 'stage', 'stage']);
    expect(bars[0]?.attributes.fill).not.toBe(bars[1]?.attributes.fill);
    expect(byClass(root, 'rect', 'past-due')).toHaveLength(1);
    // Bars run left to right in time, the open one (bureau review) dashed.
    const xs = bars.map((bar) => Number(bar.attributes.x));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(bars.map((bar) => bar.attributes['stroke-dasharray'])).toEqual([undefined, undefined, '4 2']);
    expect(titleOf(bars[0]!)).toContain('3 working days');
  });

  it('marks each stage’s due time', () => {
    const root = parseXml(renderTimelineSvg(report));
    const due = byClass(root, 'g', 'due');

    expect(due).toHaveLength(report.stages.filter((s) => s.dueAt).length);
    expect(due.map(titleOf)).toEqual([
      'Platform review due 2026-09-25 23:59',
      'SMS verification due 2026-09-30 15:00',
      'Bureau review due 2026-11-04 23:59',
    ]);
    const withoutDue = { ...report, stages: report.stages.map(({ dueAt: _, ...span }) => span) };
    expect(byClass(parseXml(renderTimelineSvg(withoutDue)), 'g', 'due')).toEqual([]);
  });

  it('marks every event, findings and broken links in red with their rules in the tooltip', () => {
    const root = parseXml(renderTimelineSvg(report));
    const dots = byClass(root, 'circle', 'event');
    const red = byClass(root, 'circle', 'finding');

    expect(dots).toHaveLength(report.timeline.length);
    expect(red.map(titleOf)).toEqual([
      expect.stringMatching(/^#2 PlatformReviewApproved — 2026-09-29 15:00\noverdue_missing: /),
      expect.stringMatching(/^#7 BureauReviewOverdue/),
    ]);
    expect(new Set(red.map((dot) => dot.attributes.fill)).size).toBe(1);
    expect(red[0]?.attributes.fill).not.toBe(dots.find((d) => !red.includes(d))?.attributes.fill);
    // A finding about the whole stream has no event to sit on: it is listed under the chart.
    expect(textOf(root)).toContain('temporal_status_mismatch: the running workflow says bureau_approved');
  });

  it('labels the time axis with China dates and shows a legend', () => {
    const text = textOf(parseXml(renderTimelineSvg(report)));
    expect(text).toContain('2026-09-24');
    expect(text).toContain('10-01');
    expect(text).toContain('China Standard Time (UTC+8)');
    for (const item of ['stay in a stage', 'overdue stay', 'due time', 'event', 'finding']) {
      expect(text).toContain(item);
    }
    const zh = textOf(parseXml(renderTimelineSvg(report, { labels: 'zh' })));
    for (const item of ['平台初审', '短信核验', '管理局审核', '截止时间', '北京时间（UTC+8）'])
      expect(zh).toContain(item);
  });

  it('escapes every text it draws', () => {
    const hostile = '<script>alert("x")</script> & \'quoted\'';
    const tampered: AuditReport = {
      ...report,
      filingId: hostile,
      findings: [{ seq: 3, rule: 'hash_mismatch', message: hostile }],
      timeline: report.timeline.map((e) => (e.seq === 3 ? { ...e, type: hostile } : e)),
      temporal: { checked: false, reason: hostile },
    };
    const svg = renderTimelineSvg(tampered);

    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('"x"');
    const root = parseXml(svg);
    expect(allElements(root).map((e) => e.name)).not.toContain('script');
    expect(textOf(root)).toContain(hostile);
    expect(escapeXml('a<b>&"c\'\u0001')).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('draws an empty report as a document that says so', () => {
    const root = parseXml(renderTimelineSvg(EMPTY));
    expect(root.children[0]?.text).toBe('ICP filing audit — not verified');
    expect(textOf(root)).toContain('No events recorded for this filing.');
    expect(byClass(root, 'rect', 'stage')).toEqual([]);
    expect(byClass(root, 'circle', 'event')).toEqual([]);
  });

  it('gives the same bytes for the same report', () => {
    expect(renderTimelineSvg(report, { labels: 'zh' })).toBe(
      renderTimelineSvg(JSON.parse(JSON.stringify(report)) as AuditReport, { labels: 'zh' }),
    );
  });

  it('draws a closed filing’s last stage as an end, and events at one instant apart', () => {
    const closed: AuditReport = {
      ...report,
      verdict: 'verified',
      findings: [],
      status: 'completed',
      timeline: [0, 1, 2, 3].map((seq) => entry(seq, '2026-09-24T09:00:00', `Event${seq}`)),
      stages: [
        {
          stage: 'issuance',
          enteredAt: at('2026-09-24T09:00:00'),
          leftAt: at('2026-09-24T09:00:00'),
          workingDays: 0,
          overdue: false,
        },
        { stage: 'closed', enteredAt: at('2026-09-24T09:00:00'), workingDays: 0, overdue: false },
      ],
    };
    const root = parseXml(renderTimelineSvg(closed));
    const bars = byClass(root, 'rect', 'stage');
    expect(bars.map((bar) => bar.attributes['stroke-dasharray'])).toEqual([undefined, undefined]);
    expect(titleOf(bars[1]!)).toBe('Closed: 2026-09-24 09:00');
    const dots = byClass(root, 'circle', 'event');
    expect(new Set(dots.map((dot) => dot.attributes.cy)).size).toBe(4);
  });
});

describe('the test’s XML reader', () => {
  it('refuses what is not well-formed', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow();
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow();
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a/><b/>')).toThrow();
    expect(parseXml('<?xml version="1.0"?>\n<a k=\'&lt;\'>t&amp;<b/>u</a>\n')).toEqual({
      name: 'a',
      attributes: { k: '<' },
      children: [{ name: 'b', attributes: {}, children: [], text: '' }],
      text: 't&u',
    });
  });
});
