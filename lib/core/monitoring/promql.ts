/**
 * Small helpers for writing PromQL and Prometheus durations.
 * @module
 */

/** A label matcher value: an exact string, or `{ regex }` for `=~`. */
export type MatcherValue = string | { readonly regex: string };

/** `{a="x",b=~"y"}` from matchers, values quoted as PromQL strings. */
export function selector(matchers: Readonly<Record<string, MatcherValue>>): string {
  const parts = Object.entries(matchers).map(([label, value]) => (typeof value === 'string' ? `${label}=${JSON.stringify(value)}` : `${label}=~${JSON.stringify(value.regex)}`));
  return `{${parts.join(',')}}`;
}

/** `sel` (a selector from {@link selector}) with one more matcher, e.g. `status!="OK"`. */
export function withMatcher(sel: string, matcher: string): string {
  return sel === '{}' ? `{${matcher}}` : `${sel.slice(0, -1)},${matcher}}`;
}

/** A Prometheus duration (`30s`, `5m`, `2h`) for whole seconds, in the largest unit that divides it. */
export function promDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s > 0 && s % 3600 === 0) return `${s / 3600}h`;
  if (s > 0 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** Seconds rounded up to whole minutes (alert `for:` durations read better in minutes). */
export function wholeMinutes(seconds: number): number {
  return Math.ceil(seconds / 60) * 60;
}

/** A number as PromQL writes it, without exponent or float noise (0.1 + 0.2 stays `0.3`). */
export function promNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
