import { InvalidCursorError } from '../../events/ports/read-models.port';

/**
 * Opaque page cursors: base64url of a JSON array `[kind, ...sort key of the last row returned]`.
 * A cursor is only meaningful with the same filters it was issued for.
 */
export type CursorKey = readonly (string | number)[];

export function encodeCursor(kind: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([kind, ...key]), 'utf8').toString('base64url');
}

/** The sort key in `cursor`, checked against the expected kind and shape (`string` / `number` per slot). */
export function decodeCursor(
  cursor: string,
  kind: string,
  shape: readonly ('string' | 'number')[],
): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this API issued');
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind || parsed.length !== shape.length + 1) {
    throw new InvalidCursorError(`cursor is not a ${kind} cursor`);
  }
  const key: unknown[] = parsed.slice(1);
  key.forEach((value, index) => {
    if (typeof value !== shape[index]) throw new InvalidCursorError(`cursor is not a ${kind} cursor`);
  });
  return key as (string | number)[];
}
