/**
 * A small PromQL checker for tests: tokenizes and parses an expression (the subset modelship
 * writes: selectors with matchers, range and subquery selectors, functions, aggregations with
 * `by`/`without`, binary operators with precedence and `on`/`ignoring`, `group_left`/`group_right`
 * and `bool`, with Prometheus' rules on them: no grouping on set operators, vector matching only
 * between instant vectors, no label both matched on and grouped), checks argument
 * types (a range vector where `rate` wants one, never where an instant vector is due), known
 * function names, label names, matcher regexes and balanced brackets, and returns the metric
 * names it reads. There is no Prometheus here: this catches what a typo or a bad concatenation
 * would break; it does not evaluate anything.
 */

/** What an expression evaluates to. */
type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

interface Token {
  readonly kind: 'ident' | 'number' | 'string' | 'duration' | 'op' | 'punct';
  readonly text: string;
  readonly at: number;
}

/** A problem found, with the offset in the expression. */
export class PromQLError extends Error {
  public constructor(message: string, expr: string, at: number) {
    super(`${message} at ${at} in: ${expr}`);
  }
}

/** The functions allowed, with the types of their arguments (`?` marks optional ones) and result. */
const FUNCTIONS: Record<string, { args: (ValueType | `${ValueType}?`)[]; returns: ValueType }> = {
  rate: { args: ['matrix'], returns: 'vector' },
  irate: { args: ['matrix'], returns: 'vector' },
  increase: { args: ['matrix'], returns: 'vector' },
  delta: { args: ['matrix'], returns: 'vector' },
  deriv: { args: ['matrix'], returns: 'vector' },
  avg_over_time: { args: ['matrix'], returns: 'vector' },
  max_over_time: { args: ['matrix'], returns: 'vector' },
  min_over_time: { args: ['matrix'], returns: 'vector' },
  histogram_quantile: { args: ['scalar', 'vector'], returns: 'vector' },
  absent: { args: ['vector'], returns: 'vector' },
  vector: { args: ['scalar'], returns: 'vector' },
  scalar: { args: ['vector'], returns: 'scalar' },
  clamp_min: { args: ['vector', 'scalar'], returns: 'vector' },
  clamp_max: { args: ['vector', 'scalar'], returns: 'vector' },
  time: { args: [], returns: 'scalar' },
};
const AGGREGATIONS = new Set(['sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'group']);
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless']);
/** Binary operators by precedence, lowest first. */
const PRECEDENCE: string[][] = [['or'], ['and', 'unless'], ['==', '!=', '<=', '<', '>=', '>'], ['+', '-'], ['*', '/', '%'], ['^']];
const COMPARISONS = new Set(PRECEDENCE[2]);
const SET_OPS = new Set(['and', 'or', 'unless']);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

function tokenize(expr: string, variables: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = expr.slice(i);
    const variable = variables.find((v) => rest.startsWith(v));
    if (variable) {
      tokens.push({ kind: 'duration', text: variable, at: i });
      i += variable.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += expr[j] === '\\' ? 2 : 1;
      if (j >= expr.length) throw new PromQLError('unterminated string', expr, i);
      tokens.push({ kind: 'string', text: JSON.parse(`"${expr.slice(i + 1, j).replace(/\\'/g, "'")}"`) as string, at: i });
      i = j + 1;
      continue;
    }
    const duration = /^\d+(ms|s|m|h|d|w|y)(\d+(ms|s|m|h|d|w|y))*(?![a-zA-Z0-9_])/.exec(rest);
    if (duration) {
      tokens.push({ kind: 'duration', text: duration[0], at: i });
      i += duration[0].length;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const ident = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest);
    // In `[10m:1m]` the colon separates range and step; elsewhere it may start a metric name.
    if (ident && !(c === ':' && tokens[tokens.length - 1]?.kind === 'duration')) {
      tokens.push({ kind: 'ident', text: ident[0], at: i });
      i += ident[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|=~|!~|[-+*/%^<>=])/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[0], at: i });
      i += op[0].length;
      continue;
    }
    if ('(){}[],:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
      continue;
    }
    throw new PromQLError(`unexpected character ${JSON.stringify(c)}`, expr, i);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  public readonly metrics = new Set<string>();
  public readonly selectors: Selector[] = [];

  public constructor(private readonly expr: string, private readonly tokens: Token[]) {}

  public parse(): ValueType {
    const type = this.binary(0);
    if (this.pos < this.tokens.length) this.fail(`unexpected ${JSON.stringify(this.peek()!.text)}`);
    return type;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private fail(message: string): never {
    throw new PromQLError(message, this.expr, this.peek()?.at ?? this.expr.length);
  }

  private accept(text: string): boolean {
    if (this.peek()?.text === text && this.peek()?.kind !== 'string') {
      this.pos++;
      return true;
    }
    return false;
  }

  private expect(text: string): void {
    if (!this.accept(text)) this.fail(`expected ${JSON.stringify(text)}`);
  }

  /** `(a, b)`: the label names, in order. */
  private labelList(): string[] {
    const labels: string[] = [];
    this.expect('(');
    if (this.accept(')')) return labels;
    do {
      const t = this.tokens[this.pos++];
      if (!t || t.kind !== 'ident' || !LABEL_NAME.test(t.text)) this.fail('expected a label name');
      labels.push(t.text);
    } while (this.accept(','));
    this.expect(')');
    return labels;
  }

  private binary(level: number): ValueType {
    if (level === PRECEDENCE.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (!t || t.kind === 'string' || !PRECEDENCE[level]!.includes(t.text)) return left;
      this.pos++;
      const op = t.text;
      const isBool = this.accept('bool');
      if (isBool && !COMPARISONS.has(op)) this.fail('bool only modifies comparisons');
      let matching = false;
      if (this.accept('on') || this.accept('ignoring')) {
        matching = true;
        const on = this.labelList();
        if (this.accept('group_left') || this.accept('group_right')) {
          if (SET_OPS.has(op)) this.fail(`no grouping allowed for ${op}`);
          const extra = this.peek()?.text === '(' ? this.labelList() : [];
          const both = extra.find((l) => on.includes(l));
          if (both !== undefined) this.fail(`label ${both} must not be in both on/ignoring and group_left/group_right`);
        }
      }
      // `^` is right-associative; the others left-associative.
      const right = op === '^' ? this.binary(level) : this.binary(level + 1);
      for (const side of [left, right]) if (side === 'matrix' || side === 'string') this.fail(`operator ${op} cannot take a ${side}`);
      if (SET_OPS.has(op) && (left !== 'vector' || right !== 'vector')) this.fail(`${op} needs instant vectors on both sides`);
      if (matching && (left !== 'vector' || right !== 'vector')) this.fail('vector matching (on/ignoring) needs instant vectors on both sides');
      if (COMPARISONS.has(op) && left === 'scalar' && right === 'scalar' && !isBool) this.fail('a comparison of two scalars needs bool');
      left = left === 'vector' || right === 'vector' ? 'vector' : 'scalar';
    }
  }

  private unary(): ValueType {
    if (this.accept('-') || this.accept('+')) {
      const type = this.unary();
      if (type === 'matrix' || type === 'string') this.fail('unary minus needs a scalar or vector');
      return type;
    }
    return this.postfix(this.primary());
  }

  /** Range and subquery suffixes: `[5m]` after a selector, `[10m:1m]` after any instant expression. */
  private postfix(primary: { type: ValueType; selector: boolean }): ValueType {
    let type = primary.type;
    if (this.accept('[')) {
      const range = this.tokens[this.pos++];
      if (!range || range.kind !== 'duration') this.fail('expected a duration');
      if (this.accept(':')) {
        if (this.peek()?.kind === 'duration') this.pos++;
        if (type !== 'vector') this.fail('a subquery needs an instant vector');
      } else if (!primary.selector) {
        this.fail('a range needs a vector selector (use a subquery [range:step] for an expression)');
      }
      this.expect(']');
      type = 'matrix';
    }
    if (this.accept('offset')) {
      const d = this.tokens[this.pos++];
      if (!d || d.kind !== 'duration') this.fail('expected a duration after offset');
    }
    return type;
  }

  private primary(): { type: ValueType; selector: boolean } {
    const t = this.peek();
    if (!t) this.fail('unexpected end of expression');
    if (t.kind === 'number') {
      this.pos++;
      return { type: 'scalar', selector: false };
    }
    if (t.kind === 'string') {
      this.pos++;
      return { type: 'string', selector: false };
    }
    if (t.text === '(') {
      this.pos++;
      const type = this.binary(0);
      this.expect(')');
      return { type, selector: false };
    }
    if (t.text === '{') return { type: this.selector(undefined), selector: true };
    if (t.kind !== 'ident') this.fail(`unexpected ${JSON.stringify(t.text)}`);
    if (KEYWORDS.has(t.text)) this.fail(`unexpected keyword ${t.text}`);
    this.pos++;
    if (AGGREGATIONS.has(t.text)) return { type: this.aggregation(), selector: false };
    if (this.peek()?.text === '(') {
      const fn = FUNCTIONS[t.text];
      if (!fn) this.fail(`unknown function ${t.text}`);
      return { type: this.call(t.text, fn.args, fn.returns), selector: false };
    }
    if (!METRIC_NAME.test(t.text)) this.fail(`invalid metric name ${t.text}`);
    this.metrics.add(t.text);
    return { type: this.selector(t.text), selector: true };
  }

  private aggregation(): ValueType {
    if (this.accept('by') || this.accept('without')) this.labelList();
    this.expect('(');
    const arg = this.binary(0);
    if (arg !== 'vector') this.fail('an aggregation needs an instant vector');
    this.expect(')');
    if (this.accept('by') || this.accept('without')) this.labelList();
    return 'vector';
  }

  private call(name: string, args: readonly string[], returns: ValueType): ValueType {
    this.expect('(');
    const got: ValueType[] = [];
    if (!this.accept(')')) {
      do got.push(this.binary(0));
      while (this.accept(','));
      this.expect(')');
    }
    const required = args.filter((a) => !a.endsWith('?')).length;
    if (got.length < required || got.length > args.length) this.fail(`${name} takes ${args.length} arguments, got ${got.length}`);
    got.forEach((type, i) => {
      if (type !== args[i]!.replace('?', '')) this.fail(`${name} argument ${i + 1} must be a ${args[i]}, got a ${type}`);
    });
    return returns;
  }

  private selector(metric: string | undefined): ValueType {
    const matchers: Record<string, string> = {};
    if (metric !== undefined) this.selectors.push({ metric, matchers });
    if (!this.accept('{')) return 'vector';
    if (!this.accept('}')) {
      do {
        const label = this.tokens[this.pos++];
        if (!label || label.kind !== 'ident' || !LABEL_NAME.test(label.text)) this.fail('expected a label name');
        const op = this.tokens[this.pos++];
        if (!op || !['=', '!=', '=~', '!~'].includes(op.text)) this.fail('expected =, !=, =~ or !~');
        const value = this.tokens[this.pos++];
        if (!value || value.kind !== 'string') this.fail('expected a quoted label value');
        if (op.text.endsWith('~')) {
          try {
            new RegExp(`^(?:${value.text})$`);
          } catch {
            this.fail(`invalid regex ${JSON.stringify(value.text)}`);
          }
        }
        if (label.text in matchers) this.fail(`label ${label.text} matched twice`);
        matchers[label.text] = `${op.text}${value.text}`;
      } while (this.accept(','));
      this.expect('}');
    }
    if (metric === undefined && Object.keys(matchers).length === 0) this.fail('a selector needs a metric name or a matcher');
    return 'vector';
  }
}

/** One vector selector: the metric and its matchers, each as operator + unquoted value (`=serving`, `=~fraud-.*`). */
export interface Selector {
  readonly metric: string;
  readonly matchers: Readonly<Record<string, string>>;
}

/** The result of a successful check. */
export interface PromQLCheck {
  /** What the expression evaluates to. */
  readonly type: ValueType;
  /** The metric names it reads, sorted. */
  readonly metrics: string[];
  /** Every vector selector with a metric name, in order. */
  readonly selectors: readonly Selector[];
}

/**
 * Checks `expr` and returns its type and metric names; throws a {@link PromQLError} naming the
 * first problem. `variables` are tokens to accept as durations (Grafana's `$__rate_interval`).
 */
export function checkPromQL(expr: string, variables: readonly string[] = []): PromQLCheck {
  if (typeof expr !== 'string' || expr.trim() === '') throw new PromQLError('empty expression', String(expr), 0);
  const parser = new Parser(expr, tokenize(expr, variables));
  const type = parser.parse();
  return { type, metrics: [...parser.metrics].sort(), selectors: parser.selectors };
}

/** A `for:`/interval duration as Prometheus accepts it. */
export function isPromDuration(text: string): boolean {
  return DURATION.test(text);
}
