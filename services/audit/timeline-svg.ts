import type { FilingStage } from '../../events/filing/filing-state';
import { type LabelLanguage, STAGE_LABELS } from '../../events/filing/stage-labels';
import type { AuditFinding, AuditReport, StageSpan, TimelineEntry } from './audit-report';

/**
 * A filing's audit as a standalone SVG 1.1 picture: one bar per stay in a stage on a time axis
 * (China Standard Time), each stage's due time as a tick, overdue stays drawn red, every event as a
 * dot (red with its rules in a tooltip when a finding is about it), a legend, the verdict in the title.
 * Pure and deterministic: the same report gives the same bytes; nothing is fetched from anywhere.
 */

export type TimelineLabels = LabelLanguage;

export interface TimelineSvgOptions {
  labels?: TimelineLabels;
}

const WIDTH = 960;
const LEFT = 150;
const RIGHT = 90;
const TOP = 76;
const ROW = 28;
const BAR = 14;
const DOT = 5;
const DOT_ROW = 11;
const MAX_DOT_LEVELS = 6;
const MAX_LISTED_FINDINGS = 6;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TICK_STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];
const MAX_TICKS = 8;

const COLOURS = {
  text: '#222222',
  muted: '#666666',
  grid: '#e5e5e5',
  axis: '#999999',
  bar: '#9ecae1',
  barEdge: '#3182bd',
  overdue: '#f4c7c3',
  overdueEdge: '#c62828',
  pastDue: '#c62828',
  due: '#333333',
  event: '#555555',
  finding: '#d62728',
  verified: '#2e7d32',
} as const;

interface Words {
  title: string;
  verified: string;
  notVerified: string;
  findings: (n: number) => string;
  events: (n: number) => string;
  status: string;
  temporalChecked: (appends: number | undefined) => string;
  temporalNotChecked: string;
  eventsRow: string;
  notApplied: string;
  workingDays: (n: number) => string;
  open: string;
  overdue: string;
  due: string;
  legend: { bar: string; overdue: string; due: string; event: string; finding: string };
  streamFindings: string;
  more: (n: number) => string;
  noEvents: string;
  timeZone: string;
  stages: Readonly<Record<FilingStage, string>>;
}

const WORDS: Record<TimelineLabels, Words> = {
  en: {
    title: 'ICP filing audit',
    verified: 'verified',
    notVerified: 'not verified',
    findings: (n) => `${n} finding${n === 1 ? '' : 's'}`,
    events: (n) => `${n} event${n === 1 ? '' : 's'}`,
    status: 'status',
    temporalChecked: (n) => `Temporal cross-checked${n === undefined ? '' : ` (${n} appends)`}`,
    temporalNotChecked: 'Temporal not checked',
    eventsRow: 'Events',
    notApplied: 'not applied',
    workingDays: (n) => `${n} working day${n === 1 ? '' : 's'}`,
    open: 'still open',
    overdue: 'overdue',
    due: 'due',
    legend: {
      bar: 'stay in a stage',
      overdue: 'overdue stay',
      due: 'due time',
      event: 'event',
      finding: 'finding',
    },
    streamFindings: 'Findings about the whole stream',
    more: (n) => `and ${n} more`,
    noEvents: 'No events recorded for this filing.',
    timeZone: 'China Standard Time (UTC+8)',
    stages: STAGE_LABELS.en,
  },
  zh: {
    title: 'ICP备案审计',
    verified: '核验通过',
    notVerified: '未通过核验',
    findings: (n) => `发现 ${n} 个问题`,
    events: (n) => `${n} 个事件`,
    status: '状态',
    temporalChecked: (n) => `已与 Temporal 核对${n === undefined ? '' : `（${n} 次写入）`}`,
    temporalNotChecked: '未与 Temporal 核对',
    eventsRow: '事件',
    notApplied: '未能应用',
    workingDays: (n) => `${n} 个工作日`,
    open: '进行中',
    overdue: '超期',
    due: '截止',
    legend: { bar: '阶段停留', overdue: '超期停留', due: '截止时间', event: '事件', finding: '问题' },
    streamFindings: '涉及整个事件流的问题',
    more: (n) => `另有 ${n} 个`,
    noEvents: '该备案没有记录任何事件。',
    timeZone: '北京时间（UTC+8）',
    stages: STAGE_LABELS.zh,
  },
};

const FONTS: Record<TimelineLabels, string> = {
  en: 'Helvetica, Arial, sans-serif',
  zh: "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
};

