import type { JsonSchema } from '../../events/form/schema/json-schema';
import type { VerificationRequest } from '../../events/registry/verification';
import { queryOf } from '../http/query-parameters';
import { jsonBody } from '../http/request-bodies';
import { checkedLaterField, type FieldError, type Parsed, required, textField } from '../http/request-fields';
import type { RequestRule, RequestValues } from '../http/request-object';

/** The most items one `POST /v1/verify/batch` may ask about. */
export const MAX_BATCH_ITEMS = 10_000;

const identifier = textField({ max: 255 });
const hex = (length: number, name: string) =>
  textField({
    max: length,
    shape: {
      regex: new RegExp(`^[0-9A-Fa-f]{${length}}$`),
      rule: 'pattern',
      message: `${name} must be ${length} hexadecimal digits`,
    },
  });

/** Each identifier a third party may ask by, and the kind the registry indexes it under. */
const IDENTIFIERS = {
  packageName: 'package',
  bundleId: 'bundle',
  miniProgramId: 'mini_program',
  quickAppPackage: 'quick_app',
  domain: 'domain',
} as const;
type IdentifierField = keyof typeof IDENTIFIERS;
const IDENTIFIER_FIELDS = Object.keys(IDENTIFIERS) as IdentifierField[];

/** What narrows an identifier, and the one identifier it goes with. */
const QUALIFIERS = {
  signatureMd5: 'packageName',
  signatureSha1: 'bundleId',
  hostApp: 'miniProgramId',
} as const;

const FIELDS = {
  packageName: identifier,
  signatureMd5: hex(32, 'signatureMd5'),
  bundleId: identifier,
  signatureSha1: hex(40, 'signatureSha1'),
  miniProgramId: identifier,
  hostApp: textField({ max: 64 }),
  quickAppPackage: identifier,
  domain: textField({ max: 253 }),
};
type VerificationValues = RequestValues<typeof FIELDS>;
/** Every field a question may carry (the columns of a CSV catalogue). */
export const VERIFICATION_FIELDS = Object.keys(FIELDS) as ReadonlyArray<keyof typeof FIELDS>;

const given = (raw: Readonly<Record<string, unknown>>, name: string) =>
  raw[name] !== undefined && raw[name] !== null && raw[name] !== '';
const LISTED = `${IDENTIFIER_FIELDS.slice(0, -1).join(', ')} or ${IDENTIFIER_FIELDS.at(-1)}`;

/** Exactly one identifier: a question about two apps at once has no single answer. */
const exactlyOneIdentifier: RequestRule = {
  schema: { oneOf: IDENTIFIER_FIELDS.map((name) => ({ required: [name] })) },
  check(raw, errors) {
    const named = IDENTIFIER_FIELDS.filter((name) => given(raw, name));
    if (named.length === 0) {
      errors.push({ path: '$', rule: 'required', message: `give one of ${LISTED}` });
    }
    for (const name of named.slice(1)) {
      errors.push({
        path: name,
        rule: 'one_identifier',
        message: `give exactly one identifier: ${named[0]} and ${name} are both given`,
      });
    }
  },
};

/** A signing key belongs to its package (MD5) or bundle (SHA-1), a host app to its mini program. */
const qualifierWithItsIdentifier: RequestRule = {
  schema: { dependentRequired: Object.fromEntries(Object.entries(QUALIFIERS).map(([q, id]) => [q, [id]])) },
  check(raw, errors) {
    for (const [qualifier, owner] of Object.entries(QUALIFIERS)) {
      if (given(raw, qualifier) && !given(raw, owner)) {
        errors.push({
          path: qualifier,
          rule: 'qualifier_without_identifier',
          message: `${qualifier} applies only with ${owner}`,
        });
      }
    }
  },
};

const RULES = [exactlyOneIdentifier, qualifierWithItsIdentifier];

/** `GET /v1/verify?…`: one identifier as query parameters. */
export const verificationQuery = queryOf(FIELDS, RULES);
/** One item of `POST /v1/verify/batch`: the same fields as a JSON object. */
export const verificationItem = jsonBody(FIELDS, RULES);

function requestOf(values: VerificationValues): VerificationRequest {
  const field = IDENTIFIER_FIELDS.find((name) => values[name]) as IdentifierField;
  const value = values[field] as string;
  switch (IDENTIFIERS[field]) {
    case 'package':
      return { kind: 'package', value, ...(values.signatureMd5 && { signatureMd5: values.signatureMd5 }) };
    case 'bundle':
      return { kind: 'bundle', value, ...(values.signatureSha1 && { signatureSha1: values.signatureSha1 }) };
    case 'mini_program':
      return { kind: 'mini_program', value, ...(values.hostApp && { hostApp: values.hostApp }) };
    case 'quick_app':
      return { kind: 'quick_app', value };
    case 'domain':
      return { kind: 'domain', value };
  }
}

function asRequest(parsed: Parsed<VerificationValues>): Parsed<VerificationRequest> {
  return parsed.ok ? { ok: true, value: requestOf(parsed.value) } : parsed;
}

export function parseVerificationQuery(input: unknown): Parsed<VerificationRequest> {
  return asRequest(verificationQuery.parse(input));
}

/** One question as a JSON object (a batch item, a catalogue line); errors name its fields. */
export function parseVerificationObject(input: unknown): Parsed<VerificationRequest> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '$', rule: 'type', message: 'an item must be a JSON object' }] };
  }
  return asRequest(verificationItem.parse(input));
}

/** One batch item; its errors name the item (`items.3.signatureMd5`). */
export function parseVerificationItem(input: unknown, index: number): Parsed<VerificationRequest> {
  const parsed = parseVerificationObject(input);
  if (parsed.ok) return parsed;
  const at = (path: string) => (path === '$' ? `items.${index}` : `items.${index}.${path}`);
  return { ok: false, errors: parsed.errors.map((error) => ({ ...error, path: at(error.path) })) };
}

const itemsSchema: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_BATCH_ITEMS,
  description: `1 to ${MAX_BATCH_ITEMS} questions, each answered on its own (a malformed one gets its own errors[])`,
  items: verificationItem.schema,
};

/** The list as a whole: items are read one by one later, so one malformed item does not fail the rest. */
const itemsField = {
  ...checkedLaterField(itemsSchema),
  read(value: unknown, name: string, errors: FieldError[]): unknown[] | undefined {
    if (!Array.isArray(value)) {
      errors.push({ path: name, rule: 'type', message: `${name} must be a list` });
    } else if (value.length === 0) {
      errors.push({ path: name, rule: 'too_few', message: `${name} must hold at least 1 item` });
    } else if (value.length > MAX_BATCH_ITEMS) {
      errors.push({
        path: name,
        rule: 'too_many',
        message: `${name} must hold at most ${MAX_BATCH_ITEMS} items, got ${value.length}`,
      });
    } else {
      return value;
    }
    return undefined;
  },
};

/** `POST /v1/verify/batch`: `{items: [...]}`. */
export const verificationBatchBody = jsonBody({ items: required(itemsField) });

export function parseVerificationBatch(body: unknown): Parsed<{ items: unknown[] }> {
  return verificationBatchBody.parse(body) as Parsed<{ items: unknown[] }>;
}
