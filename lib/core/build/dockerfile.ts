/**
 * A small writer for the Dockerfiles modelship generates. It quotes every value it writes so
 * that nothing a user or runtime supplies is expanded, split or read as another instruction.
 */

/** The first line of every generated Dockerfile (and `.dockerignore`). */
export const GENERATED_HEADER = '# modelship: generated';

/** Characters that may appear unquoted in a COPY path or a `USER`. */
const PLAIN = /^[A-Za-z0-9_./:@+=,-]+$/;

function assertNoControl(value: string, what: string): void {
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new RangeError(`${what} must not contain control characters (newlines, tabs, NUL); got ${JSON.stringify(value)}`);
}

/**
 * Quotes a value for `ENV` and `LABEL`: double quotes, with `\`, `"` and `$` escaped so the
 * builder neither ends the string nor substitutes variables.
 *
 * @throws RangeError for control characters, which no Dockerfile string can hold on one line.
 */
export function dockerQuote(value: string): string {
  assertNoControl(value, 'a Dockerfile value');
  return `"${value.replace(/[\\"$]/g, '\\$&')}"`;
}

/**
 * Writes an exec-form (JSON array) argument list, as `ENTRYPOINT`, `CMD` and `RUN` take it: no
 * shell runs, so nothing is split or expanded.
 */
export function execForm(argv: readonly string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/**
 * Builds a Dockerfile line by line. Instructions are written in the order they are added; the
 * text always starts with {@link GENERATED_HEADER} and ends with a newline.
 */
export class DockerfileWriter {
  private readonly lines: string[] = [GENERATED_HEADER];

  /** A comment line (each line of `text` becomes one `#` line). */
  public comment(text: string): this {
    for (const line of text.split('\n')) this.lines.push(line ? `# ${line}` : '#');
    return this;
  }

  /** An empty line, to separate groups of instructions. */
  public blank(): this {
    if (this.lines[this.lines.length - 1] !== '') this.lines.push('');
    return this;
  }

  /** `FROM <image>`. */
  public from(image: string): this {
    if (!/^[^\s$"\\]+$/.test(image)) throw new RangeError(`a base image must be one word without "$", quotes or backslashes; got ${JSON.stringify(image)}`);
    this.lines.push(`FROM ${image}`);
    return this;
  }

  /** `USER <user>` (a name, `uid` or `uid:gid`). */
  public user(user: string): this {
    if (!PLAIN.test(user)) throw new RangeError(`a USER must be a plain name or uid[:gid]; got ${JSON.stringify(user)}`);
    this.lines.push(`USER ${user}`);
    return this;
  }

  /**
   * `COPY <source> <destination>`: the plain form when both paths are plain words, otherwise the
   * JSON form (for spaces). A source ending in `/` copies the folder's contents.
   */
  public copy(source: string, destination: string): this {
    for (const p of [source, destination]) {
      assertNoControl(p, 'a COPY path');
      if (p.includes('$')) throw new RangeError(`a COPY path must not contain "$" (the builder would substitute it); got ${JSON.stringify(p)}`);
    }
    this.lines.push(PLAIN.test(source) && PLAIN.test(destination) ? `COPY ${source} ${destination}` : `COPY ${execForm([source, destination])}`);
    return this;
  }

  /** `RUN [...]` in exec form: the program runs without a shell. */
  public run(argv: readonly string[]): this {
    if (argv.length === 0) throw new RangeError('RUN needs a program');
    this.lines.push(`RUN ${execForm(argv)}`);
    return this;
  }

  /** `ENV <name>="<value>"`. */
  public env(name: string, value: string): this {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RangeError(`an ENV name must be letters, digits and "_", not starting with a digit; got ${JSON.stringify(name)}`);
    this.lines.push(`ENV ${name}=${dockerQuote(value)}`);
    return this;
  }

  /** `LABEL <key>="<value>"` (the key quoted too unless it is a plain word). */
  public label(key: string, value: string): this {
    this.lines.push(`LABEL ${PLAIN.test(key) && !key.includes('=') ? key : dockerQuote(key)}=${dockerQuote(value)}`);
    return this;
  }

  /** `EXPOSE <port>/tcp …` (nothing when `ports` is empty). */
  public expose(ports: readonly number[]): this {
    for (const port of ports) if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`a port must be an integer from 1 to 65535; got ${port}`);
    if (ports.length > 0) this.lines.push(`EXPOSE ${ports.map((p) => `${p}/tcp`).join(' ')}`);
    return this;
  }

  /** `ENTRYPOINT [...]` in exec form. */
  public entrypoint(argv: readonly string[]): this {
    this.lines.push(`ENTRYPOINT ${execForm(argv)}`);
    return this;
  }

  /** `CMD [...]` in exec form. */
  public cmd(argv: readonly string[]): this {
    this.lines.push(`CMD ${execForm(argv)}`);
    return this;
  }

  /** The Dockerfile's text, ending with one newline. */
  public toString(): string {
    const lines = [...this.lines];
    while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    return `${lines.join('\n')}\n`;
  }
}
