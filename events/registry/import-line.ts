import { parseCalendarDate } from '../calendar-date';
import { canonicalJson } from '../canonical-json';
import { creditCodeCheck, residentIdNumberCheck } from '../form/checks/identity-checks';
import { domainCheck } from '../form/checks/network-checks';
import { type FormRule, severityOf } from '../form/form-rules';
import { IssueCollector } from '../form/schema/form-issues';
import { describeJsonType } from '../form/schema/schema-node';
import type { TextCheck } from '../form/schema/text-check';
import { OPERATOR_NATURES, type OperatorNature } from '../form/registration-form';
import { uuidv5 } from '../ids';
import type { ProvinceCode } from '../provinces';
import { type SubjectNumberFormat, parseRegistrationNumber } from '../registration-number';
import type { CertificateType } from './registry-events';
import { subjectKeyDigestOf } from './registry-streams';

/**
 * One subject of an import file (`icp registry import`), checked in full before anything is written.
 * The certificate number is personal data for an individual: it is kept only to derive the subject
 * key's digest and never appears in an issue, a log line or an event.
 */

export const CERTIFICATE_TYPES = ['uscc', 'resident_id'] as const satisfies readonly CertificateType[];
const NAME_MAX = 100;
const CERTIFICATE_MAX = 32;
const DOMAINS_MAX = 100;
const WEBSITES_MAX = 10_000;

/** Rules an import line can break: the form's rules where they mean the same, and the import's own. */
export type ImportRule =
  | FormRule
  | 'json_syntax'
  | 'certificate_type_for_nature'
  | 'service_number_format'
  | 'service_number_other_subject'
  | 'service_number_not_website'
  | 'date_in_future'
  | 'csv_row_differs'
  /** The registry already gives this subject number to another subject. */
  | 'subject_number_taken'
  /** The subject already holds another subject number in this province. */
  | 'subject_has_other_number'
  /** The registry already gives this service number to another subject or service. */
  | 'service_number_taken';

/** A problem found at `path` (`websites[0].domains[1]`) of one subject; never repeats the value. */
export interface ImportIssue {
  readonly path: string;
  readonly rule: ImportRule;
  readonly message: string;
}

export interface ImportWebsite {
  /** As issued: the province's first abbreviation (`粤ICP备2021012345号-3`). */
  readonly serviceNumber: string;
  readonly n: number;
  readonly name: string;
  /** Lower case, as the registry keeps them. */
  readonly domains: readonly string[];
  readonly approvedOn: string;
}

export interface ImportSubject {
  readonly certificateType: CertificateType;
  /** SHA-256 digest of the subject key (`uscc:<n>` or `id:<n>`); the number itself is not kept. */
  readonly subjectKeyDigest: string;
  readonly operatorName: string;
  readonly operatorNature: OperatorNature;
  /** As issued: the province's first abbreviation. */
  readonly subjectNumber: string;
  readonly provinceCode: ProvinceCode;
  readonly format: SubjectNumberFormat;
  readonly year: number;
  readonly sequence: number;
  readonly websites: readonly ImportWebsite[];
}

export type SubjectCheck =
  | { readonly ok: true; readonly subject: ImportSubject }
  | { readonly ok: false; readonly issues: readonly ImportIssue[] };

type Raw = Readonly<Record<string, unknown>>;

const SUBJECT_FIELDS = [
  'certificateType',
  'certificateNumber',
  'operatorName',
  'operatorNature',
  'subjectNumber',
  'websites',
] as const;
const WEBSITE_FIELDS = ['serviceNumber', 'name', 'domains', 'approvedOn'] as const;

/** Collects issues of one subject; every problem is reported at once. */
class Issues {
  readonly list: ImportIssue[] = [];

  add(path: string, rule: ImportRule, message: string): undefined {
    this.list.push({ path, rule, message });
    return undefined;
  }
}

/**
 * Checks one subject as the file gives it. `today` (`YYYY-MM-DD`, China date) bounds birth dates in
 * resident IDs and approval dates.
 */
