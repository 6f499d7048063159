import { DOMAIN_NAME_SOURCE, domainNameProblem } from '../network/domain-name';

export const MAX_EMAIL_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART = 64;
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
/** RFC 5322 dot-atom: atext runs separated by single dots. */
const DOT_ATOM_SOURCE = `${ATEXT}+(?:\\.${ATEXT}+)*`;
const DOT_ATOM = new RegExp(`^${DOT_ATOM_SOURCE}$`);

/**
 * What `isEmailAddress` accepts, up to its length limits, as expressions published in OpenAPI: the
 * address, and its local part's limit (both must match).
 */
export const EMAIL_ADDRESS = new RegExp(`^${DOT_ATOM_SOURCE}@${DOMAIN_NAME_SOURCE}$`);
export const EMAIL_LOCAL_PART_LIMIT = new RegExp(`^[^@]{1,${MAX_LOCAL_PART}}@`);

/**
 * An address a mail server will accept: dot-atom local part, a domain name as `domainNameProblem`
 * accepts it (ASCII; internationalised domains in punycode). Quoted local parts are not accepted.
 */
export function isEmailAddress(value: string): boolean {
  if (value.length > MAX_EMAIL_ADDRESS_LENGTH) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= MAX_LOCAL_PART && DOT_ATOM.test(local) && domainNameProblem(domain) === undefined;
}
