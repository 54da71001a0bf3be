/** A test of one documented default: the `@default` text it covers and the assertions. */
export interface DefaultCase {
  /** The text after `@default` in lib/core, verbatim; the guard test fails when the docs change. */
  readonly documented: string;
  readonly check: () => void;
}

/** Cases keyed like {@link scanDocumentedDefaults}: `file:Owner.member`. */
export type DefaultCases = Record<string, DefaultCase>;

export function documented(text: string, check: () => void): DefaultCase {
  return { documented: text, check };
}
