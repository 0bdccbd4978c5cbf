/** Compile-time exhaustiveness check for tagged unions: a missing `case` fails to type-check. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
