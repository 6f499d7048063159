import { type FieldError, onlyFields, type Parsed } from '../http/request-fields';

export const MAX_SEARCH_LENGTH = 200;

export interface AuditSearchRequest {
  /** A filing id, a registration number (or its beginning) or part of an app or operator name. */
  q: string;
}

/** `?q=` once, 1–200 characters after trimming, no control characters; nothing else. */
export function parseAuditSearchQuery(input: unknown): Parsed<AuditSearchRequest> {
  const query = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const errors: FieldError[] = [];
  onlyFields(query, ['q'], errors, 'a parameter of this route');
  const raw = query.q;
  const q = typeof raw === 'string' ? raw.trim() : '';
  if (raw === undefined || (typeof raw === 'string' && q === '')) {
    errors.push({ path: 'q', rule: 'required', message: 'q is required: a filing id, number or name' });
  } else if (typeof raw !== 'string') {
    errors.push({ path: 'q', rule: 'type', message: 'q must be given once, as text' });
  } else if (q.length > MAX_SEARCH_LENGTH) {
    errors.push({
      path: 'q',
      rule: 'too_long',
      message: `q must be at most ${MAX_SEARCH_LENGTH} characters`,
    });
  } else if (/\p{Cc}/u.test(q)) {
    errors.push({ path: 'q', rule: 'invalid_characters', message: 'q must not contain control characters' });
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: { q } };
}
