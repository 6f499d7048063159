import type { FormRule } from '../form-rules';
import type { Finding } from './form-issues';
import { type JsonSchema, patternOf } from './json-schema';
import type { ParseContext } from './schema-node';

/** A rule a text value must satisfy, with what JSON Schema can state of the values it accepts. */
export interface TextCheck {
  /** Every rule the value breaks; an empty list means it passes. */
  readonly findings: (value: string, context: ParseContext) => readonly Finding[];
  /**
   * The accepted values as JSON Schema: a pattern or enum when one states the rule exactly, else a
   * named `format` (check digits, dates counted from the submission day) that only the server decides.
   */
  readonly jsonSchema: JsonSchema;
}

/** A check that is one regular expression: the same expression validates and is published. */
export function patternCheck(regex: RegExp, rule: FormRule, message: string): TextCheck {
  const pattern = patternOf(regex);
  const findings: readonly Finding[] = [{ rule, message }];
  return { findings: (value) => (regex.test(value) ? [] : findings), jsonSchema: { pattern } };
}
