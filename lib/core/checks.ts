import { Duration } from './duration';
import { Problems } from './errors';
import { Labels, Toleration } from './k8s-types';
import { isLabelKey, isLabelValue, NAME_RULES } from './names';

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

/** Whether `value` is a plain object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The entries of an optional map prop (labels, env, …), recording a problem when it is not an
 * object, so later checks iterate keys rather than the characters of a string.
 */
export function mapEntries(problems: Problems, prop: string, value: unknown, expected: string): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (!isPlainObject(value)) {
    problems.add(prop, value, expected);
    return [];
  }
  return Object.entries(value);
}

/** The items of an optional list prop, recording a problem when it is not an array. */
export function listItems(problems: Problems, prop: string, value: unknown, expected: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add(prop, value, expected);
    return [];
  }
  return value;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Records problems with a list of tolerations under `prop` (`tolerations[0].operator`, …). */
export function checkTolerations(problems: Problems, prop: string, tolerations: unknown): void {
  listItems(problems, prop, tolerations, 'expected an array of tolerations').forEach((item, i) => {
    if (!isPlainObject(item)) {
      problems.add(`${prop}[${i}]`, item, 'expected a toleration such as { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }');
      return;
    }
    const t = item as Toleration;
    const p = problems.at(`${prop}[${i}]`);
    if (t.key !== undefined && !isLabelKey(t.key)) p.add('key', t.key, NAME_RULES.labelKey);
    if (t.operator !== undefined && t.operator !== 'Exists' && t.operator !== 'Equal') p.add('operator', t.operator, 'expected "Exists" or "Equal"');
    if (t.operator === 'Exists' && t.value) p.add('value', t.value, 'expected no value with operator "Exists"');
    if (t.key === undefined && t.operator !== 'Exists') p.add('operator', t.operator, 'expected "Exists" when no key is given (a toleration of every taint)');
    if (t.value !== undefined && !isLabelValue(t.value)) p.add('value', t.value, NAME_RULES.labelValue);
    if (t.effect !== undefined && !TAINT_EFFECTS.includes(t.effect)) p.add('effect', t.effect, `expected one of ${TAINT_EFFECTS.join(', ')}`);
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') p.add('tolerationSeconds', t.tolerationSeconds, 'expected only with effect "NoExecute"');
    else checkInteger(p, 'tolerationSeconds', t.tolerationSeconds, 0);
  });
}

/** Label keys modelship sets itself in a label map, and why the user may not. */
export interface ReservedLabelKeys {
  readonly keys: readonly string[];
  readonly why: string;
}

/**
 * Checks a map of Kubernetes labels (or a label selector's `matchLabels`) as the API server
 * does, each problem at `<prop>.<key>`; `reserved` keys are refused. Returns the entries.
 */
export function checkLabels(problems: Problems, prop: string, labels: unknown, reserved?: ReservedLabelKeys): Labels {
  const entries = mapEntries(problems, prop, labels, 'expected an object of label keys to label values');
  for (const [key, value] of entries) {
    if (!isLabelKey(key)) problems.add(`${prop}.${key}`, key, NAME_RULES.labelKey);
    if (typeof value !== 'string' || !isLabelValue(value)) problems.add(`${prop}.${key}`, value, NAME_RULES.labelValue);
    if (reserved?.keys.includes(key)) problems.add(`${prop}.${key}`, value, `expected a key other than ${reserved.keys.join(', ')}: ${reserved.why}`);
  }
  return Object.fromEntries(entries) as Labels;
}
