import { checkPromQL, isPromDuration } from './promql-check';

describe('checkPromQL', () => {
  test.each([
    ['sum(rate(ts_inference_requests_total{namespace="a",service="b"}[5m]))', ['ts_inference_requests_total']],
    ['histogram_quantile(0.99, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{pod=~"x-[a-z0-9]+"}[5m]))) > 0.15', ['vllm:e2e_request_latency_seconds_bucket']],
    ['a{x="1"} == 0 and on(x, y) b > 0', ['a', 'b']],
    ['deriv(sum(sum by (pod) (rate(q[5m])) / 1000000)[10m:1m]) > 0', ['q']],
    ['increase(r[1h]) > 3', ['r']],
    ['vector(0.5)', []],
    ['sum(rate(m[$__rate_interval]))', ['m']],
    // A filter on readiness throughout the window, and the many-to-one join of the same.
    ['sum(rate(r{a="1"}[5m]) and on(namespace, pod) (min_over_time(k{condition="true"}[5m]) == 1))', ['k', 'r']],
    ['sum(rate(r[5m]) * on(namespace, pod) group_left() (min_over_time(k[5m]) == 1))', ['k', 'r']],
    ['a * ignoring(x) group_right(y, z) b', ['a', 'b']],
    ['a / on(x) group_left b', ['a', 'b']],
    ['a > bool on(x) b', ['a', 'b']],
  ])('accepts %s', (expr, metrics) => {
    expect(checkPromQL(expr, ['$__rate_interval']).metrics).toEqual(metrics);
  });

  test.each([
    ['sum(rate(m[5m])', /expected "\)"/],
    ['rate(m)', /rate argument 1 must be a matrix, got a vector/],
    ['sum(m[5m])', /an aggregation needs an instant vector/],
    ['(a + b)[5m]', /a range needs a vector selector/],
    ['m{a="1"', /expected "}"/],
    ['m{a=1}', /expected a quoted label value/],
    ['m{a=~"("}', /invalid regex/],
    ['frobnicate(m)', /unknown function frobnicate/],
    ['1 > 2', /needs bool/],
    ['m and 1', /needs instant vectors on both sides/],
    ['m{"a"="b"}', /expected a label name/],
    ['a and on(x) group_left() b', /no grouping allowed for and/],
    ['a unless ignoring(x) group_right b', /no grouping allowed for unless/],
    ['a * on(x) 2', /vector matching \(on\/ignoring\) needs instant vectors on both sides/],
    ['1 + on(x) group_left() b', /vector matching/],
    ['a * on(x, y) group_left(y) b', /label y must not be in both/],
    ['a * on(x) group_left(', /expected a label name/],
    ['min_over_time(k)', /min_over_time argument 1 must be a matrix, got a vector/],
    ['', /empty expression/],
  ])('rejects %s', (expr, message) => {
    expect(() => checkPromQL(expr)).toThrow(message);
  });

  test('durations', () => {
    expect(['30s', '1m30s', '13m', '1h'].every(isPromDuration)).toBe(true);
    expect(['30', '1.5m', 'm', ''].some(isPromDuration)).toBe(false);
  });
});

test('selectors carry their matchers', () => {
  expect(checkPromQL('a{x="1",y=~"b.*"} / b').selectors).toEqual([
    { metric: 'a', matchers: { x: '=1', y: '=~b.*' } },
    { metric: 'b', matchers: {} },
  ]);
  expect(() => checkPromQL('a{x="1",x="2"}')).toThrow(/label x matched twice/);
});
