/**
 * Kubernetes and Compose both rewrite `$` in strings, differently: the kubelet expands
 * `$(VAR)` in a container's command, args and env values (`$$` is a literal `$`); Compose
 * interpolates `${VAR}` and `$VAR` from the host in every value (`$$` is a literal `$`). A
 * string taken from a Pod therefore has to be expanded the way the kubelet would, then escaped
 * for Compose, to mean the same thing in both.
 */

/** Escapes `$` for Compose, so the value reaches the container literally. */
export function escapeCompose(value: string): string {
  return value.split('$').join('$$');
}

/**
 * Expands `$(NAME)` references as the kubelet does (`k8s.io/kubernetes/third_party/forked/golang/expansion`)
 * and escapes the result for Compose.
 *
 * `resolve(name)` returns the Compose text for a variable (already escaped, or a `${VAR}` host
 * reference), or `undefined` when the container has no such variable: the reference is then
 * kept as written, as the kubelet keeps it. `$$` becomes a literal `$`; a `$` before any other
 * character, or an unterminated `$(`, stays as it is.
 */
export function expandForCompose(value: string, resolve: (name: string) => string | undefined): string {
  let out = '';
  let literal = '';
  const flush = () => {
    out += escapeCompose(literal);
    literal = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '$' || i + 1 >= value.length) {
      literal += c;
      continue;
    }
    const next = value[i + 1]!;
    if (next === '$') {
      literal += '$';
      i += 1;
    } else if (next === '(') {
      const close = value.indexOf(')', i + 2);
      if (close < 0) {
        literal += '$(';
        i += 1;
        continue;
      }
      const name = value.slice(i + 2, close);
      const resolved = resolve(name);
      if (resolved === undefined) {
        literal += `$(${name})`;
      } else {
        flush();
        out += resolved;
      }
      i = close;
    } else {
      literal += `$${next}`;
      i += 1;
    }
  }
  flush();
  return out;
}

/** A Compose-interpolable name for an environment variable (`[_A-Za-z][_A-Za-z0-9]*`): other characters become `_`. */
export function hostVariableName(name: string): string {
  const clean = name.replace(/[^_A-Za-z0-9]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}
