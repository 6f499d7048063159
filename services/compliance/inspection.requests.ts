import {
  COMPLIANCE_PARTY_ROLES,
  type ComplianceParty,
  isCompliancePartyRole,
  parsePartyKey,
  PARTY_KEY_PATTERN,
} from '../../events/compliance/compliance-party';
import {
  FINDING_ANSWERS,
  FINDING_DECISIONS,
  type FindingAnswer,
  type FindingDecision,
} from '../../events/compliance/inspection/inspection-events';
import { NON_BLANK_PATTERN } from '../../events/form/schema/json-schema';
import { ValidationProblem } from '../http/problem-details';
import { jsonBody } from '../http/request-bodies';
import {
  choiceField,
  type FieldError,
  MAX_REASONS,
  type Parsed,
  type RequestField,
  required,
  textField,
} from '../http/request-fields';
import type { RequestRule } from '../http/request-object';
import { queryOf } from '../http/query-parameters';
import { SERVICE_NUMBER_PATTERN } from '../http/registration-number-params';

export const DEFAULT_ANSWER_WORKING_DAYS = 10;
export const MAX_ANSWER_WORKING_DAYS = 30;
const MAX_PARTY_ID = 200;

/** `{role, id}`: an ISP by its name, a store or device maker by its organisation. */
const partyField: RequestField<ComplianceParty> = {
  schema: {
    type: 'object',
    required: ['role', 'id'],
    additionalProperties: false,
    properties: {
      role: { type: 'string', enum: [...COMPLIANCE_PARTY_ROLES] },
      id: { type: 'string', minLength: 1, maxLength: MAX_PARTY_ID, pattern: NON_BLANK_PATTERN },
    },
  },
  required: false,
  missingRule: 'required',
  read(value, name, errors) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      errors.push({ path: name, rule: 'type', message: `${name} must be an object {role, id}` });
      return undefined;
    }
    const { role, id, ...rest } = value as Record<string, unknown>;
    const before = errors.length;
    for (const key of Object.keys(rest))
      errors.push({
        path: `${name}.${key}`,
        rule: 'unknown_field',
        message: `${key} is not a field of a party`,
      });
    if (!isCompliancePartyRole(role))
      errors.push({
        path: `${name}.role`,
        rule: 'invalid_choice',
        message: `role must be one of ${COMPLIANCE_PARTY_ROLES.join(', ')}`,
      });
    if (typeof id !== 'string' || id.trim() === '' || id.trim() !== id || id.length > MAX_PARTY_ID)
      errors.push({
        path: `${name}.id`,
        rule: 'invalid',
        message: `id must be the party's name, 1-${MAX_PARTY_ID} characters`,
      });
    return errors.length === before ? { role: role as ComplianceParty['role'], id: id as string } : undefined;
  },
};

/** A JSON whole number in a range. */
function wholeNumberField(min: number, max: number): RequestField<number> {
  return {
    schema: { type: 'integer', minimum: min, maximum: max },
    required: false,
    missingRule: 'required',
    read(value, name, errors) {
      if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
      errors.push({
        path: name,
        rule: 'out_of_range',
        message: `${name} must be a whole number from ${min} to ${max}`,
      });
      return undefined;
    },
  };
}

const noteField = textField({ max: MAX_REASONS });

function nonBlank(field: string): RequestRule {
  return {
    schema: { properties: { [field]: { type: 'string', pattern: NON_BLANK_PATTERN } } },
    check(raw, errors) {
      if (typeof raw[field] === 'string' && (raw[field] as string).trim() === '')
        errors.push({ path: field, rule: 'required', message: `${field} must not be blank` });
    },
  };
}

/** `field` must be given when `answer` is `value`. */
function requiredWithAnswer(field: string, value: FindingAnswer): RequestRule {
  return {
    schema: {
      if: { properties: { answer: { const: value } }, required: ['answer'] },
      then: { required: [field] },
    },
    check(raw, errors) {
      if (raw.answer === value && (raw[field] === undefined || raw[field] === null))
        errors.push({ path: field, rule: 'required', message: `${field} is required with answer ${value}` });
    },
  };
}

