/**
 * Just enough of the protobuf text format to check a Triton `config.pbtxt`: the top-level
 * `name` and `max_batch_size`, read correctly whatever the comments, quoting, separators and
 * nested messages around them.
 */

/** What modelship reads from a `config.pbtxt`. */
export interface TritonConfigSummary {
  /** The top-level `name`, when the file sets one (unquoted and unescaped). */
  readonly name?: string;
  /** The top-level `max_batch_size` token exactly as written (e.g. `8`, `-1`, `0x10`, `4.5`). */
  readonly maxBatchSize?: string;
  /** The top-level `platform`, when set. */
  readonly platform?: string;
  /** The top-level `backend`, when set. */
  readonly backend?: string;
}

/** The result of {@link parseTritonConfig}: the summary, or where and why parsing stopped. */
export type TritonConfigParse =
  | { readonly ok: true; readonly config: TritonConfigSummary }
  | { readonly ok: false; readonly line: number; readonly error: string };

/** The largest `max_batch_size` Triton can hold (the field is an `int32`). */
export const TRITON_MAX_BATCH_SIZE_LIMIT = 2 ** 31 - 1;

type TokenKind = 'ident' | 'string' | 'number' | 'punct';

interface Token {
  readonly kind: TokenKind;
  /** Identifier or number text, punctuation character, or a string's decoded value. */
  readonly text: string;
  readonly line: number;
}

class ParseError extends Error {
  public constructor(public readonly line: number, message: string) {
    super(message);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length || text[i] === '\n') throw new ParseError(start, 'unterminated string');
        const ch = text[i]!;
        if (ch === c) {
          i++;
          break;
        }
        if (ch !== '\\') {
          value += ch;
          i++;
          continue;
        }
        const next = text[i + 1];
        if (next === undefined || next === '\n') throw new ParseError(start, 'unterminated string');
        if (next in SIMPLE_ESCAPES) {
          value += SIMPLE_ESCAPES[next];
          i += 2;
        } else if (next === 'x' || next === 'X') {
          const hex = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 2));
          if (!hex) throw new ParseError(line, 'invalid \\x escape in a string');
          value += String.fromCharCode(parseInt(hex[0], 16));
          i += 2 + hex[0].length;
        } else if (/[0-7]/.test(next)) {
          const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
          value += String.fromCharCode(parseInt(oct, 8));
          i += 1 + oct.length;
        } else {
          throw new ParseError(line, `invalid escape \\${next} in a string`);
        }
      }
      tokens.push({ kind: 'string', text: value, line: start });
    } else if ('{}[]<>:,;'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, line });
      i++;
    } else {
      const m = /^(-?\s*(?:0[xX][0-9A-Fa-f]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fF]?|inf(?:inity)?|nan)(?![A-Za-z0-9_.])|[A-Za-z_][A-Za-z0-9_]*)/i.exec(text.slice(i));
      if (!m) throw new ParseError(line, `unexpected character ${JSON.stringify(c)}`);
      const word = m[0];
      const kind: TokenKind = /^[A-Za-z_]/.test(word) && !/^(inf(inity)?|nan)$/i.test(word) ? 'ident' : 'number';
      tokens.push({ kind, text: word.replace(/\s+/g, ''), line });
      i += word.length;
    }
  }
  return tokens;
}

const CLOSERS: Record<string, string> = { '{': '}', '<': '>' };

/** A cursor over the tokens, with the grammar of text-format messages. */
class Parser {
  private pos = 0;
  public constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private lastLine(): number {
    return this.tokens[this.tokens.length - 1]?.line ?? 1;
  }

  private next(what: string): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new ParseError(this.lastLine(), `unexpected end of file, expected ${what}`);
    return t;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  /**
   * Parses fields until `closer` (or the end of the file when undefined) and returns the
   * scalar values of this level's fields, by name, in order.
   */
  public fields(closer?: string): Map<string, Token[][]> {
    const found = new Map<string, Token[][]>();
    for (;;) {
      const t = this.peek();
      if (t === undefined) {
        if (closer !== undefined) throw new ParseError(this.lastLine(), `unexpected end of file, expected "${closer}"`);
        return found;
      }
      if (closer !== undefined && t.kind === 'punct' && t.text === closer) {
        this.pos++;
        return found;
      }
      const name = this.fieldName();
      const colon = this.isPunct(':');
      if (colon) this.pos++;
      const values = this.value(name, colon);
      const list = found.get(name) ?? [];
      list.push(values);
      found.set(name, list);
      if (this.isPunct(',') || this.isPunct(';')) this.pos++;
    }
  }

  private fieldName(): string {
    const t = this.next('a field name');
    if (t.kind === 'ident') return t.text;
    if (t.kind === 'punct' && t.text === '[') {
      // An extension or Any type URL: [pkg.ext] or [type.googleapis.com/pkg.Msg].
      let name = '[';
      for (;;) {
        const part = this.next('"]"');
        if (part.kind === 'punct' && part.text === ']') return `${name}]`;
        name += part.text;
      }
    }
    throw new ParseError(t.line, `expected a field name, found ${describe(t)}`);
  }

