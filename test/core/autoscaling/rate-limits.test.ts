/**
 * Behaviour and limit tables of upstream `horizontal_test.go` (kubernetes/kubernetes
 * pkg/controller/podautoscaler): TestConvertDesiredReplicasWithRules, TestScalingWithRules,
 * TestCalculateScaleUp/DownLimit..., TestStoreScaleEvents.
 */
import fc from 'fast-check';
import {
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimit,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  generateScaleDownRules,
  generateScaleUpRules,
  getReplicasChangePerPeriod,
  storeScaleEvent,
  type ScaleEvent,
  type ScalingLimitedReason,
  type ScalingRules,
} from '../../../lib/core/autoscaling';
import { generateEventsUniformDistribution as events, generateScalingRules as rules } from './fixtures';

describe('TestConvertDesiredReplicasWithRules', () => {
  // Upstream's test package sets scaleUpLimitFactor = 8 in init(); its last case expects
  // calculateScaleUpLimit(3) under that factor. Here the production factor 2 applies: max(2*3, 4) = 6.
  test.each([
    [5, 7, 3, 8, 7, 'DesiredWithinRange', 'prenormalized desired replicas within range'],
    [3, 1, 2, 8, 2, 'TooFewReplicas', 'prenormalized desired replicas < minReplicas'],
    [1, 0, 0, 10, 0, 'DesiredWithinRange', 'prenormalized desired zeroed replicas within range'],
    [20, 1000, 1, 10, 10, 'TooManyReplicas', 'maxReplicas is the limit because maxReplicas < scaleUpLimit'],
    [3, 1000, 1, 2000, 6, 'ScaleUpLimit', 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas'],
  ] as [number, number, number, number, number, ScalingLimitedReason, string][])('current %p desired %p min %p max %p -> %p %p (%s)', (current, desired, min, max, replicas, reason, _annotation) => {
    expect(convertDesiredReplicasWithRules(current, desired, min, max)).toEqual({ replicas, reason });
  });

  test('calculateScaleUpLimit is max(2 * current, 4)', () => {
    expect([0, 1, 2, 3, 10].map(calculateScaleUpLimit)).toEqual([4, 4, 4, 6, 20]);
  });

  test('property: the result stays within [min, min(max, max(2*current, 4))] unless min is above that', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 1000 }), (current, desired, min, extra) => {
        const max = min + extra;
        const { replicas, reason } = convertDesiredReplicasWithRules(current, desired, min, max);
        const cap = Math.min(max, Math.max(2 * current, 4));
        if (desired < min) return replicas === min && reason === 'TooFewReplicas';
        if (desired > cap) return replicas === cap && (reason === 'ScaleUpLimit' || reason === 'TooManyReplicas');
        return replicas === desired && reason === 'DesiredWithinRange';
      }),
    );
  });
});

test('TestCalculateScaleUpLimitWithScalingRules', () => {
  const minPolicy: ScalingRules = { ...rules(2, 60, 50, 60, 300), selectPolicy: 'Min' };
  expect(calculateScaleUpLimitWithScalingRules(1, [], [], minPolicy)).toBe(2);
});

test('TestCalculateScaleDownLimitWithBehaviors', () => {
  const minPolicy: ScalingRules = { ...rules(2, 60, 50, 60, 300), selectPolicy: 'Min' };
  expect(calculateScaleDownLimitWithBehaviors(5, [], [], minPolicy)).toBe(3);
});

interface RulesCase {
  readonly name: string;
  readonly scaleUpEvents?: ScaleEvent[];
  readonly scaleDownEvents?: ScaleEvent[];
  readonly specMinReplicas: number;
  readonly specMaxReplicas: number;
  readonly scaleUpRules?: ScalingRules;
  readonly scaleDownRules?: ScalingRules;
  readonly currentReplicas: number;
  readonly prenormalizedDesiredReplicas: number;
  readonly expectedReplicas: number;
  readonly expectedCondition: ScalingLimitedReason;
}

