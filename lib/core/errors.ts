/**
 * One problem with the props a user wrote: where it is, what was given and what is allowed.
 */
export interface ValidationProblem {
  /** The construct path (cdk8s) or resource name (Pulumi) of the object whose props are wrong. */
  readonly construct: string;
  /** The prop path inside that object's props, e.g. `resources.cpu` or `runtime.model.sha256`. */
  readonly prop: string;
  /** The value the user gave, rendered for humans (`undefined` when the prop was missing). */
  readonly given: string;
  /** What would have been accepted. */
  readonly allowed: string;
}

/**
 * Thrown when props are invalid. Lists every problem found, not just the first, so one run
 * of `cdk8s synth` (or `pulumi preview`) shows everything that needs fixing.
 */
export class ValidationError extends Error {
  /** Every problem found, in the order the props were checked. */
  public readonly problems: readonly ValidationProblem[];

  public constructor(problems: readonly ValidationProblem[]) {
    super(ValidationError.format(problems));
    this.name = 'ValidationError';
    this.problems = problems;
  }

  private static format(problems: readonly ValidationProblem[]): string {
    const lines = problems.map((p) => `  - ${p.construct}: ${p.prop}: got ${p.given}; ${p.allowed}`);
    const noun = problems.length === 1 ? 'problem' : 'problems';
    return `${problems.length} ${noun} in modelship props:\n${lines.join('\n')}`;
  }
}

/** Renders a user's value for an error message without throwing on cycles or functions. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  // Arrays have their own toString (`["a"]` would print as `a`): JSON shows what was given.
  if (typeof value === 'object' && !Array.isArray(value) && 'toString' in value && value.toString !== Object.prototype.toString) {
    try {
      return String(value);
    } catch {
      // a toString that throws or returns an object: fall through to JSON
    }
  }
  try {
    // JSON.stringify returns undefined for functions and symbols.
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Collects problems while props are checked, then throws them all at once.
 *
 * Checks never throw on their own: a validator keeps going after the first problem, so the
 * error lists everything. `at()` narrows the prop path for nested props.
 */
export class Problems {
  private readonly list: ValidationProblem[];

  public constructor(public readonly construct: string, private readonly prefix = '', list?: ValidationProblem[]) {
    this.list = list ?? [];
  }

  /** A collector for a nested prop (`at('resources')` then `add('cpu', …)` reports `resources.cpu`). */
  public at(prop: string): Problems {
    return new Problems(this.construct, this.join(prop), this.list);
  }

  /** A collector for another construct's props sharing this one's list, for checks that span constructs (a cluster and its models). */
  public of(construct: string): Problems {
    return new Problems(construct, '', this.list);
  }

  /** Records a problem with the prop `prop` (relative to this collector). */
  public add(prop: string, given: unknown, allowed: string): void {
    this.list.push({ construct: this.construct, prop: this.join(prop), given: describeValue(given), allowed });
  }

  /** Whether anything has been recorded (by this collector or any collector sharing its list). */
  public get empty(): boolean {
    return this.list.length === 0;
  }

  /** Every problem recorded so far. */
  public get all(): readonly ValidationProblem[] {
    return this.list;
  }

  /** Throws a {@link ValidationError} if any problem was recorded. */
  public throwIfAny(): void {
    if (this.list.length > 0) throw new ValidationError([...this.list]);
  }

  private join(prop: string): string {
    if (!this.prefix) return prop;
    if (!prop) return this.prefix;
    return prop.startsWith('[') ? `${this.prefix}${prop}` : `${this.prefix}.${prop}`;
  }
}
