import type { VerificationRequest } from '../../../events/registry/verification';
import {
  parseVerificationObject,
  VERIFICATION_FIELDS,
} from '../../../services/verification/verification.requests';

/** One question of a catalogue, with the line it came from (1-based, as an editor shows it). */
export interface CatalogueItem {
  line: number;
  request: VerificationRequest;
}

/** The catalogue cannot be checked: one line naming where and what. */
export class CatalogueError extends Error {}

/** A CSV line's cells: commas separate, double quotes enclose (`""` inside is one quote). */
export function csvCells(text: string, line: number): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted && char === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (char === '"' && (quoted || cell === '')) {
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += char;
    }
  }
  if (quoted) throw new CatalogueError(`line ${line}: a quoted cell is not closed`);
  cells.push(cell);
  return cells;
}

/** CSV: a header naming the fields (packageName, signatureMd5, bundleId, … domain), then one item a line. */
function csvObjects(lines: readonly string[]): Array<[number, unknown]> {
  const headerAt = lines.findIndex((text) => text.trim() !== '');
  if (headerAt < 0) return [];
  const header = csvCells(lines[headerAt] ?? '', headerAt + 1).map((name) => name.trim());
  const unknown = header.find((name) => !(VERIFICATION_FIELDS as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new CatalogueError(
      `line ${headerAt + 1}: column "${unknown}" is not one of ${VERIFICATION_FIELDS.join(', ')}`,
    );
  }
  const objects: Array<[number, unknown]> = [];
  lines.forEach((text, index) => {
    if (index <= headerAt || text.trim() === '') return;
    const cells = csvCells(text, index + 1);
    if (cells.length !== header.length) {
      throw new CatalogueError(`line ${index + 1}: ${cells.length} cells, the header names ${header.length}`);
    }
    const entries = header.map((name, at) => [name, cells[at]?.trim() ?? ''] as const);
    objects.push([index + 1, Object.fromEntries(entries.filter(([, value]) => value !== ''))]);
  });
  return objects;
}

/** JSON Lines: one JSON object a line, with the same fields as a `POST /v1/verify/batch` item. */
function jsonlObjects(lines: readonly string[]): Array<[number, unknown]> {
  const objects: Array<[number, unknown]> = [];
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    try {
      objects.push([index + 1, JSON.parse(text)]);
    } catch {
      throw new CatalogueError(`line ${index + 1}: not a JSON object`);
    }
  });
  return objects;
}

/**
 * The questions of a catalogue (`.csv`, otherwise JSON Lines), each checked as the API checks a batch
 * item. @throws CatalogueError naming the first bad line and field.
 */
export function parseCatalogue(text: string, format: 'csv' | 'jsonl'): CatalogueItem[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const objects = format === 'csv' ? csvObjects(lines) : jsonlObjects(lines);
  return objects.map(([line, object]) => {
    const parsed = parseVerificationObject(object);
    if (parsed.ok) return { line, request: parsed.value };
    const [error] = parsed.errors;
    const where = error && error.path !== '$' ? `${error.path}: ` : '';
    throw new CatalogueError(`line ${line}: ${where}${error?.message ?? 'invalid'}`);
  });
}
