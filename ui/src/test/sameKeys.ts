/**
 * `true` only when A and B have the same keys: pins a hand-written TypeScript type to a fixture
 * Rust writes, so a key on either side alone fails svelte-check.
 */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;
