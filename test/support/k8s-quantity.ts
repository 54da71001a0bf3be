/**
 * resource.Quantity syntax (k8s.io/apimachinery/pkg/api/resource):
 *   <signedNumber><suffix>, suffix one of Ki Mi Gi Ti Pi Ei | n u m "" k M G T P E | e<int> E<int>
 * The server also accepts JSON numbers for quantities, so YAML `cpu: 1` is fine.
 */
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const MULTIPLIERS: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

export function isQuantity(value: unknown): boolean {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && QUANTITY.test(value));
}

/**
 * Numeric value of a quantity, or undefined when it does not parse. A double is
 * precise enough for the comparisons we make (request vs limit, integer-ness).
 */
export function quantityValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const [, num, suffix = ''] = m;
  const base = Number(num);
  if (/^[eE]/.test(suffix)) return base * 10 ** Number(suffix.slice(1));
  return base * MULTIPLIERS[suffix]!;
}

export const QUANTITY_SYNTAX = 'must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\' (e.g. "500m", "2", "1.5Gi")';
