/** The public registry route a service is looked up by its number (`services/public`). */
export const SERVICE_LOOKUP_PATH = '/v1/public/services';

/** What an app, website or store listing must show for a registered service. */
export interface ServiceDisplay {
  /** The service number itself, e.g. `粤ICP备2026000001号-2A`. */
  text: string;
  /** The registry's public lookup of that number: relative to the API unless a base URL is given. */
  lookupUrl: string;
}

/**
 * The display text and lookup link of `serviceNumber`. With `baseUrl` (e.g. `https://icp.example`)
 * the link is absolute; a trailing slash on it is ignored.
 */
export function displayOf(serviceNumber: string, baseUrl = ''): ServiceDisplay {
  const query = `serviceNumber=${formEncoded(serviceNumber)}`;
  const base = baseUrl === '' ? '' : baseUrl.replace(/\/+$/, '');
  return { text: serviceNumber, lookupUrl: `${base}${SERVICE_LOOKUP_PATH}?${query}` };
}

/** Characters `encodeURIComponent` leaves as they are but a form encoding (URLSearchParams) escapes. */
const FORM_ESCAPED = /[!'()~]|%20/g;

/**
 * `text` form-encoded exactly as `URLSearchParams` writes it (space as `+`), without building one per
 * answer: a batch writes thousands of these. Text `encodeURIComponent` refuses (a lone surrogate) goes
 * the slow way.
 */
function formEncoded(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    return new URLSearchParams({ text }).toString().slice('text='.length);
  }
  return encoded.replace(FORM_ESCAPED, (match) =>
    match === '%20' ? '+' : `%${match.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
