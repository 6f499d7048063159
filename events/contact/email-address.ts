import { domainNameProblem } from '../network/domain-name';

const MAX_LENGTH = 254;
const MAX_LOCAL_PART = 64;
/** RFC 5322 dot-atom: atext runs separated by single dots. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * An address a mail server will accept: dot-atom local part, a domain name as `domainNameProblem`
 * accepts it (ASCII; internationalised domains in punycode). Quoted local parts are not accepted.
 */
export function isEmailAddress(value: string): boolean {
  if (value.length > MAX_LENGTH) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= MAX_LOCAL_PART && DOT_ATOM.test(local) && domainNameProblem(domain) === undefined;
}
