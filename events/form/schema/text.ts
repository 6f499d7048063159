import type { FormRule } from '../form-rules';
import { NON_BLANK_PATTERN } from './json-schema';
import type { TextCheck } from './text-check';
import { describeJsonType, INVALID, type Invalid, type ParseContext, type SchemaNode } from './schema-node';
import type { FieldPath } from './field-path';

export interface TextOptions {
  /** Longest accepted value, in characters (code points: 广东 is 2). */
  readonly max: number;
  /** A rule the value must also satisfy. */
  readonly check?: TextCheck;
  /** Rule reported for an empty or blank value; `required` unless a field needs a sharper code. */
  readonly emptyRule?: FormRule;
}

/** A non-blank string of bounded length. */
export function text(options: TextOptions): SchemaNode<string> {
  return {
    // The check's pattern or enum, when it has one, replaces the non-blank pattern: neither accepts blanks.
    jsonSchema: {
      type: 'string',
      minLength: 1,
      maxLength: options.max,
      pattern: NON_BLANK_PATTERN,
      ...options.check?.jsonSchema,
    },
    parse(input: unknown, path: FieldPath, context: ParseContext): string | Invalid {
      const { issues } = context;
      if (typeof input !== 'string') {
        issues.report(path, 'type', `must be text, not ${describeJsonType(input)}`);
        return INVALID;
      }
      if (input.trim() === '') {
        issues.report(path, options.emptyRule ?? 'required', 'must not be empty');
        return INVALID;
      }
      if (isLongerThan(input, options.max)) {
        issues.report(path, 'too_long', `must be at most ${options.max} characters long`);
        return INVALID;
      }
      const findings = options.check?.findings(input, context) ?? [];
      return issues.reportAll(path, findings) ? input : INVALID;
    },
  };
}

/** Longer than `max` code points (广东 is 2); a string holds between length / 2 and length of them. */
function isLongerThan(value: string, max: number): boolean {
  if (value.length <= max) return false;
  if (value.length > 2 * max) return true;
  let count = 0;
  for (const _ of value) count += 1;
  return count > max;
}
