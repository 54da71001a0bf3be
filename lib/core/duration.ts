/**
 * A length of time. modelship's own (rather than cdk8s's) so the core stays free of any
 * framework; it has the same factories, so `Duration.minutes(2)` reads the same everywhere.
 */
export class Duration {
  /** A duration of `amount` milliseconds. */
  public static millis(amount: number): Duration {
    return new Duration(amount, 'millis');
  }
  /** A duration of `amount` seconds. */
  public static seconds(amount: number): Duration {
    return new Duration(amount * 1000, 'seconds');
  }
  /** A duration of `amount` minutes. */
  public static minutes(amount: number): Duration {
    return new Duration(amount * 60_000, 'minutes');
  }
  /** A duration of `amount` hours. */
  public static hours(amount: number): Duration {
    return new Duration(amount * 3_600_000, 'hours');
  }

  private constructor(private readonly ms: number, private readonly unit: string) {}

  /** Milliseconds in this duration. */
  public toMilliseconds(): number {
    return this.ms;
  }

  /** Seconds in this duration, rounded up: Kubernetes fields take whole seconds and a budget must never shrink. */
  public toSeconds(): number {
    return Math.ceil(this.ms / 1000);
  }

  /** Whether this is a finite, non-negative length of time. */
  public isValid(): boolean {
    return Number.isFinite(this.ms) && this.ms >= 0;
  }

  /** A readable form for messages and reports, e.g. `2 minutes (120 s)`. */
  public toString(): string {
    const amount = this.unit === 'millis' ? this.ms : this.ms / { seconds: 1000, minutes: 60_000, hours: 3_600_000 }[this.unit]!;
    return this.unit === 'seconds' || this.unit === 'millis' ? `${amount} ${this.unit === 'millis' ? 'ms' : 's'}` : `${amount} ${this.unit} (${this.toSeconds()} s)`;
  }
}
