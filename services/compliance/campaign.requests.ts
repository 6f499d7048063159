import {
  CAMPAIGN_ANSWERS,
  CAMPAIGN_DECISIONS,
  type CampaignAnswer,
  type CampaignDecision,
  type CampaignSelection,
} from '../../events/compliance/campaign/campaign-events';
import type { FieldError, Parsed } from '../http/request-fields';

export const MAX_SAMPLE_SIZE = 10_000;
const SERVICE_TYPES = ['website', 'app', 'mini_program', 'quick_app'] as const;
const MAX_NAME = 200;
const MAX_NOTE = 2000;

export interface CampaignSubmission {
  name: string;
  selection: CampaignSelection;
  answerWithinWorkingDays: number;
}

export interface CampaignItemAnswerRequest {
  answer: CampaignAnswer;
  filingId?: string;
  note?: string;
}

export interface CampaignItemDecisionRequest {
  decision: CampaignDecision;
  note: string;
}

type Raw = Readonly<Record<string, unknown>>;

function objectOf(value: unknown, path: string, errors: FieldError[]): Raw | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Raw;
  errors.push({ path, rule: 'type', message: `${path === '$' ? 'the body' : path} must be a JSON object` });
  return undefined;
}

function unknownFields(raw: Raw, known: readonly string[], prefix: string, errors: FieldError[]): void {
  for (const name of Object.keys(raw)) {
    if (!known.includes(name)) {
      errors.push({
        path: `${prefix}${name}`,
        rule: 'unknown_field',
        message: `${name} is not a field of this request`,
      });
    }
  }
}

function text(raw: Raw, name: string, path: string, max: number, errors: FieldError[], needed: boolean) {
  const value = raw[name];
  if (value === undefined || value === null) {
    if (needed) errors.push({ path, rule: 'required', message: `${path} is required` });
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ path, rule: 'type', message: `${path} must be non-blank text` });
    return undefined;
  }
  if ([...value].length > max) {
    errors.push({ path, rule: 'too_long', message: `${path} must be at most ${max} characters` });
    return undefined;
  }
  return value;
}

function integer(raw: Raw, name: string, path: string, range: [number, number], errors: FieldError[]) {
  const value = raw[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) {
    errors.push({
      path,
      rule: 'out_of_range',
      message: `${path} must be a whole number from ${range[0]} to ${range[1]}`,
    });
    return undefined;
  }
  return value;
}

function choice<const V extends string>(
  value: unknown,
  values: readonly V[],
  path: string,
  errors: FieldError[],
) {
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as V;
  errors.push({
    path,
    rule: value === undefined ? 'required' : 'invalid_choice',
    message: `${path} must be one of ${values.join(', ')}`,
  });
  return undefined;
}

function parseSelection(value: unknown, errors: FieldError[]): CampaignSelection | undefined {
  if (value === undefined || value === null) {
    errors.push({ path: 'selection', rule: 'required', message: 'selection is required' });
    return undefined;
  }
  const raw = objectOf(value, 'selection', errors);
  if (!raw) return undefined;
  unknownFields(raw, ['ispName', 'serviceType', 'sampleSize'], 'selection.', errors);
  const ispName = text(raw, 'ispName', 'selection.ispName', MAX_NAME, errors, false);
  const serviceType =
    raw.serviceType === undefined || raw.serviceType === null
      ? undefined
      : choice(raw.serviceType, SERVICE_TYPES, 'selection.serviceType', errors);
  const sampleSize = integer(raw, 'sampleSize', 'selection.sampleSize', [1, MAX_SAMPLE_SIZE], errors);
  if (raw.sampleSize === undefined || raw.sampleSize === null) {
    errors.push({
      path: 'selection.sampleSize',
      rule: 'required',
      message: 'selection.sampleSize is required',
    });
  }
  if (sampleSize === undefined) return undefined;
  return { ...(ispName && { ispName }), ...(serviceType && { serviceType }), sampleSize };
}

/** `POST /v1/compliance/campaigns`: `{name, selection: {ispName?, serviceType?, sampleSize}, answerWithinWorkingDays?}`. */
export function parseCampaignSubmission(body: unknown): Parsed<CampaignSubmission> {
  const errors: FieldError[] = [];
  const raw = objectOf(body, '$', errors);
  if (!raw) return { ok: false, errors };
  unknownFields(raw, ['name', 'selection', 'answerWithinWorkingDays'], '', errors);
  const name = text(raw, 'name', 'name', MAX_NAME, errors, true);
  const selection = parseSelection(raw.selection, errors);
  const days = integer(raw, 'answerWithinWorkingDays', 'answerWithinWorkingDays', [1, 30], errors) ?? 10;
  if (errors.length > 0 || !name || !selection) return { ok: false, errors };
  return { ok: true, value: { name, selection, answerWithinWorkingDays: days } };
}

/** `POST …/items/{serviceNumber}/answer`: `{answer, filingId? (change_filed), note?}`. */
export function parseItemAnswer(body: unknown): Parsed<CampaignItemAnswerRequest> {
  const errors: FieldError[] = [];
  const raw = objectOf(body, '$', errors);
  if (!raw) return { ok: false, errors };
  unknownFields(raw, ['answer', 'filingId', 'note'], '', errors);
  const answer = choice(raw.answer, CAMPAIGN_ANSWERS, 'answer', errors);
  const filingId = text(raw, 'filingId', 'filingId', 64, errors, answer === 'change_filed');
  const note = text(raw, 'note', 'note', MAX_NOTE, errors, false);
  if (errors.length > 0 || !answer) return { ok: false, errors };
  return { ok: true, value: { answer, ...(filingId && { filingId }), ...(note && { note }) } };
}

/** `POST …/items/{serviceNumber}/decision`: `{decision, note}`. */
export function parseItemDecision(body: unknown): Parsed<CampaignItemDecisionRequest> {
  const errors: FieldError[] = [];
  const raw = objectOf(body, '$', errors);
  if (!raw) return { ok: false, errors };
  unknownFields(raw, ['decision', 'note'], '', errors);
  const decision = choice(raw.decision, CAMPAIGN_DECISIONS, 'decision', errors);
  const note = text(raw, 'note', 'note', MAX_NOTE, errors, true);
  if (errors.length > 0 || !decision || !note) return { ok: false, errors };
  return { ok: true, value: { decision, note } };
}

const CAMPAIGN_STATUSES = ['open', 'closed'] as const;
const ITEM_STATES = [
  'awaiting',
  'confirmed',
  'change_filed',
  'escalated',
  'decided',
  'access_withdrawn',
] as const;

function parseFilter<const V extends string>(name: string, values: readonly V[]) {
  return (query: unknown): Parsed<{ [K in typeof name]?: V }> => {
    const errors: FieldError[] = [];
    const raw = (typeof query === 'object' && query !== null ? query : {}) as Raw;
    unknownFields(raw, [name], '', errors);
    const value = raw[name] === undefined ? undefined : choice(raw[name], values, name, errors);
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, value: value === undefined ? {} : { [name]: value } };
  };
}

export const parseCampaignListQuery = parseFilter('status', CAMPAIGN_STATUSES);
export const parseItemListQuery = parseFilter('state', ITEM_STATES);
