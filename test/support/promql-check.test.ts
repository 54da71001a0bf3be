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
