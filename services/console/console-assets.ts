import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { STAGE_LABELS } from '../../events/filing/stage-labels';
import { PROVINCES } from '../../events/provinces';
import type { WorkingDayDataset } from '../../events/working-days/working-day-calendar';

/** The generated module of stage labels `console/i18n.js` imports. */
export const STAGE_LABELS_MODULE = 'stage-labels.js';

/** One file the console serves, read once at startup. */
export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** Strong validator of the body, for If-None-Match. */
  readonly etag: string;
}

export interface ConsoleAssets {
  readonly index: ConsoleAsset;
  /** By file name (no folders): `app.js`, `app.css`, … and the generated `reference.json` and `stage-labels.js`. */
  readonly files: ReadonlyMap<string, ConsoleAsset>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
};

/**
 * The project root: the nearest folder above `from` holding package.json. The compiled controller runs
 * from dist/services/console and the tests' from services/console, so a fixed `../..` fits only one.
 */
export function findProjectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

function asset(body: Buffer, contentType: string): ConsoleAsset {
  return {
    body,
    contentType,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

/**
 * Reference data the page needs from the domain: province names, and China's working days for
 * "working days left" (the same `chinese-days` data deadlines are computed with), from last year on.
 */
function referenceAsset(dataset: WorkingDayDataset, now: Date): ConsoleAsset {
  const from = String(now.getUTCFullYear() - 1);
  const recent = (dates: readonly string[]) => dates.filter((date) => date >= from);
  const json = JSON.stringify({
    provinces: PROVINCES.map(({ code, name, englishName }) => ({ code, zh: name, en: englishName })),
    workingDays: {
      holidays: recent(dataset.holidays),
      adjustedWorkdays: recent(dataset.adjustedWorkdays),
      announcedYears: dataset.announcedYears.filter((year) => year >= Number(from)),
    },
  });
  return asset(Buffer.from(json, 'utf8'), CONTENT_TYPES['.json'] ?? '');
}

/** The domain's stage labels as an ES module, so `i18n.js` imports them instead of restating them. */
function stageLabelsAsset(): ConsoleAsset {
  const source = `export const STAGE_LABELS = ${JSON.stringify(STAGE_LABELS)};\n`;
  return asset(Buffer.from(source, 'utf8'), CONTENT_TYPES['.js'] ?? '');
}

/** Reads the top-level `console/` folder: index.html and the flat list of assets beside it. */
export function loadConsoleAssets(
  dataset: WorkingDayDataset,
  folder = join(findProjectRoot(), 'console'),
  now = new Date(),
): ConsoleAssets {
  const files = new Map<string, ConsoleAsset>();
  let index: ConsoleAsset | undefined;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const contentType = CONTENT_TYPES[extname(entry.name)];
    if (!entry.isFile() || contentType === undefined) continue;
    const loaded = asset(readFileSync(join(folder, entry.name)), contentType);
    if (entry.name === 'index.html') index = loaded;
    else files.set(entry.name, loaded);
  }
  if (!index) throw new Error(`the console has no index.html in ${folder}`);
  files.set('reference.json', referenceAsset(dataset, now));
  files.set(STAGE_LABELS_MODULE, stageLabelsAsset());
  return { index, files };
}
