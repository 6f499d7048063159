import { ValidationProblem } from './problem-details';
import { InvalidCursorError } from '../projections/read-model.cursor';

/** Runs a paged read-model query; a cursor that is not one the query issued is the caller's error. */
export function readPage<T>(query: () => T): T {
  try {
    return query();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new ValidationProblem([
        { path: 'cursor', rule: 'invalid_cursor', message: 'cursor is not one this list issued' },
      ]);
    }
    throw error;
  }
}
