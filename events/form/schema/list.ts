import { describeJsonType, INVALID, type Invalid, type ParseContext, type SchemaNode } from './schema-node';
import type { FieldPath } from './field-path';

export interface ListOptions<T> {
  readonly min?: number;
  readonly max: number;
  /**
   * Items with the same key are duplicates; `at` points the issue at a field of the item. JSON Schema
   * states only `uniqueItems`, so `describe` says what the key is.
   */
  readonly unique?: { readonly key: (item: T) => string; readonly at?: FieldPath; readonly describe: string };
}

/**
 * A list of bounded length. Items past `max` are not examined, so an oversized input costs no more
 * than a full one.
 */
export function list<T>(item: SchemaNode<T>, options: ListOptions<T>): SchemaNode<readonly T[]> {
  const min = options.min ?? 0;
  return {
    jsonSchema: {
      type: 'array',
      items: item.jsonSchema,
      ...(min > 0 ? { minItems: min } : {}),
      maxItems: options.max,
      ...(options.unique ? { uniqueItems: true, description: options.unique.describe } : {}),
    },
    parse(input: unknown, path: FieldPath, context: ParseContext): readonly T[] | Invalid {
      const { issues } = context;
      if (!Array.isArray(input)) {
        issues.report(path, 'type', `must be a list, not ${describeJsonType(input)}`);
        return INVALID;
      }
      let valid = true;
      if (input.length < min) {
        issues.report(path, 'too_few', `must have at least ${min} item${min === 1 ? '' : 's'}`);
        valid = false;
      }
      if (input.length > options.max) {
        issues.report(path, 'too_many', `must have at most ${options.max} items`);
        valid = false;
      }
      const values: T[] = [];
      const firstIndexByKey = new Map<string, number>();
      for (const [index, raw] of input.slice(0, options.max).entries()) {
        const value = item.parse(raw, [...path, index], context);
        if (value === INVALID) {
          valid = false;
          continue;
        }
        values.push(value);
        if (!options.unique) continue;
        const key = options.unique.key(value);
        const first = firstIndexByKey.get(key);
        if (first === undefined) {
          firstIndexByKey.set(key, index);
        } else {
          issues.report(
            [...path, index, ...(options.unique.at ?? [])],
            'duplicate',
            `repeats item ${first} of the list`,
          );
          valid = false;
        }
      }
      return valid ? values : INVALID;
    },
  };
}