export function checkImportSubject(input: unknown, today: string): SubjectCheck {
  const issues = new Issues();
  const raw = objectAt(input, '', issues);
  if (!raw) return { ok: false, issues: issues.list };
  unknownFields(raw, SUBJECT_FIELDS, '', issues);
  const certificateType = choiceAt(raw, 'certificateType', CERTIFICATE_TYPES, '', issues);
  const operatorNature = choiceAt(raw, 'operatorNature', OPERATOR_NATURES, '', issues);
  const operatorName = textAt(raw, 'operatorName', NAME_MAX, '', issues);
  const certificateNumber = certificateAt(raw, certificateType, today, issues);
  if (
    certificateType &&
    operatorNature &&
    (certificateType === 'resident_id') !== (operatorNature === 'individual')
  ) {
    issues.add(
      'certificateType',
      'certificate_type_for_nature',
      'an individual is identified by a resident ID, every other operator by a USCC',
    );
  }
  const subjectNumber = subjectNumberAt(raw, issues);
  const websites = websitesAt(raw, subjectNumber?.subjectNumber, today, issues);
  if (
    issues.list.length > 0 ||
    !certificateType ||
    !operatorNature ||
    operatorName === undefined ||
    certificateNumber === undefined ||
    !subjectNumber ||
    !websites
  ) {
    return { ok: false, issues: issues.list };
  }
  const subjectKeyDigest = subjectKeyDigestOf(subjectKeyOf(certificateType, certificateNumber));
  return {
    ok: true,
    subject: { certificateType, subjectKeyDigest, operatorName, operatorNature, ...subjectNumber, websites },
  };
}

/** `uscc:<USCC>` for an organisation, `id:<resident ID>` for an individual. */
export function subjectKeyOf(certificateType: CertificateType, certificateNumber: string): string {
  return `${certificateType === 'uscc' ? 'uscc' : 'id'}:${certificateNumber}`;
}

/**
 * The id of the import line that brought a subject (the causation of its events): UUIDv5 of the
 * subject's canonical content, the certificate present only as its key's digest.
 */
export function importLineId(subject: ImportSubject): string {
  return uuidv5(`registry-import:${canonicalJson(subject)}`);
}

function objectAt(input: unknown, path: string, issues: Issues): Raw | undefined {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input as Raw;
  return issues.add(path, 'type', `must be an object, not ${describeJsonType(input)}`);
}

function unknownFields(raw: Raw, known: readonly string[], prefix: string, issues: Issues): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key))
      issues.add(`${prefix}${key}`, 'unknown_field', 'is not a field of an import line');
  }
}

function textAt(raw: Raw, key: string, max: number, prefix: string, issues: Issues): string | undefined {
  const value = raw[key];
  const path = `${prefix}${key}`;
  if (value === undefined || value === null) return issues.add(path, 'required', 'is missing');
  if (typeof value !== 'string')
    return issues.add(path, 'type', `must be text, not ${describeJsonType(value)}`);
  if (value.trim() === '') return issues.add(path, 'required', 'must not be empty');
  if ([...value].length > max) return issues.add(path, 'too_long', `must be at most ${max} characters long`);
  return value;
}

function choiceAt<const T extends string>(
  raw: Raw,
  key: string,
  allowed: readonly T[],
  prefix: string,
  issues: Issues,
): T | undefined {
  const value = textAt(raw, key, NAME_MAX, prefix, issues);
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate === value);
  return match ?? issues.add(`${prefix}${key}`, 'invalid_choice', `must be one of ${allowed.join(', ')}`);
}

function certificateAt(
  raw: Raw,
  certificateType: CertificateType | undefined,
  today: string,
  issues: Issues,
): string | undefined {
  const value = textAt(raw, 'certificateNumber', CERTIFICATE_MAX, '', issues);
  if (value === undefined || certificateType === undefined) return undefined;
  const check = certificateType === 'uscc' ? creditCodeCheck : residentIdNumberCheck;
  const errors = findingsOf(check, value, today).filter((finding) => severityOf(finding.rule) === 'error');
  for (const finding of errors) issues.add('certificateNumber', finding.rule, finding.message);
  return errors.length === 0 ? value : undefined;
}

type SubjectNumberParts = Pick<
  ImportSubject,
  'subjectNumber' | 'provinceCode' | 'format' | 'year' | 'sequence'
>;

function subjectNumberAt(raw: Raw, issues: Issues): SubjectNumberParts | undefined {
  const text = textAt(raw, 'subjectNumber', NAME_MAX, '', issues);
  if (text === undefined) return undefined;
  const parsed = parseRegistrationNumber(text);
  if (!parsed.ok || parsed.number.service) {
    return issues.add(
      'subjectNumber',
      'subject_number_format',
      'must be a subject number such as 粤ICP备2021012345号, 京ICP备05012345号 or 粤B2-20090059',
    );
  }
  const { subjectNumber, provinceCode, format, year, sequence } = parsed.number;
  return { subjectNumber, provinceCode, format, year, sequence };
}

