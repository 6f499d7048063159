import { ValidationProblem } from './problem-details';
import { InvalidCursorError } from '../../events/ports/read-models.port';

/** Runs a paged read-model query; a cursor that is not one the query issued is the caller's error. */
export async function readPage<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new ValidationProblem([
        { path: 'cursor', rule: 'invalid_cursor', message: 'cursor is not one this list issued' },
      ]);
    }
    throw error;
  }
}