/** Text and attribute values, escaped for XML; characters XML 1.0 forbids are dropped. */
export function escapeXml(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const num = (value: number): string => {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
};

type Attributes = Record<string, string | number | undefined>;

function element(name: string, attributes: Attributes, children?: readonly string[] | string): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`)
    .join('');
  if (children === undefined) return `<${name}${attrs}/>`;
  const inner = typeof children === 'string' ? escapeXml(children) : children.join('');
  return `<${name}${attrs}>${inner}</${name}>`;
}

const title = (text: string): string => element('title', {}, text);

/** `YYYY-MM-DD HH:mm` in China Standard Time. */
function chinaTime(epochMs: number): string {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

const instant = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
};

interface Scale {
  from: number;
  to: number;
  x(epochMs: number): number;
}

function scaleOf(times: readonly number[]): Scale | undefined {
  if (times.length === 0) return undefined;
  let from = Math.min(...times);
  let to = Math.max(...times);
  if (to - from < HOUR) {
    from -= HOUR / 2;
    to += HOUR / 2;
  }
  const pad = (to - from) * 0.02;
  from -= pad;
  to += pad;
  const span = WIDTH - LEFT - RIGHT;
  return { from, to, x: (ms) => LEFT + ((ms - from) / (to - from)) * span };
}

/** Ticks on China-local boundaries (midnight for day steps), at most MAX_TICKS of them. */
function ticksOf(scale: Scale): { at: number; label: string }[] {
  const range = scale.to - scale.from;
  const step =
    TICK_STEPS.find((candidate) => range / candidate <= MAX_TICKS) ??
    Math.ceil(range / MAX_TICKS / DAY) * DAY;
  const first = Math.ceil((scale.from + CHINA_OFFSET_MS) / step) * step - CHINA_OFFSET_MS;
  const ticks: { at: number; label: string }[] = [];
  let previousDate = '';
  for (let at = first; at <= scale.to; at += step) {
    const [date = '', time = ''] = chinaTime(at).split(' ');
    const sameYear = previousDate.slice(0, 4) === date.slice(0, 4);
    const day = sameYear ? date.slice(5) : date;
    ticks.push({ at, label: step < DAY ? (previousDate === date ? time : `${day} ${time}`) : day });
    previousDate = date;
  }
  return ticks;
}

interface Dot {
  entry: TimelineEntry;
  x: number;
  level: number;
  findings: AuditFinding[];
}

/** Dots closer than a dot's width go one level down, so simultaneous events stay apart. */
function placeDots(
  timeline: readonly TimelineEntry[],
  scale: Scale,
  findings: readonly AuditFinding[],
): Dot[] {
  const lastX: number[] = [];
  return timeline.flatMap((entry) => {
    const at = instant(entry.occurredAt);
    if (at === undefined) return [];
    const x = scale.x(at);
    let level = lastX.findIndex((previous) => x - previous >= DOT * 2 + 1);
    if (level === -1) level = lastX.length < MAX_DOT_LEVELS ? lastX.length : 0;
    lastX[level] = x;
    return [{ entry, x, level, findings: findings.filter((f) => f.seq === entry.seq) }];
  });
}

function heading(report: AuditReport, words: Words): { text: string; colour: string } {
  const verdict =
    report.verdict === 'verified'
      ? words.verified
      : report.findings.length > 0
        ? words.findings(report.findings.length)
        : words.notVerified;
  return {
    text: `${words.title} — ${verdict}`,
    colour: report.verdict === 'verified' ? COLOURS.verified : COLOURS.finding,
  };
}

function subheading(report: AuditReport, words: Words): string {
  const temporal = report.temporal.checked
    ? words.temporalChecked(report.temporal.appendsCompared)
    : `${words.temporalNotChecked}${report.temporal.reason ? `: ${report.temporal.reason}` : ''}`;
  return [
    report.filingId,
    words.events(report.events),
    ...(report.status ? [`${words.status} ${report.status}`] : []),
    temporal,
  ].join(' · ');
}

function stageRow(span: StageSpan, row: number, scale: Scale, endOfRecord: number, words: Words): string[] {
  const top = TOP + row * ROW;
  const barTop = top + (ROW - BAR) / 2;
  const entered = instant(span.enteredAt) ?? endOfRecord;
  const left = instant(span.leftAt);
  // A closed filing stays closed: its last stage is an end, not a stay still running.
  const final = span.stage === 'closed';
  const end = final ? entered : Math.max(left ?? endOfRecord, entered);
  const x1 = scale.x(entered);
  const x2 = Math.max(scale.x(end), x1 + 3);
  const due = instant(span.dueAt);
  const name = words.stages[span.stage];
  const tooltip = [
    final
      ? `${name}: ${chinaTime(entered)}`
      : `${name}: ${chinaTime(entered)} → ${left === undefined ? words.open : chinaTime(left)}`,
    ...(final ? [] : [words.workingDays(span.workingDays)]),
    ...(due === undefined ? [] : [`${words.due} ${chinaTime(due)}`]),
    ...(span.overdue ? [words.overdue] : []),
  ].join(' · ');
  const parts = [
    element('text', { x: LEFT - 10, y: top + ROW / 2 + 4, 'text-anchor': 'end', 'font-size': 12 }, name),
    element(
      'rect',
      {
        x: x1,
        y: barTop,
        width: x2 - x1,
        height: BAR,
        rx: 2,
        class: span.overdue ? 'stage overdue' : 'stage',
        fill: span.overdue ? COLOURS.overdue : COLOURS.bar,
        stroke: span.overdue ? COLOURS.overdueEdge : COLOURS.barEdge,
        'stroke-width': 1,
        'stroke-dasharray': left === undefined && !final ? '4 2' : undefined,
      },
      [title(tooltip)],
    ),
  ];
  if (due !== undefined && end > due) {
    const from = Math.max(scale.x(due), x1);
    parts.push(
      element(
        'rect',
        {
          class: 'past-due',
          x: from,
          y: barTop,
          width: Math.max(x2 - from, 1),
          height: BAR,
          fill: COLOURS.pastDue,
        },
        [title(`${words.overdue}: ${name}`)],
      ),
    );
  }
  if (due !== undefined) {
    const x = scale.x(due);
    parts.push(
      element('g', { class: 'due' }, [
        title(`${name} ${words.due} ${chinaTime(due)}`),
        element('line', {
          x1: x,
          y1: top + 2,
          x2: x,
          y2: top + ROW - 2,
          stroke: COLOURS.due,
          'stroke-width': 2,
        }),
        element('path', { d: `M${num(x - 4)},${num(top)}h8l-4,5z`, fill: COLOURS.due }),
      ]),
    );
  }
  if (final) return parts;
  const label = words.workingDays(span.workingDays);
  // Past the due tick when it stands just after the bar.
  const dueX = due === undefined ? undefined : scale.x(due);
  const after = (dueX !== undefined && dueX >= x2 && dueX < x2 + 80 ? dueX + 2 : x2) + 6;
  const fits = after + label.length * 6 < WIDTH - 4;
  parts.push(
    element(
      'text',
      {
        x: fits ? after : x1 - 6,
        y: top + ROW / 2 + 4,
        'text-anchor': fits ? 'start' : 'end',
        'font-size': 10,
        fill: COLOURS.muted,
      },
      label,
    ),
  );
  return parts;
}

const isBad = (dot: Dot): boolean =>
  dot.findings.length > 0 || !dot.entry.chainIntact || dot.entry.applied === false;

function dotsRow(dots: readonly Dot[], top: number, words: Words): string[] {
  return [
    element(
      'text',
      { x: LEFT - 10, y: top + DOT_ROW, 'text-anchor': 'end', 'font-size': 12 },
      words.eventsRow,
    ),
    // Findings last, so a red dot is never hidden under a grey one.
    ...[...dots.filter((d) => !isBad(d)), ...dots.filter(isBad)].map((dot) => {
      const bad = isBad(dot);
      const lines = [
        `#${dot.entry.seq} ${dot.entry.type} — ${chinaTime(instant(dot.entry.occurredAt) ?? 0)}${
          dot.entry.applied === false ? ` (${words.notApplied})` : ''
        }`,
        ...dot.findings.map((f) => `${f.rule}: ${f.message}`),
      ];
      return element(
        'circle',
        {
          cx: dot.x,
          cy: top + DOT_ROW / 2 + 2 + dot.level * DOT_ROW,
          r: DOT,
          fill: bad ? COLOURS.finding : COLOURS.event,
          stroke: '#ffffff',
          'stroke-width': 1,
          class: bad ? 'event finding' : 'event',
        },
        [title(lines.join('\n'))],
      );
    }),
  ];
}

function axis(scale: Scale, top: number, bottom: number, words: Words): string[] {
  return [
    ...ticksOf(scale).flatMap((tick) => {
      const x = scale.x(tick.at);
      return [
        element('line', { x1: x, y1: top, x2: x, y2: bottom, stroke: COLOURS.grid, 'stroke-width': 1 }),
        element('line', {
          x1: x,
          y1: bottom,
          x2: x,
          y2: bottom + 4,
          stroke: COLOURS.axis,
          'stroke-width': 1,
        }),
        element(
          'text',
          { x, y: bottom + 16, 'text-anchor': 'middle', 'font-size': 10, fill: COLOURS.muted },
          tick.label,
        ),
      ];
    }),
    element('line', {
      x1: LEFT,
      y1: bottom,
      x2: WIDTH - RIGHT,
      y2: bottom,
      stroke: COLOURS.axis,
      'stroke-width': 1,
    }),
    element(
      'text',
      { x: WIDTH - RIGHT, y: bottom + 30, 'text-anchor': 'end', 'font-size': 10, fill: COLOURS.muted },
      words.timeZone,
    ),
  ];
}

function legend(top: number, words: Words): string[] {
  const items: Array<[string, string]> = [
    [
      element('rect', { width: 18, height: 10, y: -9, fill: COLOURS.bar, stroke: COLOURS.barEdge }),
      words.legend.bar,
    ],
    [
      element('rect', { width: 18, height: 10, y: -9, fill: COLOURS.overdue, stroke: COLOURS.overdueEdge }),
      words.legend.overdue,
    ],
    [
      element('line', { x1: 9, y1: -11, x2: 9, y2: 3, stroke: COLOURS.due, 'stroke-width': 2 }),
      words.legend.due,
    ],
    [element('circle', { cx: 9, cy: -4, r: DOT, fill: COLOURS.event }), words.legend.event],
    [element('circle', { cx: 9, cy: -4, r: DOT, fill: COLOURS.finding }), words.legend.finding],
  ];
  let x = LEFT;
  return items.map(([swatch, label]) => {
    const group = element('g', { transform: `translate(${num(x)},${num(top)})` }, [
      swatch,
      element('text', { x: 24, y: 0, 'font-size': 11 }, label),
    ]);
    x += 24 + label.length * (/[^\u0020-\u00ff]/.test(label) ? 12 : 6.5) + 22;
    return group;
  });
}

function listedFindings(findings: readonly AuditFinding[], top: number, words: Words): string[] {
  if (findings.length === 0) return [];
  const shown = findings.slice(0, MAX_LISTED_FINDINGS);
  const lines = shown.map((f, index) =>
    element('text', { x: LEFT, y: top + 16 + index * 15, 'font-size': 11, fill: COLOURS.finding }, [
      title(f.message),
      escapeXml(`${f.seq < 0 ? '' : `#${f.seq} `}${f.rule}: ${truncate(f.message, 110)}`),
    ]),
  );
  const rest = findings.length - shown.length;
  return [
    element('text', { x: LEFT, y: top, 'font-size': 11, 'font-weight': 'bold' }, words.streamFindings),
    ...lines,
    ...(rest > 0
      ? [element('text', { x: LEFT, y: top + 16 + shown.length * 15, 'font-size': 11 }, words.more(rest))]
      : []),
  ];
}

const truncate = (text: string, max: number): string =>
  [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;

/** The report as an SVG document (UTF-8, with its XML declaration). */
export function renderTimelineSvg(report: AuditReport, options: TimelineSvgOptions = {}): string {
  const labels = options.labels ?? 'en';
  const words = WORDS[labels];
  const head = heading(report, words);
  const times = [
    ...report.stages.flatMap((s) => [s.enteredAt, s.leftAt, s.dueAt]),
    ...report.timeline.map((e) => e.occurredAt),
  ].flatMap((iso) => instant(iso) ?? []);
  const scale = scaleOf(times);

  const dots = scale ? placeDots(report.timeline, scale, report.findings) : [];
  const body: string[] = [];
  let y = TOP;
  if (!scale) {
    body.push(element('text', { x: LEFT, y: y + 20, 'font-size': 13, fill: COLOURS.muted }, words.noEvents));
    y += 40;
  } else {
    const endOfRecord = Math.max(...report.timeline.flatMap((e) => instant(e.occurredAt) ?? []), scale.from);
    const stageRows = report.stages.flatMap((span, row) => stageRow(span, row, scale, endOfRecord, words));
    y += report.stages.length * ROW + 6;
    const levels = Math.max(1, ...dots.map((d) => d.level + 1));
    const dotsTop = y;
    y += levels * DOT_ROW + 10;
    body.push(...axis(scale, TOP - 4, y, words), ...stageRows, ...dotsRow(dots, dotsTop, words));
    y += 40;
  }
  body.push(...legend(y + 4, words));
  y += 24;
  const drawn = new Set(dots.map((d) => d.entry.seq));
  const elsewhere = report.findings.filter((f) => !drawn.has(f.seq));
  if (elsewhere.length > 0) {
    body.push(...listedFindings(elsewhere, y + 12, words));
    y += 12 + 16 + Math.min(elsewhere.length, MAX_LISTED_FINDINGS + 1) * 15;
  }
  const height = Math.ceil(y + 12);

  const svg = element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      version: '1.1',
      width: WIDTH,
      height,
      viewBox: `0 0 ${WIDTH} ${height}`,
      'font-family': FONTS[labels],
      fill: COLOURS.text,
    },
    [
      element('title', {}, head.text),
      element('desc', {}, subheading(report, words)),
      element('rect', { x: 0, y: 0, width: WIDTH, height, fill: '#ffffff' }),
      element('text', { x: 16, y: 28, 'font-size': 17, 'font-weight': 'bold', fill: head.colour }, head.text),
      element(
        'text',
        { x: 16, y: 48, 'font-size': 11, fill: COLOURS.muted },
        truncate(subheading(report, words), 150),
      ),
      ...body,
    ],
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
