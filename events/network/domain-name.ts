/**
 * Fully qualified domain names as filed: bare host names (no scheme, port, path or wildcard),
 * ASCII only (internationalised names in punycode, `xn--…`), at least two labels, no trailing dot.
 */

export type DomainNameProblem =
  | 'has_scheme'
  | 'has_port'
  | 'has_path'
  | 'wildcard'
  | 'not_ascii'
  | 'too_long'
  | 'trailing_dot'
  | 'single_label'
  | 'bad_label'
  | 'bad_top_level';

export const MAX_DOMAIN_NAME_LENGTH = 253;
const LABEL_SOURCE = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
const LABEL = new RegExp(`^${LABEL_SOURCE}$`);
const TOP_LEVEL = /^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;
/** A label that is also a top-level domain: letters, or punycode (`xn--`, any case). */
const TOP_LEVEL_LABEL_SOURCE = '(?:[a-zA-Z]{2,63}|[xX][nN]--(?:[a-zA-Z0-9-]{0,58}[a-zA-Z0-9]))';
/** What `domainNameProblem` accepts, up to the length limit, as one expression (published in OpenAPI). */
export const DOMAIN_NAME_SOURCE = `(?:${LABEL_SOURCE}\\.)+${TOP_LEVEL_LABEL_SOURCE}`;
export const DOMAIN_NAME = new RegExp(`^${DOMAIN_NAME_SOURCE}$`);

export function domainNameProblem(value: string): DomainNameProblem | undefined {
  if (value.includes('://')) return 'has_scheme';
  if (/[/?#]/.test(value)) return 'has_path';
  if (value.includes(':')) return 'has_port';
  if (value.includes('*')) return 'wildcard';
  if (/\P{ASCII}/u.test(value)) return 'not_ascii';
  if (value.length > MAX_DOMAIN_NAME_LENGTH) return 'too_long';
  if (value.endsWith('.') && value.length > 1) return 'trailing_dot';
  const labels = value.split('.');
  if (labels.length < 2) return 'single_label';
  if (!labels.every((label) => LABEL.test(label))) return 'bad_label';
  if (!TOP_LEVEL.test(labels[labels.length - 1] ?? '')) return 'bad_top_level';
  return undefined;
}
