/**
 * Assertions on ValidationErrors: the exact problems (construct path, prop path, value given,
 * what is allowed), not just that something was thrown.
 */
import { type ModelServiceProps, ValidationError, type ValidationProblem } from '../../lib/core';
import { render } from './fixtures';

/** The construct path `render` (test/support/fixtures) reports for the default name. */
export const PATH = 'test/fraud';

/** A problem as the tests write it: [prop, given, allowed]. */
export type Expected = readonly [prop: string, given: string, allowed: string];

/** Runs `fn`, asserts it threw a ValidationError (not a TypeError or anything else) and returns it. */
export function validationErrorOf(fn: () => unknown): ValidationError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  return thrown as ValidationError;
}

/** The problems rendering `props` reports (asserting the render throws a ValidationError). */
export function problemsOf(props: unknown, name = 'fraud'): readonly ValidationProblem[] {
  return validationErrorOf(() => render(props as ModelServiceProps, name)).problems;
}

/** A problem without its construct path, for assertions where only prop, given and allowed matter. */
export function withoutConstruct({ prop, given, allowed }: ValidationProblem): { prop: string; given: string; allowed: string } {
  return { prop, given, allowed };
}

/** Asserts rendering `props` throws a ValidationError listing exactly `expected`, in order. */
export function expectProblems(props: unknown, expected: readonly Expected[], name = 'fraud'): void {
  expect(() => render(props as ModelServiceProps, name)).toThrow(ValidationError);
  expect(problemsOf(props, name)).toEqual(expected.map(([prop, given, allowed]) => ({ construct: `test/${name}`, prop, given, allowed })));
}

/** Asserts rendering `props` succeeds. */
export function expectAccepted(props: ModelServiceProps, name = 'fraud'): void {
  expect(() => render(props, name)).not.toThrow();
}
