import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative } from 'node:path';
import { transformSync } from '@swc/core';
import swcOptions from '../swc-options.json';

/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): where the samples fall, by self time per function
 * and grouped by origin (the project's folders, each npm package, Node internals, GC, idle).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  durationMs: number;
  /** Share of samples in which the thread was idle (waiting on I/O or other processes). */
  idlePct: number;
  /** Busy time by origin, % of busy samples. */
  byOrigin: Array<{ origin: string; pct: number }>;
  /** Functions by self time, % of busy samples. */
  topSelf: Array<{ frame: string; pct: number }>;
  /** The project's own functions by inclusive time, % of busy samples. */
  topProjectInclusive: Array<{ frame: string; pct: number }>;
}

const ROOT = join(__dirname, '..', '..');
const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

function pathOf(url: string): string {
  return url.startsWith('file://') ? url.slice('file://'.length) : url;
}

function originOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const path = pathOf(frame.url);
  if (!path) return '(native)';
  if (path.startsWith('node:') || !path.startsWith('/')) return 'node internals';
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    return `npm ${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.includes('workflow-bundle')) return 'workflow bundle (sandbox)';
  const inRepo = relative(ROOT, path);
  if (inRepo.startsWith('..')) return 'other';
  return `${inRepo.split('/')[0]}/`;
}

const sourceMaps = new Map<string, SourceMap | undefined>();

/**
 * The TypeScript line of a position in code compiled by bench/register.cjs: the file is compiled again
 * with the same options and its source map asked (V8 reports positions in the compiled code).
 */
function sourceLine(path: string, line: number, column: number): number {
  if (!path.endsWith('.ts')) return line + 1;
  if (!sourceMaps.has(path)) {
    try {
      const { map } = transformSync(readFileSync(path, 'utf8'), {
        ...(swcOptions as object),
        filename: path,
        sourceMaps: true,
      });
      sourceMaps.set(
        path,
        map ? new SourceMap(JSON.parse(map) as ConstructorParameters<typeof SourceMap>[0]) : undefined,
      );
    } catch {
      sourceMaps.set(path, undefined);
    }
  }
  const entry = sourceMaps.get(path)?.findEntry(line, column) as { originalLine?: number } | undefined;
  return entry?.originalLine === undefined ? line + 1 : entry.originalLine + 1;
}

function label(frame: CallFrame): string {
  const path = pathOf(frame.url);
  const where = path.startsWith('/') ? relative(ROOT, path).replace(/^(\.\.\/)+/, '') : path;
  const line = path.startsWith('/')
    ? sourceLine(path, frame.lineNumber, frame.columnNumber)
    : frame.lineNumber + 1;
  return `${frame.functionName || '(anonymous)'}${where ? ` ${where}:${line}` : ''}`;
}

const pctOf = (part: number, whole: number): number => Math.round((1000 * part) / Math.max(whole, 1)) / 10;

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const timeOf = new Map<number, number>();
  profile.samples.forEach((id, index) =>
    timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)),
  );

  let total = 0;
  let idle = 0;
  const self = new Map<string, number>();
  const origins = new Map<string, number>();
  const projectInclusive = new Map<string, number>();
  for (const [id, time] of timeOf) {
    const node = byId.get(id);
    if (!node) continue;
    total += time;
    if (node.callFrame.functionName === '(idle)') {
      idle += time;
      continue;
    }
    const frame = label(node.callFrame);
    self.set(frame, (self.get(frame) ?? 0) + time);
    const origin = originOf(node.callFrame);
    origins.set(origin, (origins.get(origin) ?? 0) + time);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const ancestor = byId.get(at);
      if (!ancestor) break;
      const origin = originOf(ancestor.callFrame);
      if (!origin.endsWith('/') || origin === 'bench/') continue;
      const name = label(ancestor.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      projectInclusive.set(name, (projectInclusive.get(name) ?? 0) + time);
    }
  }
  const busy = total - idle;
  const ranked = (map: Map<string, number>, key: 'frame' | 'origin') =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => ({ [key]: name, pct: pctOf(time, busy) }));
  return {
    file,
    durationMs: Math.round((profile.endTime - profile.startTime) / 1000),
    idlePct: pctOf(idle, total),
    byOrigin: ranked(origins, 'origin') as ProfileSummary['byOrigin'],
    topSelf: ranked(self, 'frame') as ProfileSummary['topSelf'],
    topProjectInclusive: ranked(projectInclusive, 'frame') as ProfileSummary['topProjectInclusive'],
  };
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const lines = [
    `${relative(ROOT, summary.file)}: ${(summary.durationMs / 1000).toFixed(1)} s, idle ${summary.idlePct}%`,
    `  busy time by origin: ${summary.byOrigin.map((o) => `${o.origin} ${o.pct}%`).join(', ')}`,
    '  top self time:',
    ...summary.topSelf.map((f) => `    ${String(f.pct).padStart(5)}%  ${f.frame}`),
    '  project code, inclusive:',
    ...summary.topProjectInclusive.map((f) => `    ${String(f.pct).padStart(5)}%  ${f.frame}`),
  ];
  return lines.join('\n');
}

/** Every `.cpuprofile` in a directory, largest (most samples) first. */
export function profilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

// `node -r ./bench/register.cjs bench/lib/cpu-profile.ts <file.cpuprofile|dir>…` prints the summaries.
if (require.main === module) {
  for (const target of process.argv.slice(2)) {
    const files = target.endsWith('.cpuprofile') ? [target] : profilesIn(target);
    for (const file of files) process.stdout.write(`${formatProfileSummary(summarizeProfile(file))}\n\n`);
  }
}
