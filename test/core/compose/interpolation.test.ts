/**
 * The kubelet's `$(VAR)` expansion followed by Compose escaping, case by case, and the host
 * variable names Compose can interpolate.
 */
import { escapeCompose, expandForCompose, hostVariableName } from '../../../lib/core/compose';

const env = new Map([
  ['A', 'alpha'],
  ['PRICE', '$$5'],
  ['SECRET', '${SECRET}'],
]);
const expand = (value: string) => expandForCompose(value, (name) => env.get(name));

describe('expandForCompose', () => {
  it.each([
    ['plain', 'plain'],
    ['$(A)', 'alpha'],
    ['x-$(A)-$(A)-y', 'x-alpha-alpha-y'],
    // Already Compose text: inserted as is, not escaped again.
    ['$(PRICE)', '$$5'],
    ['--token=$(SECRET)', '--token=${SECRET}'],
    // The kubelet's escape: $$ is a literal $, so $$(A) is the text "$(A)".
    ['$$(A)', '$$(A)'],
    ['$$$(A)', '$$alpha'],
    // Unknown variables and unterminated references stay as written.
    ['$(MISSING)', '$$(MISSING)'],
    ['$(A', '$$(A'],
    // A $ before anything else, or at the end, is literal.
    ['$A ${A} $', '$$A $${A} $$'],
    ['', ''],
  ])('%j becomes %j', (input, output) => {
    expect(expand(input)).toBe(output);
  });

  it('resolves only the names it is given', () => {
    const asked: string[] = [];
    expandForCompose('$(A) $(B) $$(C)', (name) => {
      asked.push(name);
      return undefined;
    });
    expect(asked).toEqual(['A', 'B']);
  });
});

describe('escapeCompose', () => {
  it('doubles every $', () => {
    expect(escapeCompose('a$b$$c${d}')).toBe('a$$b$$$$c$${d}');
  });
});

describe('hostVariableName', () => {
  it.each([
    ['API_TOKEN', 'API_TOKEN'],
    ['db.password', 'db_password'],
    ['-x', '_x'],
    ['my-key.v2', 'my_key_v2'],
  ])('%s becomes %s', (name, variable) => {
    expect(hostVariableName(name)).toBe(variable);
    expect(variable).toMatch(/^[_A-Za-z][_A-Za-z0-9]*$/);
  });
});
