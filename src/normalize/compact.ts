/**
 * Records are stored as compact JSON (SPEC §7: a million of them), so a record never carries a key whose
 * value is `undefined` or `null`. Empty objects are kept: some record fields are required objects
 * (`campaign`, `principal`, `resource`) even when Okta told us nothing about them.
 */

/** A deep copy of `value` without `undefined`/`null` object values or array entries. */
export function compact<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null).map(strip);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined && v !== null) out[key] = strip(v);
  }
  return out;
}

/** `undefined` when no part of `value` is set, so an optional sub-object disappears instead of being `{}`. */
export function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.values(value).some((v) => v !== undefined && v !== null) ? value : undefined;
}
