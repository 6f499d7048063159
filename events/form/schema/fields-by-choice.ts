import type { FormRule } from '../form-rules';
import { given, type JsonSchema, notGiven } from './json-schema';
import { isGiven, isJsonObject, ownValue, type RecordFacts, type RecordRule, type Shape } from './record';

/** The fields one value of a choice needs, and those it does not allow. */
export interface FieldsOfChoice {
  readonly needed: readonly string[];
  readonly notAllowed: readonly string[];
}

export interface FieldsByChoiceOptions<V extends string> {
  /** The field whose value decides, e.g. `nature`. */
  readonly choice: string;
  readonly values: readonly V[];
  readonly fieldsFor: (value: V) => FieldsOfChoice;
  /** Names what the value stands for in messages: `is required for ${name}`. */
  readonly name: (value: V) => string;
  /** The record field (e.g. `app`) whose fields are meant, when not the record's own. */
  readonly within?: string;
  readonly forbiddenRule: FormRule;
}

/**
 * A rule that one field's value decides which other fields are given, declared as a table: the check
 * and its JSON Schema (`if` the value, `then` those fields present or absent) come from the same one.
 */
export function fieldsByChoice<S extends Shape, V extends string>(
  options: FieldsByChoiceOptions<V>,
): RecordRule<S> {
  const check = ({ raw, parsed, path, context }: RecordFacts<S>): void => {
    const value = (parsed as Record<string, unknown>)[options.choice] as V | undefined;
    const target = options.within === undefined ? raw : ownValue(raw, options.within);
    if (value === undefined || !isJsonObject(target)) return;
    const { needed, notAllowed } = options.fieldsFor(value);
    const at = options.within === undefined ? path : [...path, options.within];
    for (const key of needed) {
      if (!isGiven(target, key)) {
        context.issues.report([...at, key], 'required', `is required for ${options.name(value)}`);
      }
    }
    for (const key of notAllowed) {
      if (isGiven(target, key)) {
        context.issues.report(
          [...at, key],
          options.forbiddenRule,
          `is not allowed for ${options.name(value)}`,
        );
      }
    }
  };
  return Object.assign(check, {
    jsonSchema: { allOf: options.values.map((value) => caseSchema(options, value)) },
  });
}

function caseSchema<V extends string>(options: FieldsByChoiceOptions<V>, value: V): JsonSchema {
  const { needed, notAllowed } = options.fieldsFor(value);
  const fields: JsonSchema = { allOf: [...needed.map(given), ...notAllowed.map(notGiven)] };
  return {
    if: { properties: { [options.choice]: { const: value } }, required: [options.choice] },
    then: options.within === undefined ? fields : { properties: { [options.within]: fields } },
  };
}
