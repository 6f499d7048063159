import { describeJsonType, INVALID, type Invalid, type ParseContext, type SchemaNode } from './schema-node';
import type { FieldPath } from './field-path';

/** One of a fixed set of strings. */
export function choice<const Values extends readonly [string, ...string[]]>(
  values: Values,
): SchemaNode<Values[number]> {
  const allowed: ReadonlySet<string> = new Set(values);
  const listed = values.join(', ');
  return {
    jsonSchema: { type: 'string', enum: [...values] },
    parse(input: unknown, path: FieldPath, { issues }: ParseContext): Values[number] | Invalid {
      if (typeof input !== 'string') {
        issues.report(path, 'type', `must be one of the strings ${listed}, not ${describeJsonType(input)}`);
        return INVALID;
      }
      if (!allowed.has(input)) {
        issues.report(path, 'invalid_choice', `must be one of ${listed}`);
        return INVALID;
      }
      return input as Values[number];
    },
  };
}
