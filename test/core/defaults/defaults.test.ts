/**
 * Every `@default` in lib/core is contract: each has a case here asserting the rendered output
 * shows exactly that default, and the guard below fails when a default is documented (or its
 * text changed) without a matching case.
 */
import { ARTIFACT_AND_ACCELERATOR_DEFAULTS } from './artifact-and-accelerator.cases';
import { AUTOSCALER_DEFAULTS } from './autoscaler.cases';
import { BUILD_DEFAULTS } from './build.cases';
import { CAPACITY_DEFAULTS } from './capacity.cases';
import { CLUSTER_DEFAULTS } from './cluster.cases';
import { COMPOSE_DEFAULTS } from './compose.cases';
import type { DefaultCases } from './cases';
import { CORE_DIR, scanDocumentedDefaults } from './documented-defaults';
import { MONITORING_DEFAULTS } from './monitoring.cases';
import { RUNTIME_DEFAULTS } from './runtime.cases';
import { SERVICE_DEFAULTS } from './service.cases';
import { SIMULATION_DEFAULTS } from './simulation.cases';
import * as fs from 'fs';
import * as path from 'path';

const TABLES: Record<string, DefaultCases> = { service: SERVICE_DEFAULTS, runtime: RUNTIME_DEFAULTS, 'artifact and accelerator': ARTIFACT_AND_ACCELERATOR_DEFAULTS, 'image build': BUILD_DEFAULTS, compose: COMPOSE_DEFAULTS, autoscaler: AUTOSCALER_DEFAULTS, monitoring: MONITORING_DEFAULTS, 'autoscaling simulation': SIMULATION_DEFAULTS, capacity: CAPACITY_DEFAULTS, cluster: CLUSTER_DEFAULTS };
const ALL: DefaultCases = Object.assign({}, ...Object.values(TABLES));

describe.each(Object.entries(TABLES))('%s defaults', (_table, cases) => {
  test.each(Object.entries(cases))('%s', (_key, c) => {
    expect.hasAssertions();
    c.check();
  });
});

describe('guard: every @default in lib/core has a case', () => {
  const documented = scanDocumentedDefaults();

  test('the scanner attributes every @default tag in lib/core', () => {
    const count = (dir: string): number =>
      fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return n + count(full);
        return e.name.endsWith('.ts') ? n + (fs.readFileSync(full, 'utf8').match(/@default\b/g) ?? []).length : n;
      }, 0);
    expect(documented).toHaveLength(count(CORE_DIR));
    expect(new Set(documented.map((d) => d.key)).size).toBe(documented.length);
  });

  test('the cases cover exactly the documented defaults, with the documented text', () => {
    const actual = Object.fromEntries(documented.map((d) => [d.key, d.text]));
    const tested = Object.fromEntries(Object.entries(ALL).map(([key, c]) => [key, c.documented]));
    // A difference names the key: a new default needs a case, a changed one an updated case.
    expect(tested).toEqual(actual);
  });

  test('no table repeats another\'s key', () => {
    const keys = Object.values(TABLES).flatMap((t) => Object.keys(t));
    expect(keys.length).toBe(new Set(keys).size);
  });
});
