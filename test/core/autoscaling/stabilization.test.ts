/** TestNormalizeDesiredReplicas and TestNormalizeDesiredReplicasWithBehavior of upstream `horizontal_test.go`. */
import { stabilizeRecommendation, stabilizeRecommendationWithBehaviors, type TimestampedRecommendation } from '../../../lib/core/autoscaling';

const MIN = 60;
/** `{recommendation, time.Now().Add(-age)}`. */
const rec = (recommendation: number, ageSeconds: number): TimestampedRecommendation => ({ recommendation, ageSeconds });

describe('TestNormalizeDesiredReplicas', () => {
  test.each([
    ['empty log', [], 5, 5, 1],
    ['stabilize', [rec(4, 2 * MIN), rec(5, 1 * MIN)], 3, 5, 3],
    ['no stabilize', [rec(1, 2 * MIN), rec(2, 1 * MIN)], 3, 3, 3],
    ['no stabilize - old recommendations', [rec(10, 10 * MIN), rec(9, 9 * MIN)], 3, 3, 2],
    ['stabilize - old recommendations', [rec(10, 10 * MIN), rec(4, 1 * MIN), rec(5, 2 * MIN), rec(9, 9 * MIN)], 3, 5, 4],
  ] as const)('%s', (_name, recommendations, desired, expectedStabilized, expectedLogLength) => {
    const r = stabilizeRecommendation(recommendations, desired, 5 * MIN);
    expect(r.replicas).toBe(expectedStabilized);
    expect(r.recommendations).toHaveLength(expectedLogLength);
    expect(r.recommendations).toContainEqual(rec(desired, 0));
  });

  test('the last stale sample is the one replaced', () => {
    const r = stabilizeRecommendation([rec(10, 10 * MIN), rec(4, MIN), rec(9, 9 * MIN)], 3, 5 * MIN);
    expect(r.recommendations).toEqual([rec(10, 10 * MIN), rec(4, MIN), rec(3, 0)]);
  });

  test('a recommendation exactly one window old still counts (not before the cutoff)', () => {
    expect(stabilizeRecommendation([rec(7, 300)], 3, 300).replicas).toBe(7);
    expect(stabilizeRecommendation([rec(7, 300.001)], 3, 300).replicas).toBe(3);
  });
});

interface BehaviorCase {
  readonly name: string;
  readonly recommendations: TimestampedRecommendation[];
  readonly currentReplicas: number;
  readonly prenormalizedDesiredReplicas: number;
  readonly expectedStabilizedReplicas: number;
  readonly expectedRecommendations?: number[];
  readonly up?: number;
  readonly down?: number;
}

const behaviorCases: BehaviorCase[] = [
  { name: 'empty recommendations for scaling down', recommendations: [], currentReplicas: 100, prenormalizedDesiredReplicas: 5, expectedStabilizedReplicas: 5, expectedRecommendations: [5] },
  { name: 'simple scale down stabilization', recommendations: [rec(4, 2 * MIN), rec(5, MIN)], currentReplicas: 100, prenormalizedDesiredReplicas: 3, expectedStabilizedReplicas: 5, expectedRecommendations: [4, 5, 3], down: 3 * MIN },
  { name: 'simple scale up stabilization', recommendations: [rec(4, 2 * MIN), rec(5, MIN)], currentReplicas: 1, prenormalizedDesiredReplicas: 7, expectedStabilizedReplicas: 4, expectedRecommendations: [4, 5, 7], up: 5 * MIN },
  { name: 'no scale down stabilization', recommendations: [rec(1, 2 * MIN), rec(2, MIN)], currentReplicas: 100, prenormalizedDesiredReplicas: 3, expectedStabilizedReplicas: 3, expectedRecommendations: [1, 2, 3], up: 5 * MIN },
  { name: 'no scale up stabilization', recommendations: [rec(4, 2 * MIN), rec(5, MIN)], currentReplicas: 1, prenormalizedDesiredReplicas: 3, expectedStabilizedReplicas: 3, expectedRecommendations: [4, 5, 3], down: 5 * MIN },
  { name: 'no scale down stabilization, reuse recommendation element', recommendations: [rec(10, 10 * MIN), rec(9, 9 * MIN)], currentReplicas: 100, prenormalizedDesiredReplicas: 3, expectedStabilizedReplicas: 3, expectedRecommendations: [10, 3] },
  { name: 'no scale up stabilization, reuse recommendation element', recommendations: [rec(10, 10 * MIN), rec(9, 9 * MIN)], currentReplicas: 1, prenormalizedDesiredReplicas: 100, expectedStabilizedReplicas: 100, expectedRecommendations: [10, 100] },
  { name: 'scale down stabilization, reuse one of obsolete recommendation element', recommendations: [rec(10, 10 * MIN), rec(4, MIN), rec(5, 2 * MIN), rec(9, 9 * MIN)], currentReplicas: 100, prenormalizedDesiredReplicas: 3, expectedStabilizedReplicas: 5, expectedRecommendations: [10, 4, 5, 3], down: 3 * MIN },
  { name: 'scale up stabilization, reuse one of obsolete recommendation element', recommendations: [rec(10, 100 * MIN), rec(6, MIN), rec(5, 2 * MIN), rec(9, 3 * MIN)], currentReplicas: 1, prenormalizedDesiredReplicas: 100, expectedStabilizedReplicas: 5, expectedRecommendations: [100, 6, 5, 9], up: 300 },
  { name: 'scale up and down stabilization, do not scale up when prenormalized rec goes down', recommendations: [rec(2, 100 * MIN), rec(3, 3 * MIN)], currentReplicas: 2, prenormalizedDesiredReplicas: 1, expectedStabilizedReplicas: 2, up: 300, down: 300 },
  { name: 'scale up and down stabilization, do not scale down when prenormalized rec goes up', recommendations: [rec(2, 100 * MIN), rec(1, 3 * MIN)], currentReplicas: 2, prenormalizedDesiredReplicas: 3, expectedStabilizedReplicas: 2, up: 300, down: 300 },
];

describe('TestNormalizeDesiredReplicasWithBehavior', () => {
  test.each(behaviorCases)('$name', (tc) => {
    const r = stabilizeRecommendationWithBehaviors(tc.recommendations, {
      currentReplicas: tc.currentReplicas,
      desiredReplicas: tc.prenormalizedDesiredReplicas,
      scaleUpWindowSeconds: tc.up ?? 0,
      scaleDownWindowSeconds: tc.down ?? 0,
    });
    expect(r.replicas).toBe(tc.expectedStabilizedReplicas);
    if (tc.expectedRecommendations) expect(r.recommendations.map((x) => x.recommendation)).toEqual(tc.expectedRecommendations);
    expect(r.reason).toBe(tc.prenormalizedDesiredReplicas >= tc.currentReplicas ? 'ScaleUpStabilized' : 'ScaleDownStabilized');
  });
});
