/** TestGroupPods of upstream `replica_calculator_test.go`: one case per upstream sub-test. */
import { groupPods, type PodGroups, type PodSample } from '../../../lib/core/autoscaling';
import { TEST_TIMING } from './fixtures';

interface GroupCase {
  readonly name: string;
  readonly pods: readonly PodSample[];
  readonly resource: string;
  readonly expected: PodGroups;
}

const none = { unready: [], missing: [], ignored: [] };

// Upstream builds pods with time.Now()-relative times; here they are ages in seconds. A pod without
// `usage` has no entry in the upstream metrics map.
const cases: GroupCase[] = [
  { name: 'void', pods: [], resource: 'cpu', expected: { readyPodCount: 0, ...none } },
  {
    name: 'count in a ready pod - memory',
    pods: [{ phase: 'Succeeded', ready: null, startAgeSeconds: null, usage: 1, sampleAgeSeconds: 0, metricWindowSeconds: 60 }],
    resource: 'memory',
    expected: { readyPodCount: 1, ...none },
  },
  {
    name: 'unready a pod without ready condition - CPU',
    pods: [{ phase: 'Succeeded', ready: null, startAgeSeconds: 0, usage: 1 }],
    resource: 'cpu',
    expected: { readyPodCount: 0, ...none, unready: [0] },
  },
  {
    name: 'count in a ready pod with fresh metrics during initialization period - CPU',
    pods: [{ phase: 'Succeeded', ready: true, startAgeSeconds: 60, readyTransitionAgeSeconds: 30, usage: 1, sampleAgeSeconds: 0, metricWindowSeconds: 30 }],
    resource: 'cpu',
    expected: { readyPodCount: 1, ...none },
  },
  {
    name: 'unready a ready pod without fresh metrics during initialization period - CPU',
    pods: [{ phase: 'Succeeded', ready: true, startAgeSeconds: 60, readyTransitionAgeSeconds: 30, usage: 1, sampleAgeSeconds: 0, metricWindowSeconds: 60 }],
    resource: 'cpu',
    expected: { readyPodCount: 0, ...none, unready: [0] },
  },
  {
    name: 'unready an unready pod during initialization period - CPU',
    pods: [{ phase: 'Succeeded', ready: false, startAgeSeconds: 600, readyTransitionAgeSeconds: 594, usage: 1 }],
    resource: 'cpu',
    expected: { readyPodCount: 0, ...none, unready: [0] },
  },
  {
    name: 'count in a ready pod without fresh metrics after initialization period - CPU',
    pods: [{ phase: 'Succeeded', ready: true, startAgeSeconds: 180, readyTransitionAgeSeconds: 180, usage: 1, sampleAgeSeconds: 120, metricWindowSeconds: 60 }],
    resource: 'cpu',
    expected: { readyPodCount: 1, ...none },
  },
  {
    name: 'count in an unready pod that was ready after initialization period - CPU',
    pods: [{ phase: 'Succeeded', ready: false, startAgeSeconds: 600, readyTransitionAgeSeconds: 540, usage: 1 }],
    resource: 'cpu',
    expected: { readyPodCount: 1, ...none },
  },
  {
    name: 'unready pod that has never been ready after initialization period - CPU',
    pods: [{ phase: 'Succeeded', ready: false, startAgeSeconds: 600, readyTransitionAgeSeconds: 590, usage: 1 }],
    resource: 'cpu',
    expected: { readyPodCount: 1, ...none },
  },
  {
    name: 'a missing pod',
    pods: [{ phase: 'Succeeded', ready: null, startAgeSeconds: 180 }],
    resource: 'cpu',
    expected: { readyPodCount: 0, ...none, missing: [0] },
  },
  {
    name: 'several pods',
    pods: [
      { name: 'lucretius', phase: 'Succeeded', ready: null, startAgeSeconds: 0, usage: 1 },
      { name: 'niccolo', phase: 'Succeeded', ready: true, startAgeSeconds: 180, readyTransitionAgeSeconds: 180, usage: 1 },
      { name: 'epicurus', phase: 'Succeeded', ready: null, startAgeSeconds: 180 },
    ],
    resource: 'cpu',
    expected: { readyPodCount: 1, unready: [0], missing: [2], ignored: [] },
  },
  { name: 'pending pods are unreadied', pods: [{ phase: 'Pending', ready: null, startAgeSeconds: null }], resource: 'cpu', expected: { readyPodCount: 0, ...none, unready: [0] } },
  { name: 'ignore pods with deletion timestamps', pods: [{ phase: 'Pending', deleting: true, ready: null, usage: 1 }], resource: 'cpu', expected: { readyPodCount: 0, ...none, ignored: [0] } },
  { name: 'ignore pods in a failed state', pods: [{ phase: 'Failed', ready: null, usage: 1 }], resource: 'cpu', expected: { readyPodCount: 0, ...none, ignored: [0] } },
];

describe('TestGroupPods', () => {
  test.each(cases)('$name', ({ pods, resource, expected }) => {
    expect(groupPods(pods, resource, TEST_TIMING)).toEqual(expected);
  });
});

describe('readiness rules apply to cpu only', () => {
  const notReady: PodSample = { ready: false, startAgeSeconds: 600, readyTransitionAgeSeconds: 600, usage: 1 };
  test.each([
    ['cpu', 0],
    ['memory', 1],
    ['', 1],
  ])('a Running, never-ready pod for %p counts %p ready', (resource, ready) => {
    expect(groupPods([notReady], resource, TEST_TIMING).readyPodCount).toBe(ready);
  });
  test('the controller defaults (5 min initialization, 30 s delay) are used without timing', () => {
    // Started 200 s ago, Ready since 10 s, sample fresh: inside the 300 s default period, the
    // sample is less than a window after the transition -> unready; with the test timing (120 s) -> ready.
    const pod: PodSample = { ready: true, startAgeSeconds: 200, readyTransitionAgeSeconds: 10, usage: 1, metricWindowSeconds: 60 };
    expect(groupPods([pod], 'cpu').unready).toEqual([0]);
    expect(groupPods([pod], 'cpu', TEST_TIMING).readyPodCount).toBe(1);
  });
});
