/**
 * Go integer semantics the HPA controller relies on: `int64` sums that wrap, `int32`
 * conversions, and Kubernetes milli-values.
 * @module
 */

/**
 * A metric value or target in milli-units (`Quantity.MilliValue()` upstream: 1 CPU = 1000,
 * 1 request/s = 1000). A `number` is rounded up to a whole milli-unit, as `MilliValue()`
 * rounds up; pass a `bigint` for values beyond 2^53 (the int64 overflow cases).
 */
export type MilliValue = number | bigint;

/** `math.MaxInt32`: the largest replica count the controller can return. */
export const MAX_INT32 = 2147483647;

/** `math.MinInt32`. */
export const MIN_INT32 = -2147483648;

/** `math.MaxInt64`, the cap upstream applies to summed external metrics. */
export const MAX_INT64 = (1n << 63n) - 1n;

/** Go `int64` arithmetic: wraps `x` to 64 bits two's complement. */
export function wrapInt64(x: bigint): bigint {
  return BigInt.asIntN(64, x);
}

/** Go `int32(x)` of an `int64`: wraps to 32 bits two's complement. */
export function wrapInt32(x: bigint): number {
  return Number(BigInt.asIntN(32, x));
}

/** Converts a {@link MilliValue} to the `int64` the controller works with. */
export function toMilli(value: MilliValue): bigint {
  if (typeof value === 'bigint') return wrapInt64(value);
  if (!Number.isFinite(value)) throw new RangeError(`milli-value must be finite, got ${value}`);
  return wrapInt64(BigInt(Math.ceil(value)));
}