  /** A field's value: a message (whose scalars are dropped), a list, or a scalar (returned). */
  private value(name: string, colon: boolean): Token[] {
    const t = this.next(`a value for ${name}`);
    if (t.kind === 'punct' && (t.text === '{' || t.text === '<')) {
      this.fields(CLOSERS[t.text]);
      return [];
    }
    if (t.kind === 'punct' && t.text === '[') {
      // The ":" may be left out only before a list of messages (as before a single message).
      const needColon = (line: number): void => {
        if (!colon) throw new ParseError(line, `expected ":" before the list of values of ${name}`);
      };
      const items: Token[] = [];
      if (this.isPunct(']')) {
        this.pos++;
        return items;
      }
      for (;;) {
        const item = this.peek();
        if (item?.kind === 'punct' && (item.text === '{' || item.text === '<')) {
          this.pos++;
          this.fields(CLOSERS[item.text]);
        } else {
          needColon(t.line);
          items.push(...this.scalar(name));
        }
        const sep = this.next('"," or "]"');
        if (sep.kind === 'punct' && sep.text === ']') return [{ kind: 'punct', text: '[', line: t.line }, ...items];
        if (!(sep.kind === 'punct' && sep.text === ',')) throw new ParseError(sep.line, `expected "," or "]" in the list of ${name}, found ${describe(sep)}`);
      }
    }
    if (!colon) throw new ParseError(t.line, `expected ":" after ${name}`);
    this.pos--;
    return this.scalar(name);
  }

  /** One scalar: an identifier, a number, or adjacent strings (concatenated). */
  private scalar(name: string): Token[] {
    const t = this.next(`a value for ${name}`);
    if (t.kind === 'ident' || t.kind === 'number') return [t];
    if (t.kind === 'string') {
      let value = t.text;
      while (this.peek()?.kind === 'string') value += this.next('a string').text;
      return [{ kind: 'string', text: value, line: t.line }];
    }
    throw new ParseError(t.line, `expected a value for ${name}, found ${describe(t)}`);
  }
}

function describe(t: Token): string {
  return t.kind === 'string' ? 'a string' : `"${t.text}"`;
}

/**
 * Reads the top-level `name`, `max_batch_size`, `platform` and `backend` of a Triton
 * `config.pbtxt` (text-format `inference.ModelConfig`). Comments (`#`), both quote styles,
 * escapes, adjacent-string concatenation, `:`-less messages, `{}`/`<>` messages, lists and
 * `,`/`;` separators are understood; nested fields of the same names (an input's `name`) are
 * not mistaken for the top-level ones.
 *
 * @returns the summary, or the line and reason the text is not a well-formed text proto, or
 *   sets one of those fields twice or with the wrong kind of value.
 */
export function parseTritonConfig(text: string): TritonConfigParse {
  try {
    const fields = new Parser(tokenize(text)).fields();
    const single = (field: string, kind: TokenKind, what: string): string | undefined => {
      const occurrences = fields.get(field);
      if (!occurrences) return undefined;
      const first = occurrences[0]!;
      if (occurrences.length > 1) throw new ParseError(occurrences[1]![0]?.line ?? first[0]?.line ?? 1, `${field} is set more than once`);
      const token = first[0];
      if (first.length !== 1 || token === undefined || token.kind !== kind) throw new ParseError(token?.line ?? 1, `expected ${field} to be ${what}`);
      return token.text;
    };
    const name = single('name', 'string', 'a quoted string');
    const platform = single('platform', 'string', 'a quoted string');
    const backend = single('backend', 'string', 'a quoted string');
    const maxBatchSize = single('max_batch_size', 'number', 'a number');
    const config: TritonConfigSummary = {
      ...(name !== undefined ? { name } : {}),
      ...(maxBatchSize !== undefined ? { maxBatchSize } : {}),
      ...(platform !== undefined ? { platform } : {}),
      ...(backend !== undefined ? { backend } : {}),
    };
    return { ok: true, config };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, line: error.line, error: error.message };
    throw error;
  }
}

/**
 * The value of a `max_batch_size` token when it is an integer Triton accepts (0 to
 * {@link TRITON_MAX_BATCH_SIZE_LIMIT}); otherwise undefined. Decimal, hex (`0x10`) and octal
 * (`010`) integers are read as protobuf reads them.
 */
export function tritonMaxBatchSize(token: string): number | undefined {
  let value: number;
  if (/^0[xX][0-9A-Fa-f]+$/.test(token)) value = parseInt(token.slice(2), 16);
  else if (/^0[0-7]+$/.test(token)) value = parseInt(token.slice(1), 8);
  else if (/^(0|[1-9]\d*)$/.test(token)) value = Number(token);
  else return undefined;
  return Number.isSafeInteger(value) && value <= TRITON_MAX_BATCH_SIZE_LIMIT ? value : undefined;
}
