import { Accelerator, assignHostPortOffsets, composeUnsupportedReason, HOST_PORT_OFFSET_STEP, placeHostPorts, publishedContainerPorts } from '../../../lib/core';
import { MINIMAL_PROPS, render } from '../../support/fixtures';

describe('host ports for running a stack under Compose', () => {
  test('published ports are the inference and metrics ports, never the management API', () => {
    expect(publishedContainerPorts(render(MINIMAL_PROPS.torchserve()))).toEqual([8080, 8082]);
  });

  test('each service takes the smallest step that clashes with nothing taken before it', () => {
    const services = [
      render(MINIMAL_PROPS.torchserve(), 'a'), // 8080, 8082
      render(MINIMAL_PROPS.custom(), 'b'), // 8080 → clashes, so 8180
      render(MINIMAL_PROPS.torchserve(), 'c'), // 8080/8082 and 8180 taken → 8280/8282
      render(MINIMAL_PROPS.tfserving(), 'd'), // 8501, 8500: free
    ];
    expect(assignHostPortOffsets(services)).toEqual({ a: 0, b: HOST_PORT_OFFSET_STEP, c: 2 * HOST_PORT_OFFSET_STEP, d: 0 });
  });

  test('MIG slices cannot run under Compose; whole GPUs and CPUs can', () => {
    expect(composeUnsupportedReason(render({ ...MINIMAL_PROPS.triton(), accelerator: Accelerator.nvidiaGpu({ migProfile: '2g.20gb' }) }))).toBe(
      'requests nvidia.com/mig-2g.20gb: Compose reserves whole GPUs only, not MIG slices',
    );
    expect(composeUnsupportedReason(render(MINIMAL_PROPS.vllm()))).toBeUndefined();
    expect(composeUnsupportedReason(render(MINIMAL_PROPS.custom()))).toBeUndefined();
  });
});

describe('more services than one host has ports for', () => {
  test('the ones that find no free ports are left unplaced instead of looping for ever', () => {
    const services = Array.from({ length: 700 }, (_, i) => render(MINIMAL_PROPS.custom(), `s${i}`)); // all on 8080
    const { offsets, unplaced } = placeHostPorts(services);
    // 8080 + k×100 ≤ 65535 for k = 0…574: 575 services fit, the rest do not.
    expect(Object.keys(offsets)).toHaveLength(575);
    expect(unplaced).toEqual(services.slice(575).map((s) => s.name));
    expect(Math.max(...Object.values(offsets)) + 8080).toBeLessThanOrEqual(65535);
  });
});
