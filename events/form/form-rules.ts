/**
 * The stable machine codes of every registration-form rule. Clients branch on these codes, so a
 * shipped code is never renamed or given a different meaning; add new ones instead.
 */

export type RuleSeverity = 'error' | 'warning';

interface RuleDefinition {
  readonly severity: RuleSeverity;
  readonly summary: string;
}

export const FORM_RULES = {
  // shape
  required: { severity: 'error', summary: 'a required field is missing, null or empty' },
  type: { severity: 'error', summary: 'a value has the wrong JSON type' },
  invalid_choice: { severity: 'error', summary: 'a value is not one of the allowed choices' },
  too_long: { severity: 'error', summary: 'a string is longer than its limit (counted in characters)' },
  too_few: { severity: 'error', summary: 'a list has fewer items than its minimum' },
  too_many: { severity: 'error', summary: 'a list has more items than its limit' },
  unknown_field: { severity: 'error', summary: 'a field that is not part of the form' },
  duplicate: { severity: 'error', summary: 'a list repeats an item that must be unique' },
  // fields that depend on other fields
  forbidden_for_service_type: { severity: 'error', summary: 'a field that the service type does not allow' },
  forbidden_for_nature: { severity: 'error', summary: "a field that the operator's nature does not allow" },
  forbidden_for_os: {
    severity: 'error',
    summary: "a field that the platform's operating system does not allow",
  },
  // identity documents
  resident_id_format: {
    severity: 'error',
    summary: 'an ID number is not 17 digits followed by a digit or X',
  },
  resident_id_region: {
    severity: 'error',
    summary: 'an ID number does not start with a plausible area code',
  },
  resident_id_birth_date: { severity: 'error', summary: 'an ID number does not encode a real birth date' },
  resident_id_checksum: { severity: 'error', summary: 'an ID number has a wrong check character (GB 11643)' },
  id_number_format: { severity: 'error', summary: 'a document number does not fit its document type' },
  date_format: {
    severity: 'error',
    summary: 'a date is not a real YYYY-MM-DD date (or "long-term" where allowed)',
  },
  id_expires_too_soon: {
    severity: 'error',
    summary: 'an ID document expires less than a month after submission',
  },
  credit_code_format: {
    severity: 'error',
    summary: 'a credit code is not 18 characters of the GB 32100 alphabet',
  },
  credit_code_checksum: {
    severity: 'warning',
    summary: 'a credit code has a wrong check character (GB 32100)',
  },
  // contact details
  mobile_format: { severity: 'error', summary: 'not a mainland mobile number' },
  phone_format: { severity: 'error', summary: 'not a mainland mobile or fixed-line number' },
  emergency_contact_same_as_mobile: {
    severity: 'error',
    summary: 'the emergency contact number repeats the mobile number',
  },
  email_format: { severity: 'error', summary: 'not an email address' },
  // places
  unknown_province: { severity: 'error', summary: 'not one of the 31 provincial-level divisions' },
  subject_number_format: {
    severity: 'error',
    summary: 'not an ICP subject number such as 粤ICP备2024000123号',
  },
  operator_certificate_mismatch: {
    severity: 'error',
    summary: "the operator certificate is not the operator's credit code or resident ID",
  },
  forbidden_without_subject_number: {
    severity: 'error',
    summary: 'a field that only a form naming existingSubjectNumber may carry',
  },
  subject_number_province_mismatch: {
    severity: 'error',
    summary: "the subject number was issued in another province than the operator's",
  },
  // network
  domain_format: { severity: 'error', summary: 'not a bare domain name (punycode for non-ASCII names)' },
  ip_format: { severity: 'error', summary: 'not a single IPv4 or IPv6 address' },
  ip_not_public: { severity: 'error', summary: 'a private, reserved or documentation IP address' },
  // the app
  package_name_format: { severity: 'error', summary: 'not an Android, HarmonyOS or quick-app package name' },
  bundle_id_format: { severity: 'error', summary: 'not an iOS bundle ID' },
  md5_format: { severity: 'error', summary: 'an MD5 fingerprint that is not 32 hexadecimal digits' },
  sha1_format: { severity: 'error', summary: 'a SHA-1 fingerprint that is not 40 hexadecimal digits' },
  public_key_format: { severity: 'error', summary: 'a signing public key that is not hexadecimal or Base64' },
  mini_program_id_format: { severity: 'error', summary: 'not a mini-program ID' },
  language_format: { severity: 'error', summary: 'not a BCP 47 language tag such as zh-Hans' },
  // regulated content
  pre_approval_none_exclusive: {
    severity: 'error',
    summary: '"none" used inside a list of pre-approvals instead of on its own',
  },
  pre_approval_ref_required: {
    severity: 'error',
    summary: 'a regulated category is listed without its approval document reference',
  },
} as const satisfies Record<string, RuleDefinition>;

export type FormRule = keyof typeof FORM_RULES;

export const FORM_RULE_CODES: readonly FormRule[] = Object.keys(FORM_RULES) as FormRule[];

export function severityOf(rule: FormRule): RuleSeverity {
  return FORM_RULES[rule].severity;
}

export function isFormRule(code: string): code is FormRule {
  return Object.hasOwn(FORM_RULES, code);
}
