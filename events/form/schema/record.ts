import type { FormRule } from '../form-rules';
import type { FieldPath } from './field-path';
import { type JsonSchema, orNull } from './json-schema';
import { describeJsonType, INVALID, type Invalid, type ParseContext, type SchemaNode } from './schema-node';

export interface FieldSpec<T, Optional extends boolean> {
  readonly node: SchemaNode<T>;
  readonly optional: Optional;
  /** Reported when a required field is absent (or null); `required` unless stated. */
  readonly missingRule: FormRule;
}

/** A field that must be present. */
export function field<T>(node: SchemaNode<T>, options: { missingRule?: FormRule } = {}): FieldSpec<T, false> {
  return { node, optional: false, missingRule: options.missingRule ?? 'required' };
}

/** A field that may be absent; `null` counts as absent. Rules elsewhere may still require it. */
export function optionalField<T>(node: SchemaNode<T>): FieldSpec<T, true> {
  return { node, optional: true, missingRule: 'required' };
}

export type Shape = Readonly<Record<string, FieldSpec<unknown, boolean>>>;
type FieldValue<Spec> = Spec extends FieldSpec<infer T, boolean> ? T : never;
type RequiredKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends FieldSpec<unknown, false> ? K : never;
}[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

export type RecordValue<S extends Shape> = Simplify<
  { readonly [K in RequiredKeys<S>]: FieldValue<S[K]> } & {
    readonly [K in OptionalKeys<S>]?: FieldValue<S[K]>;
  }
>;

/** What a cross-field rule sees: the raw object, and the fields that parsed without errors. */
export interface RecordFacts<S extends Shape> {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly parsed: Partial<RecordValue<S>>;
  readonly path: FieldPath;
  readonly context: ParseContext;
}

/**
 * Rules between the fields of one object. They run whenever the input is an object, even when some
 * fields are broken, so every problem is reported at once. `jsonSchema` states the rule where JSON
 * Schema can (see `fieldsByChoice`).
 */
export type RecordRule<S extends Shape> = ((facts: RecordFacts<S>) => void) & {
  readonly jsonSchema?: JsonSchema;
};

/** The JSON Schema of a record: its fields (an optional one may be null), nothing else, its rules. */
function recordJsonSchema<S extends Shape>(shape: S, rules: readonly RecordRule<S>[]): JsonSchema {
  const entries = Object.entries(shape);
  const ruleSchemas = rules.flatMap((rule) => (rule.jsonSchema ? [rule.jsonSchema] : []));
  return {
    type: 'object',
    properties: Object.fromEntries(
      entries.map(([key, spec]) => [
        key,
        spec.optional ? orNull(spec.node.jsonSchema) : spec.node.jsonSchema,
      ]),
    ),
    required: entries.filter(([, spec]) => !spec.optional).map(([key]) => key),
    additionalProperties: false,
    ...(ruleSchemas.length > 0 ? { allOf: ruleSchemas } : {}),
  };
}

/** A JSON object with exactly the given fields: any other key is reported as `unknown_field`. */
export function record<S extends Shape>(
  shape: S,
  rules: readonly RecordRule<S>[] = [],
): SchemaNode<RecordValue<S>> {
  return {
    jsonSchema: recordJsonSchema(shape, rules),
    parse(input: unknown, path: FieldPath, context: ParseContext): RecordValue<S> | Invalid {
      const { issues } = context;
      if (!isJsonObject(input)) {
        issues.report(path, 'type', `must be an object, not ${describeJsonType(input)}`);
        return INVALID;
      }
      let valid = true;
      const parsed: Record<string, unknown> = {};
      for (const [key, spec] of Object.entries(shape)) {
        const raw = ownValue(input, key);
        if (raw === undefined || raw === null) {
          if (!spec.optional) {
            issues.report([...path, key], spec.missingRule, 'is required');
            valid = false;
          }
          continue;
        }
        const value = spec.node.parse(raw, [...path, key], context);
        if (value === INVALID) valid = false;
        else parsed[key] = value;
      }
      for (const key of Object.keys(input)) {
        if (Object.hasOwn(shape, key)) continue;
        issues.report([...path, key], 'unknown_field', 'is not a field of the registration form');
        valid = false;
      }
      const errorsBefore = issues.errors.length;
      const facts: RecordFacts<S> = { raw: input, parsed: parsed as Partial<RecordValue<S>>, path, context };
      for (const rule of rules) rule(facts);
      return valid && issues.errors.length === errorsBefore ? (parsed as RecordValue<S>) : INVALID;
    },
  };
}

export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property's value; inherited ones (`constructor`, `toString` …) do not count. */
export function ownValue(object: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** True when the field is given: present and neither undefined nor null. */
export function isGiven(object: Readonly<Record<string, unknown>>, key: string): boolean {
  const value = ownValue(object, key);
  return value !== undefined && value !== null;
}