export const openInspectionBody = jsonBody(
  {
    party: required(partyField),
    answerWithinWorkingDays: wholeNumberField(1, MAX_ANSWER_WORKING_DAYS),
    note: noteField,
  },
  [nonBlank('note')],
);

export interface OpenInspectionRequest {
  party: ComplianceParty;
  answerWithinWorkingDays: number;
  note?: string;
}

export function parseOpenInspection(body: unknown): Parsed<OpenInspectionRequest> {
  const parsed = openInspectionBody.parse(body);
  if (!parsed.ok) return parsed;
  const { party, answerWithinWorkingDays, note } = parsed.value;
  return {
    ok: true,
    value: {
      party: party as ComplianceParty,
      answerWithinWorkingDays: answerWithinWorkingDays ?? DEFAULT_ANSWER_WORKING_DAYS,
      ...(note === undefined ? {} : { note }),
    },
  };
}

export const findingAnswerBody = jsonBody(
  {
    answer: required(choiceField(FINDING_ANSWERS)),
    note: noteField,
    serviceNumber: textField({
      max: 64,
      shape: {
        regex: new RegExp(SERVICE_NUMBER_PATTERN),
        rule: 'service_number',
        message: 'serviceNumber must be a service number such as 粤ICP备2026000001号-1A',
      },
    }),
  },
  [
    nonBlank('note'),
    requiredWithAnswer('note', 'disputed'),
    requiredWithAnswer('serviceNumber', 'registered_since'),
  ],
);

export interface FindingAnswerRequest {
  answer: FindingAnswer;
  note?: string;
  serviceNumber?: string;
}

export function parseFindingAnswer(body: unknown): Parsed<FindingAnswerRequest> {
  return findingAnswerBody.parse(body) as Parsed<FindingAnswerRequest>;
}

export const findingDecisionBody = jsonBody(
  { decision: required(choiceField(FINDING_DECISIONS)), note: required(noteField) },
  [nonBlank('note')],
);

export function parseFindingDecision(body: unknown): Parsed<{ decision: FindingDecision; note: string }> {
  return findingDecisionBody.parse(body) as Parsed<{ decision: FindingDecision; note: string }>;
}

export const INSPECTION_STATUSES = ['open', 'escalated', 'closed'] as const;

const partyKeyField: RequestField<ComplianceParty> = {
  schema: { type: 'string', pattern: PARTY_KEY_PATTERN, description: '`<role>:<id>`, e.g. `isp:中国电信`' },
  required: false,
  missingRule: 'required',
  read(value, name, errors) {
    const party = typeof value === 'string' ? parsePartyKey(value) : undefined;
    if (party === undefined)
      errors.push({
        path: name,
        rule: 'party',
        message: `${name} must be <role>:<id> with role ${COMPLIANCE_PARTY_ROLES.join(', ')}`,
      });
    return party;
  },
};

export const inspectionListQuery = queryOf({
  status: choiceField(INSPECTION_STATUSES),
  party: partyKeyField,
});

export function parseInspectionListQuery(
  query: unknown,
): Parsed<{ status?: (typeof INSPECTION_STATUSES)[number]; party?: ComplianceParty }> {
  return inspectionListQuery.parse(query);
}

/** Path ids: an inspection id as stream ids take them, a finding as the listing numbers them. */
export const INSPECTION_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const FINDING_ID = /^f[1-9][0-9]{0,5}$/;

export function pathIdOrRefuse(value: string, pattern: RegExp, name: string): string {
  if (pattern.test(value)) return value;
  const errors: FieldError[] = [{ path: name, rule: 'pattern', message: `${name} is malformed` }];
  throw new ValidationProblem(errors);
}
