import type { Parsed } from '../../../services/http/request-fields';
import { parseJsonLines } from '../../../services/compliance/inventory.requests';
import { csvCells } from './verify-catalogue';

/** An inventory file as the objects of `POST /v1/compliance/inventories` `{lines}`; the API checks them. */
export function inventoryObjects(text: string, fileName: string): Parsed<unknown[]> {
  return /\.csv$/i.test(fileName) ? csvInventory(text) : parseJsonLines(text);
}

/** CSV: a header naming the line fields (kind, value, …, province, servedSince, name), then one line each. */
function csvInventory(text: string): Parsed<unknown[]> {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((line) => line.trim() !== '');
  if (headerAt < 0) return { ok: true, value: [] };
  const header = csvCells(lines[headerAt] ?? '', headerAt + 1).map((name) => name.trim());
  const objects: unknown[] = [];
  for (const [index, line] of lines.entries()) {
    if (index <= headerAt || line.trim() === '') continue;
    const cells = csvCells(line, index + 1);
    const entries = header.map((name, at) => [name, cells[at]?.trim() ?? ''] as const);
    objects.push(Object.fromEntries(entries.filter(([, value]) => value !== '')));
  }
  return { ok: true, value: objects };
}
