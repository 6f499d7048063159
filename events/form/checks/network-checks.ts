import { assertNever } from '../../assert-never';
import { DOMAIN_NAME, type DomainNameProblem, domainNameProblem } from '../../network/domain-name';
import { isPublicIpAddress, parseIpAddress } from '../../network/ip-address';
import type { Finding } from '../schema/form-issues';
import { patternOf } from '../schema/json-schema';
import type { TextCheck } from '../schema/text-check';

const NO_FINDINGS: readonly Finding[] = [];

export const domainCheck: TextCheck = {
  findings(value) {
    const problem = domainNameProblem(value);
    return problem === undefined ? NO_FINDINGS : [{ rule: 'domain_format', message: domainMessage(problem) }];
  },
  jsonSchema: { pattern: patternOf(DOMAIN_NAME) },
};

function domainMessage(problem: DomainNameProblem): string {
  switch (problem) {
    case 'has_scheme':
      return 'must be a bare domain name, without a scheme such as https://';
    case 'has_port':
      return 'must be a bare domain name, without a port';
    case 'has_path':
      return 'must be a bare domain name, without a path, query or fragment';
    case 'wildcard':
      return 'must name one domain; wildcards are not accepted';
    case 'not_ascii':
      return 'must be written in ASCII; give internationalised names in punycode (xn--…)';
    case 'too_long':
      return 'must be at most 253 characters long';
    case 'trailing_dot':
      return 'must be written without a trailing dot';
    case 'single_label':
      return 'must be a fully qualified domain name such as example.com';
    case 'bad_label':
      return 'each part must be 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen';
    case 'bad_top_level':
      return 'must end with a top-level domain of letters (or punycode)';
    default:
      return assertNever(problem, 'domain name problem');
  }
}

/** Whether an address is public is a table of ranges no pattern states well: the format names it. */
export const ipAddressCheck: TextCheck = { findings: ipAddressFindings, jsonSchema: { format: 'public-ip' } };

function ipAddressFindings(value: string): readonly Finding[] {
  const address = parseIpAddress(value);
  if (!address) {
    return [
      { rule: 'ip_format', message: 'must be a single IPv4 or IPv6 address, without prefix length or port' },
    ];
  }
  return isPublicIpAddress(address)
    ? NO_FINDINGS
    : [
        {
          rule: 'ip_not_public',
          message:
            'must be a public address, not a private, loopback, link-local, reserved or documentation one',
        },
      ];
}

/** One spelling per address, so 2400:3200::1 and 2400:3200:0:0::1 count as the same. */
export function canonicalIpAddress(value: string): string {
  const address = parseIpAddress(value);
  if (!address) return value;
  switch (address.version) {
    case 4:
      return address.octets.join('.');
    case 6:
      return address.hextets.map((hextet) => hextet.toString(16)).join(':');
    default:
      return assertNever(address, 'IP address');
  }
}
