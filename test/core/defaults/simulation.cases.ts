/** The documented defaults of the simulation tools: the offline oracle (autoscaling/oracle.ts) and the SVG plot (autoscaling/plot.ts). */
import { oracleAutoscaling, renderSimulationSvg, simulateAutoscaling, type OracleOptions, type SimulationResult } from '../../../lib/core';
import { documented, type DefaultCases } from './cases';

const O = 'autoscaling/oracle.ts';
const P = 'autoscaling/plot.ts';

/** 10 requests/s per replica, mean ≤ 0.2 s: 4 requests/s need 1 replica. */
const oracleOptions: OracleOptions = { trace: [{ t: 0, rps: 0 }, { t: 30, rps: 4 }], capacity: { throughputPerReplica: 10 }, slo: { latencySeconds: 0.2 }, modelLoadTimeSeconds: 10 };
const simulated: SimulationResult = simulateAutoscaling({ ...oracleOptions, hpa: { minReplicas: 1, maxReplicas: 3 }, metrics: [{ type: 'Pods', signal: 'rps', targetAverageValue: 4 }] });
const svg = (options: Partial<Parameters<typeof renderSimulationSvg>[1]> = {}): string => renderSimulationSvg(simulated, { slo: oracleOptions.slo, ...options });

export const SIMULATION_DEFAULTS: DefaultCases = {
  [`${O}:OracleOptions.durationSeconds`]: documented('- as `simulateAutoscaling`: to the last point plus one sync period (15 s)', () => {
    expect(oracleAutoscaling(oracleOptions).durationSeconds).toBe(45);
    expect(oracleAutoscaling(oracleOptions).durationSeconds).toBe(simulated.durationSeconds);
  }),
  [`${O}:OracleOptions.minReplicas`]: documented('0 - no floor: the pure lower bound', () => {
    // Nothing for the idle 30 s, one load (10 s) ahead of need, 15 s serving.
    expect(oracleAutoscaling(oracleOptions).needed).toEqual([{ t: 0, replicas: 0 }, { t: 30, replicas: 1 }]);
    expect(oracleAutoscaling(oracleOptions).replicaSeconds).toBe(25);
  }),
  [`${P}:SimulationPlotOptions.title`]: documented('"Autoscaling simulation"', () => {
    expect(svg()).toContain('<title>Autoscaling simulation</title>');
  }),
  [`${P}:SimulationPlotOptions.width`]: documented('960', () => {
    expect(svg()).toContain('viewBox="0 0 960 600" width="960"');
  }),
  [`${P}:SimulationPlotOptions.height`]: documented('600', () => {
    expect(svg({ width: 800 })).toContain('viewBox="0 0 800 600" width="800" height="600"');
  }),
  [`${P}:SimulationPlotOptions.oracle`]: documented('- not drawn', () => {
    expect(svg()).not.toContain('data-series="oracle"');
    expect(svg({ oracle: oracleAutoscaling(oracleOptions).needed })).toContain('data-series="oracle"');
  }),
};