// TestScalingWithRules. (Upstream marks one case testThis and returns early; its expectation holds here.)
const scalingWithRules: RulesCase[] = [
  { name: 'prenormalized desired replicas within range', currentReplicas: 5, prenormalizedDesiredReplicas: 7, specMinReplicas: 3, specMaxReplicas: 8, expectedReplicas: 7, expectedCondition: 'DesiredWithinRange' },
  { name: 'prenormalized desired replicas < minReplicas', currentReplicas: 3, prenormalizedDesiredReplicas: 1, specMinReplicas: 2, specMaxReplicas: 8, expectedReplicas: 2, expectedCondition: 'TooFewReplicas' },
  { name: 'prenormalized desired replicas within range when minReplicas is 0', currentReplicas: 1, prenormalizedDesiredReplicas: 0, specMinReplicas: 0, specMaxReplicas: 10, expectedReplicas: 0, expectedCondition: 'DesiredWithinRange' },
  { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit', currentReplicas: 20, prenormalizedDesiredReplicas: 1000, specMinReplicas: 1, specMaxReplicas: 10, expectedReplicas: 10, expectedCondition: 'TooManyReplicas' },
  { name: 'desired replica count is more than the maximum replica count', currentReplicas: 100, prenormalizedDesiredReplicas: 1000, specMinReplicas: 100, specMaxReplicas: 150, expectedReplicas: 150, expectedCondition: 'TooManyReplicas' },
  { name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies', currentReplicas: 3, prenormalizedDesiredReplicas: 1000, specMinReplicas: 1, specMaxReplicas: 2000, expectedReplicas: 4, expectedCondition: 'ScaleUpLimit', scaleUpRules: rules(0, 0, 1, 60, 0) },
  { name: 'scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies', currentReplicas: 1000, prenormalizedDesiredReplicas: 3, specMinReplicas: 3, specMaxReplicas: 2000, scaleDownRules: rules(20, 60, 0, 0, 0), expectedReplicas: 980, expectedCondition: 'ScaleDownLimit' },
  { name: 'scaleUp with default behavior', specMinReplicas: 1, specMaxReplicas: 1000, currentReplicas: 10, prenormalizedDesiredReplicas: 50, expectedReplicas: 20, expectedCondition: 'ScaleUpLimit' },
  { name: 'scaleUp with pods policy larger than percent policy', specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(100, 60, 100, 60, 0), currentReplicas: 10, prenormalizedDesiredReplicas: 500, expectedReplicas: 110, expectedCondition: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy larger than pods policy', specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(2, 60, 100, 60, 0), currentReplicas: 10, prenormalizedDesiredReplicas: 500, expectedReplicas: 20, expectedCondition: 'ScaleUpLimit' },
  { name: 'scaleUp with spec MaxReplicas limitation with large pod policy', specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(100, 60, 0, 0, 0), currentReplicas: 10, prenormalizedDesiredReplicas: 50, expectedReplicas: 50, expectedCondition: 'DesiredWithinRange' },
  { name: 'scaleUp with spec MaxReplicas limitation with large percent policy', specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(10000, 60, 0, 0, 0), currentReplicas: 10, prenormalizedDesiredReplicas: 50, expectedReplicas: 50, expectedCondition: 'DesiredWithinRange' },
  { name: 'scaleUp with pod policy limitation', specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(30, 60, 0, 0, 0), currentReplicas: 10, prenormalizedDesiredReplicas: 50, expectedReplicas: 40, expectedCondition: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy limitation', specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(0, 0, 200, 60, 0), currentReplicas: 10, prenormalizedDesiredReplicas: 50, expectedReplicas: 30, expectedCondition: 'ScaleUpLimit' },
  { name: 'scaleDown with percent policy larger than pod policy', specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(20, 60, 1, 60, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 2, expectedReplicas: 80, expectedCondition: 'ScaleDownLimit' },
  { name: 'scaleDown with pod policy larger than percent policy', specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(2, 60, 1, 60, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 2, expectedReplicas: 98, expectedCondition: 'ScaleDownLimit' },
  { name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy', specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(100, 60, 0, 0, 300), currentReplicas: 10, prenormalizedDesiredReplicas: 0, expectedReplicas: 1, expectedCondition: 'TooFewReplicas' },
  { name: 'scaleDown with spec MinReplicas limitation with large pod policy', specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(100, 60, 0, 0, 300), currentReplicas: 10, prenormalizedDesiredReplicas: 0, expectedReplicas: 1, expectedCondition: 'TooFewReplicas' },
  { name: 'scaleDown with spec MinReplicas limitation with large percent policy', specMinReplicas: 5, specMaxReplicas: 1000, scaleDownRules: rules(0, 0, 100, 60, 300), currentReplicas: 10, prenormalizedDesiredReplicas: 2, expectedReplicas: 5, expectedCondition: 'TooFewReplicas' },
  { name: 'scaleDown with pod policy limitation', specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(5, 60, 0, 0, 300), currentReplicas: 10, prenormalizedDesiredReplicas: 2, expectedReplicas: 5, expectedCondition: 'ScaleDownLimit' },
  { name: 'scaleDown with percent policy limitation', specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(0, 0, 50, 60, 300), currentReplicas: 10, prenormalizedDesiredReplicas: 5, expectedReplicas: 5, expectedCondition: 'DesiredWithinRange' },
  { name: 'scaleUp with spec MaxReplicas limitation with large pod policy and events', scaleUpEvents: events([1, 5, 9], 120), specMinReplicas: 1, specMaxReplicas: 200, scaleUpRules: rules(300, 60, 0, 0, 0), currentReplicas: 100, prenormalizedDesiredReplicas: 500, expectedReplicas: 200, expectedCondition: 'TooManyReplicas' },
  { name: 'scaleUp with spec MaxReplicas limitation with large percent policy and events', scaleUpEvents: events([1, 5, 9], 120), specMinReplicas: 1, specMaxReplicas: 200, scaleUpRules: rules(0, 0, 10000, 60, 0), currentReplicas: 100, prenormalizedDesiredReplicas: 500, expectedReplicas: 200, expectedCondition: 'TooManyReplicas' },
  { name: 'scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events', scaleUpEvents: events([1, 5, 9], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(5, 120, 0, 0, 0), currentReplicas: 100, prenormalizedDesiredReplicas: 500, expectedReplicas: 100, expectedCondition: 'ScaleUpLimit' },
  { name: 'scaleUp with pod policy and previous scale up events', scaleUpEvents: events([1, 5, 9], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(150, 120, 0, 0, 0), currentReplicas: 100, prenormalizedDesiredReplicas: 500, expectedReplicas: 235, expectedCondition: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy and previous scale up events', scaleUpEvents: events([1, 5, 9], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(0, 0, 200, 120, 0), currentReplicas: 100, prenormalizedDesiredReplicas: 500, expectedReplicas: 255, expectedCondition: 'ScaleUpLimit' },
  { name: 'scaleUp with percent policy and previous scale up and down events', scaleUpEvents: events([4], 120), scaleDownEvents: events([2], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(0, 0, 300, 300, 0), currentReplicas: 6, prenormalizedDesiredReplicas: 24, expectedReplicas: 16, expectedCondition: 'ScaleUpLimit' },
  { name: 'scaleDown with default policy and previous events', scaleDownEvents: events([1, 5, 9], 120), specMinReplicas: 1, specMaxReplicas: 1000, currentReplicas: 10, prenormalizedDesiredReplicas: 5, expectedReplicas: 5, expectedCondition: 'DesiredWithinRange' },
  { name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events', scaleDownEvents: events([1, 5, 9], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(115, 120, 0, 0, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 0, expectedReplicas: 1, expectedCondition: 'TooFewReplicas' },
  { name: 'scaleDown with spec MinReplicas limitation with large pod policy and previous events', scaleDownEvents: events([1, 5, 9], 120), specMinReplicas: 5, specMaxReplicas: 1000, scaleDownRules: rules(130, 120, 0, 0, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 0, expectedReplicas: 5, expectedCondition: 'TooFewReplicas' },
  { name: 'scaleDown with spec MinReplicas limitation with large percent policy and previous events', scaleDownEvents: events([1, 5, 9], 120), specMinReplicas: 5, specMaxReplicas: 1000, scaleDownRules: rules(0, 0, 100, 120, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 2, expectedReplicas: 5, expectedCondition: 'TooFewReplicas' },
  { name: 'scaleDown with pod policy limitation and previous events', scaleDownEvents: events([1, 5, 9], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(5, 120, 0, 0, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 2, expectedReplicas: 100, expectedCondition: 'ScaleDownLimit' },
  { name: 'scaleDown with percent policy limitation and previous events', scaleDownEvents: events([2, 4, 6], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(0, 0, 50, 120, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 0, expectedReplicas: 56, expectedCondition: 'ScaleDownLimit' },
  { name: 'scaleDown with percent policy and previous scale up and down events', scaleUpEvents: events([2], 120), scaleDownEvents: events([4], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(0, 0, 50, 180, 0), currentReplicas: 10, prenormalizedDesiredReplicas: 1, expectedReplicas: 6, expectedCondition: 'ScaleDownLimit' },
  { name: 'scaleDown with previous events preventing further scale down', scaleDownEvents: events([10, 10, 10], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(0, 0, 10, 120, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 0, expectedReplicas: 100, expectedCondition: 'ScaleDownLimit' },
  { name: 'scaleDown with with previous events still allowing more scale down', scaleDownEvents: events([10, 10, 10], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(0, 0, 1000, 120, 300), currentReplicas: 10, prenormalizedDesiredReplicas: 5, expectedReplicas: 5, expectedCondition: 'DesiredWithinRange' },
  { name: "check 'outdated' flag for events for one behavior for up", scaleUpEvents: events([8, 12, 9, 11], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(1000, 60, 0, 0, 0), currentReplicas: 100, prenormalizedDesiredReplicas: 200, expectedReplicas: 200, expectedCondition: 'DesiredWithinRange' },
  { name: "check that events were not marked 'outdated' for two different policies in the behavior for up", scaleUpEvents: events([8, 12, 9, 11], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(1000, 120, 100, 60, 0), currentReplicas: 100, prenormalizedDesiredReplicas: 200, expectedReplicas: 200, expectedCondition: 'DesiredWithinRange' },
  { name: "check that events were marked 'outdated' for two different policies in the behavior for up", scaleUpEvents: events([8, 12, 9, 11], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleUpRules: rules(1000, 30, 100, 60, 0), currentReplicas: 100, prenormalizedDesiredReplicas: 200, expectedReplicas: 200, expectedCondition: 'DesiredWithinRange' },
  { name: "check 'outdated' flag for events for one behavior for down", scaleDownEvents: events([8, 12, 9, 11], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(1000, 60, 0, 0, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 5, expectedReplicas: 5, expectedCondition: 'DesiredWithinRange' },
  { name: "check that events were not marked 'outdated' for two different policies in the behavior for down", scaleDownEvents: events([8, 12, 9, 11], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(1000, 120, 100, 60, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 5, expectedReplicas: 5, expectedCondition: 'DesiredWithinRange' },
  { name: "check that events were marked 'outdated' for two different policies in the behavior for down", scaleDownEvents: events([8, 12, 9, 11], 120), specMinReplicas: 1, specMaxReplicas: 1000, scaleDownRules: rules(1000, 30, 100, 60, 300), currentReplicas: 100, prenormalizedDesiredReplicas: 5, expectedReplicas: 5, expectedCondition: 'DesiredWithinRange' },
];

describe('TestScalingWithRules', () => {
  test.each(scalingWithRules)('$name', (tc) => {
    const result = convertDesiredReplicasWithBehaviorRate({
      currentReplicas: tc.currentReplicas,
      desiredReplicas: tc.prenormalizedDesiredReplicas,
      minReplicas: tc.specMinReplicas,
      maxReplicas: tc.specMaxReplicas,
      scaleUp: generateScaleUpRules(tc.scaleUpRules),
      scaleDown: generateScaleDownRules(tc.scaleDownRules),
      scaleUpEvents: tc.scaleUpEvents ?? [],
      scaleDownEvents: tc.scaleDownEvents ?? [],
    });
    expect(result).toEqual({ replicas: tc.expectedReplicas, reason: tc.expectedCondition });
  });

  test.each([
    ['Max', 20],
    ['Min', 14],
    ['Disabled', 10],
  ] as const)('selectPolicy %s with the default scale-up policies (4 pods or 100 %% per 15 s) from 10 allows %p', (selectPolicy, replicas) => {
    const scaleUp = generateScaleUpRules({ selectPolicy });
    expect(
      convertDesiredReplicasWithBehaviorRate({
        currentReplicas: 10,
        desiredReplicas: 50,
        minReplicas: 1,
        maxReplicas: 1000,
        scaleUp,
        scaleDown: generateScaleDownRules(),
        scaleUpEvents: [],
        scaleDownEvents: [],
      }).replicas,
    ).toBe(replicas);
  });

  test('an event exactly periodSeconds old no longer counts (strictly after now - period)', () => {
    const e = (ageSeconds: number): ScaleEvent => ({ replicaChange: 3, ageSeconds, outdated: false });
    expect(getReplicasChangePerPeriod(60, [e(59.999), e(60), e(61)])).toBe(3);
  });
});

interface StoreCase {
  readonly name: string;
  readonly replicaChange: number;
  readonly prevScaleEvents: readonly [number, number][];
  readonly newScaleEvents: readonly [number, boolean][];
  readonly scalingRules?: ScalingRules;
  readonly expectedReplicasChange: number;
}

// TestStoreScaleEvents: [replicaChange, ageSeconds] before, [replicaChange, outdated] after.
const storeCases: StoreCase[] = [
  { name: 'empty entries with default behavior', replicaChange: 5, prevScaleEvents: [], newScaleEvents: [], expectedReplicasChange: 0 },
  { name: 'empty entries with two-policy-behavior', replicaChange: 5, prevScaleEvents: [], newScaleEvents: [[5, false]], scalingRules: rules(10, 60, 100, 60, 0), expectedReplicasChange: 0 },
  { name: 'one outdated entry to be kept untouched without behavior', replicaChange: 5, prevScaleEvents: [[7, 61]], newScaleEvents: [[7, false]], expectedReplicasChange: 0 },
  { name: 'one outdated entry to be replaced with behavior', replicaChange: 5, prevScaleEvents: [[7, 61]], newScaleEvents: [[5, false]], scalingRules: rules(10, 60, 100, 60, 0), expectedReplicasChange: 0 },
  { name: 'one actual entry to be not touched with behavior', replicaChange: 5, prevScaleEvents: [[7, 58]], newScaleEvents: [[7, false], [5, false]], scalingRules: rules(10, 60, 100, 60, 0), expectedReplicasChange: 7 },
  { name: 'two entries, one of them to be replaced', replicaChange: 5, prevScaleEvents: [[7, 61], [6, 59]], newScaleEvents: [[5, false], [6, false]], scalingRules: rules(10, 60, 0, 0, 0), expectedReplicasChange: 6 },
  { name: 'replace one entry, use policies with different periods', replicaChange: 5, prevScaleEvents: [[8, 29], [6, 59], [7, 61], [9, 61]], newScaleEvents: [[8, false], [6, false], [7, true], [5, false]], scalingRules: rules(10, 60, 100, 30, 0), expectedReplicasChange: 14 },
  { name: 'two entries, both actual', replicaChange: 5, prevScaleEvents: [[7, 58], [6, 59]], newScaleEvents: [[7, false], [6, false], [5, false]], scalingRules: rules(10, 120, 100, 30, 0), expectedReplicasChange: 13 },
];

describe('TestStoreScaleEvents', () => {
  test.each(storeCases)('$name', (tc) => {
    const prev = tc.prevScaleEvents.map(([replicaChange, ageSeconds]): ScaleEvent => ({ replicaChange, ageSeconds, outdated: false }));
    const strip = (es: readonly ScaleEvent[]): [number, boolean][] => es.map((e) => [e.replicaChange, e.outdated]);
    expect(getReplicasChangePerPeriod(60, prev)).toBe(tc.expectedReplicasChange);
    const up = storeScaleEvent(tc.scalingRules && { scaleUp: tc.scalingRules }, { scaleUpEvents: prev, scaleDownEvents: [] }, 10, 10 + tc.replicaChange);
    expect(strip(up.scaleUpEvents)).toEqual(tc.newScaleEvents);
    expect(up.scaleDownEvents).toEqual([]);
    const down = storeScaleEvent(tc.scalingRules && { scaleDown: tc.scalingRules }, { scaleUpEvents: [], scaleDownEvents: prev }, 10, 10 - tc.replicaChange);
    expect(strip(down.scaleDownEvents)).toEqual(tc.newScaleEvents);
  });
});

describe('generateScaleUpRules / generateScaleDownRules (defaults.go)', () => {
  test('defaults: up 0 s window, Max of 4 pods or 100 % per 15 s; down Max of 100 % per 15 s, window unset', () => {
    expect(generateScaleUpRules()).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    });
    expect(generateScaleDownRules()).toEqual({ selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });
  test('given fields override field by field; given policies replace the list', () => {
    const r = generateScaleDownRules({ stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] });
    expect(r).toEqual({ stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] });
    expect(generateScaleUpRules({ selectPolicy: 'Disabled' }).policies).toHaveLength(2);
  });
});

describe('rounding of Percent policies', () => {
  const fifty: ScalingRules = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] };
  test('scale down truncates: 5 × (1 − 50 %) = 2.5 -> 2', () => {
    expect(calculateScaleDownLimitWithBehaviors(5, [], [], fifty)).toBe(2);
  });
  test('scale up rounds up: 5 × (1 + 50 %) = 7.5 -> 8', () => {
    expect(calculateScaleUpLimitWithScalingRules(5, [], [], fifty)).toBe(8);
  });
});
