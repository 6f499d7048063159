/** Ends an exhaustive switch: compiling fails when a union member is left unhandled. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