function websitesAt(
  raw: Raw,
  subjectNumber: string | undefined,
  today: string,
  issues: Issues,
): ImportWebsite[] | undefined {
  const value = raw.websites;
  if (value === undefined || value === null) return issues.add('websites', 'required', 'is missing');
  if (!Array.isArray(value))
    return issues.add('websites', 'type', `must be a list, not ${describeJsonType(value)}`);
  if (value.length === 0) return issues.add('websites', 'too_few', 'must list at least one website');
  if (value.length > WEBSITES_MAX) {
    return issues.add('websites', 'too_many', `must list at most ${WEBSITES_MAX} websites`);
  }
  const websites = value.map((item, index) =>
    websiteAt(item, `websites[${index}].`, subjectNumber, today, issues),
  );
  const seen = new Set<number>();
  websites.forEach((website, index) => {
    if (!website) return;
    if (seen.has(website.n)) {
      issues.add(`websites[${index}].serviceNumber`, 'duplicate', 'repeats a service number of this subject');
    }
    seen.add(website.n);
  });
  return websites.every((website) => website !== undefined) ? (websites as ImportWebsite[]) : undefined;
}

function websiteAt(
  input: unknown,
  prefix: string,
  subjectNumber: string | undefined,
  today: string,
  issues: Issues,
): ImportWebsite | undefined {
  const raw = objectAt(input, prefix.slice(0, -1), issues);
  if (!raw) return undefined;
  unknownFields(raw, WEBSITE_FIELDS, prefix, issues);
  const service = serviceNumberAt(raw, prefix, subjectNumber, issues);
  const name = textAt(raw, 'name', NAME_MAX, prefix, issues);
  const domains = domainsAt(raw, prefix, issues);
  const approvedOn = approvedOnAt(raw, prefix, today, issues);
  if (!service || name === undefined || !domains || approvedOn === undefined) return undefined;
  return { ...service, name, domains, approvedOn };
}

function serviceNumberAt(
  raw: Raw,
  prefix: string,
  subjectNumber: string | undefined,
  issues: Issues,
): { serviceNumber: string; n: number } | undefined {
  const path = `${prefix}serviceNumber`;
  const text = textAt(raw, 'serviceNumber', NAME_MAX, prefix, issues);
  if (text === undefined) return undefined;
  const parsed = parseRegistrationNumber(text);
  const service = parsed.ok ? parsed.number.service : undefined;
  if (!parsed.ok || !service) {
    return issues.add(
      path,
      'service_number_format',
      'must be a service number such as 粤ICP备2021012345号-1',
    );
  }
  if (service.serviceType !== 'website') {
    return issues.add(path, 'service_number_not_website', 'must be a website’s number (no A, X or K suffix)');
  }
  if (subjectNumber !== undefined && parsed.number.subjectNumber !== subjectNumber) {
    return issues.add(
      path,
      'service_number_other_subject',
      'must be a number under the line’s subjectNumber',
    );
  }
  return { serviceNumber: service.serviceNumber, n: service.n };
}

function domainsAt(raw: Raw, prefix: string, issues: Issues): string[] | undefined {
  const path = `${prefix}domains`;
  const value = raw.domains;
  if (value === undefined || value === null) return issues.add(path, 'required', 'is missing');
  if (!Array.isArray(value))
    return issues.add(path, 'type', `must be a list, not ${describeJsonType(value)}`);
  if (value.length === 0) return issues.add(path, 'too_few', 'must list at least one domain');
  if (value.length > DOMAINS_MAX)
    return issues.add(path, 'too_many', `must list at most ${DOMAINS_MAX} domains`);
  const domains: string[] = [];
  let valid = true;
  value.forEach((domain: unknown, index) => {
    const at = `${path}[${index}]`;
    if (typeof domain !== 'string') {
      valid = !!issues.add(at, 'type', `must be text, not ${describeJsonType(domain)}`);
      return;
    }
    const findings = findingsOf(domainCheck, domain, '');
    findings.forEach((finding) => issues.add(at, finding.rule, finding.message));
    const lower = domain.toLowerCase();
    if (domains.includes(lower)) issues.add(at, 'duplicate', 'repeats a domain of this website');
    valid &&= findings.length === 0 && !domains.includes(lower);
    domains.push(lower);
  });
  return valid ? domains : undefined;
}

function approvedOnAt(raw: Raw, prefix: string, today: string, issues: Issues): string | undefined {
  const value = textAt(raw, 'approvedOn', NAME_MAX, prefix, issues);
  if (value === undefined) return undefined;
  const path = `${prefix}approvedOn`;
  if (!parseCalendarDate(value))
    return issues.add(path, 'date_format', 'must be a real date written YYYY-MM-DD');
  if (value > today) return issues.add(path, 'date_in_future', 'must not be after the day of the import');
  return value;
}

/** A form check applied to one value outside a form (its issue collector is not used). */
function findingsOf(check: TextCheck, value: string, today: string) {
  return check.findings(value, { submittedOn: today, issues: new IssueCollector() });
}
