import { Duration } from './duration';
import { Problems } from './errors';

/** Records a problem unless `value` is undefined or an integer in [min, max]. */
export function checkInteger(problems: Problems, prop: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    problems.add(prop, value, `expected an integer ${range}`);
  }
}

/** Records a problem unless `value` is undefined or a Duration in [min, max] seconds. */
export function checkDuration(problems: Problems, prop: string, value: unknown, minSeconds: number, maxSeconds = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  const ok = value instanceof Duration && value.isValid() && value.toMilliseconds() >= minSeconds * 1000 && value.toMilliseconds() <= maxSeconds * 1000;
  if (!ok) {
    const range = maxSeconds === Number.MAX_SAFE_INTEGER ? `at least ${minSeconds} s` : `from ${minSeconds} s to ${maxSeconds} s`;
    problems.add(prop, value, `expected a Duration ${range}`);
  }
}

/** Records a problem unless `value` is undefined or one of `allowed`. */
export function checkOneOf<T>(problems: Problems, prop: string, value: unknown, allowed: readonly T[]): void {
  if (value === undefined) return;
  if (!allowed.includes(value as T)) problems.add(prop, value, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
}
