import { isCalendarDate } from '../../events/calendar-date';
import { type InventoryLine, MAX_INVENTORY_LINES } from '../../events/compliance/inventory/inventory';
import { PROVINCES } from '../../events/provinces';
import type { VerificationRequest } from '../../events/registry/verification';
import { ndjsonLines } from '../http/ndjson-body';
import { jsonBody } from '../http/request-bodies';
import {
  checkedLaterField,
  choiceField,
  type FieldError,
  type Parsed,
  required,
  type RequestField,
  textField,
} from '../http/request-fields';
import { parseVerificationObject } from '../verification/verification.requests';

/** The most errors one refused report lists. */
export const MAX_REPORTED_ERRORS = 100;

const KINDS = ['package', 'bundle', 'mini_program', 'quick_app', 'domain'] as const;

/** The verification field each kind of identifier is asked by: a line is checked as that question. */
const VERIFICATION_FIELD_OF_KIND = {
  package: 'packageName',
  bundle: 'bundleId',
  mini_program: 'miniProgramId',
  quick_app: 'quickAppPackage',
  domain: 'domain',
} as const satisfies Record<VerificationRequest['kind'], string>;
const KIND_OF_VERIFICATION_FIELD: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(VERIFICATION_FIELD_OF_KIND).map(([kind, field]) => [field, kind]),
);

/** A real date's shape, year 0001 on (the parser also refuses 30 February): what the published schema promises. */
export const DATE_PATTERN = '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

export function dateField(): RequestField<string> {
  const text = textField({
    max: 10,
    shape: { regex: /^\d{4}-\d{2}-\d{2}$/, rule: 'date', message: 'must be a date YYYY-MM-DD' },
  });
  return {
    ...text,
    schema: { type: 'string', format: 'date', pattern: DATE_PATTERN, description: 'a date YYYY-MM-DD' },
    read(value, name, errors) {
      const date = text.read(value, name, errors);
      if (date === undefined || isCalendarDate(date)) return date;
      errors.push({ path: name, rule: 'date', message: `${name} must be a real date` });
      return undefined;
    },
  };
}

/** The identifier and its qualifiers are checked by the verification rules (below), the rest here. */
const LINE_FIELDS = {
  kind: required(choiceField(KINDS)),
  value: required(checkedLaterField({ type: 'string' })),
  signatureMd5: checkedLaterField({ type: 'string' }),
  signatureSha1: checkedLaterField({ type: 'string' }),
  hostApp: checkedLaterField({ type: 'string' }),
  province: required(
    choiceField(
      PROVINCES.map((province) => province.code),
      'unknown_province',
    ),
  ),
  servedSince: dateField(),
  name: textField({ max: 255 }),
};
export const inventoryLineBody = jsonBody(LINE_FIELDS);

/** The line as a verification question: the same rules as `GET /v1/verify`, errors renamed back. */
function checkIdentifier(raw: Record<string, unknown>, kind: VerificationRequest['kind']): FieldError[] {
  const question: Record<string, unknown> = { [VERIFICATION_FIELD_OF_KIND[kind]]: raw.value };
  for (const qualifier of ['signatureMd5', 'signatureSha1', 'hostApp']) {
    if (raw[qualifier] !== undefined && raw[qualifier] !== null) question[qualifier] = raw[qualifier];
  }
  const parsed = parseVerificationObject(question);
  if (parsed.ok) return [];
  return parsed.errors.map((error) => {
    if (KIND_OF_VERIFICATION_FIELD[error.path] === undefined && error.path !== '$') return error;
    return {
      ...error,
      path: 'value',
      message: error.message.replace(VERIFICATION_FIELD_OF_KIND[kind], 'value'),
    };
  });
}

function lineOf(raw: Record<string, unknown>, kind: VerificationRequest['kind']): InventoryLine {
  const optional = (name: string) => (typeof raw[name] === 'string' ? { [name]: raw[name] } : {});
  return {
    kind,
    value: raw.value as string,
    ...optional('signatureMd5'),
    ...optional('signatureSha1'),
    ...optional('hostApp'),
    province: raw.province as string,
    ...optional('servedSince'),
    ...optional('name'),
  } as InventoryLine;
}

/** One line of a report; errors name it (`lines[3].signatureMd5`). */
export function parseInventoryLine(input: unknown, index: number): Parsed<InventoryLine> {
  const at = (path: string) => (path === '$' ? `lines[${index}]` : `lines[${index}].${path}`);
  const parsed = inventoryLineBody.parse(input);
  const errors = parsed.ok ? [] : [...parsed.errors];
  const raw = input as Record<string, unknown>;
  const kind = parsed.ok ? (parsed.value.kind as VerificationRequest['kind']) : undefined;
  if (kind !== undefined) errors.push(...checkIdentifier(raw, kind));
  if (errors.length > 0 || kind === undefined) {
    return { ok: false, errors: errors.map((error) => ({ ...error, path: at(error.path) })) };
  }
  return { ok: true, value: lineOf(raw, kind) };
}

/** Every line, or the first errors (at most MAX_REPORTED_ERRORS): a report is stored whole or not at all. */
export function parseInventoryLines(input: unknown): Parsed<InventoryLine[]> {
  if (!Array.isArray(input)) {
    return { ok: false, errors: [{ path: 'lines', rule: 'type', message: 'lines must be a list' }] };
  }
  if (input.length === 0 || input.length > MAX_INVENTORY_LINES) {
    const rule = input.length === 0 ? 'too_few' : 'too_many';
    const message = `lines must hold 1 to ${MAX_INVENTORY_LINES} lines, got ${input.length}`;
    return { ok: false, errors: [{ path: 'lines', rule, message }] };
  }
  const lines: InventoryLine[] = [];
  const errors: FieldError[] = [];
  input.forEach((item, index) => {
    const parsed = parseInventoryLine(item, index);
    if (parsed.ok) lines.push(parsed.value);
    else errors.push(...parsed.errors);
  });
  return errors.length > 0
    ? { ok: false, errors: errors.slice(0, MAX_REPORTED_ERRORS) }
    : { ok: true, value: lines };
}

/** `POST /v1/compliance/inventories` as JSON: `{lines: [...]}`. */
export const inventoryReportBody = jsonBody({
  lines: required(
    checkedLaterField({
      type: 'array',
      minItems: 1,
      maxItems: MAX_INVENTORY_LINES,
      items: inventoryLineBody.schema,
    }),
  ),
});

export function parseInventoryReport(body: unknown): Parsed<InventoryLine[]> {
  const parsed = inventoryReportBody.parse(body);
  return parsed.ok ? parseInventoryLines(parsed.value.lines) : parsed;
}

/** JSON Lines text (the CLI's files, as an `application/x-ndjson` body is read): blank lines skipped. */
export function parseJsonLines(text: string): Parsed<unknown[]> {
  const { lines, errors } = ndjsonLines(text);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: lines };
}
