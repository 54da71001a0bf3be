/**
 * Kubernetes resource quantities (`500m`, `2`, `4Gi`, `1e3`), parsed to numbers so requests,
 * limits and sizes can be compared and summed before anything reaches the API server.
 *
 * The grammar is resource.Quantity's: an optionally signed decimal number followed by a binary
 * suffix (Ki…Ei), a decimal suffix (n, u, m, "", k, M, G, T, P, E) or a decimal exponent (e3).
 */
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/** Parses a quantity to its value in base units (cores, bytes), or `undefined` if malformed. */
export function parseQuantity(value: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2];
  if (!suffix) return number;
  if (suffix[0] === 'e' || suffix[0] === 'E') return number * 10 ** Number(suffix.slice(1));
  return number * SUFFIX[suffix]!;
}

/** Whether `value` is a well-formed, non-negative Kubernetes quantity. */
export function isQuantity(value: unknown): value is string {
  return typeof value === 'string' && (parseQuantity(value) ?? -1) >= 0;
}

/** Formats a byte count as the smallest exact binary quantity at or above it, in Mi (e.g. `11264Mi`). */
export function formatMebibytes(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}

/** Sizes (artifact sizes, volume limits) written in binary units. */
export class Size {
  /** `amount` mebibytes. */
  public static mebibytes(amount: number): Size {
    return new Size(amount * 2 ** 20);
  }
  /** `amount` gibibytes. */
  public static gibibytes(amount: number): Size {
    return new Size(amount * 2 ** 30);
  }
  /** A size parsed from a Kubernetes quantity such as `12Gi`; invalid input is kept and reported at validation. */
  public static parse(quantity: string): Size {
    return new Size(parseQuantity(quantity) ?? Number.NaN, quantity);
  }

  private constructor(private readonly bytes: number, private readonly source?: string) {}

  /** Bytes in this size. */
  public toBytes(): number {
    return this.bytes;
  }
  /** Whether this is a finite, positive size. */
  public isValid(): boolean {
    return Number.isFinite(this.bytes) && this.bytes > 0;
  }
  /** The size as a Kubernetes quantity in mebibytes, rounded up. */
  public toQuantity(): string {
    return formatMebibytes(this.bytes);
  }
  /** The quantity the user wrote, or a mebibyte quantity. */
  public toString(): string {
    return this.source ?? this.toQuantity();
  }
}
