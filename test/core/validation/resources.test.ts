import { Accelerator, MIG_PROFILES } from '../../../lib/core';
import { MINIMAL_PROPS } from '../../support/fixtures';
import { expectAccepted, expectProblems } from '../../support/problems';

const base = MINIMAL_PROPS.torchserve;
const CPU = 'expected a CPU quantity such as "500m" or "2", greater than zero';
const MEMORY = 'expected a memory quantity such as "512Mi" or "4Gi", greater than zero';

describe('quantities', () => {
  test.each([['2 cores'], ['two'], ['-1'], ['0'], ['0m'], ['1.5.1'], ['']])('cpu %j', (cpu) => {
    expectProblems({ ...base(), resources: { cpu } }, [['resources.cpu', JSON.stringify(cpu), CPU]]);
  });

  test.each([['4GB'], ['4 Gi'], ['4gi'], ['-4Gi'], ['0Gi'], ['Gi']])('memory %j', (memory) => {
    expectProblems({ ...base(), resources: { memory } }, [['resources.memory', JSON.stringify(memory), MEMORY]]);
  });

  test('malformed limits', () => {
    expectProblems({ ...base(), resources: { cpu: '1', cpuLimit: '2 cores', memory: '2Gi', memoryLimit: 'lots' } }, [
      ['resources.cpuLimit', '"2 cores"', CPU],
      ['resources.memoryLimit', '"lots"', MEMORY],
    ]);
  });

  test.each([['500m'], ['1.5'], ['2'], ['1e3'], ['0.25'], ['100000u']])('cpu %j is a quantity', (cpu) => {
    expectAccepted({ ...base(), resources: { cpu } });
  });

  test.each([['512Mi'], ['4Gi'], ['4G'], ['4e9'], ['1.5Gi'], ['4096M']])('memory %j is a quantity', (memory) => {
    expectAccepted({ ...base(), resources: { memory } });
  });
});

describe('limits below requests', () => {
  test('cpuLimit and memoryLimit below explicit requests', () => {
    expectProblems({ ...base(), resources: { cpu: '2', cpuLimit: '1500m', memory: '4Gi', memoryLimit: '4000Mi' } }, [
      ['resources.cpuLimit', '"1500m"', 'expected at least the request cpu="2": Kubernetes rejects a limit below its request'],
      ['resources.memoryLimit', '"4000Mi"', 'expected at least the request memory="4Gi": Kubernetes rejects a limit below its request'],
    ]);
  });

  test('limits below the default requests (1 CPU, 2Gi)', () => {
    expectProblems({ ...base(), resources: { cpuLimit: '500m', memoryLimit: '1Gi' } }, [
      ['resources.cpuLimit', '"500m"', 'expected at least the default CPU request "1", or set cpu too'],
      ['resources.memoryLimit', '"1Gi"', 'expected at least the default memory request "2Gi", or set memory too'],
    ]);
  });

  test('limits equal to requests in other units are fine', () => {
    expectAccepted({ ...base(), resources: { cpu: '1', cpuLimit: '1000m', memory: '2Gi', memoryLimit: '2048Mi' } });
  });
});

describe('GPUs', () => {
  const COUNT = 'expected a positive integer number of GPUs (fractions of a GPU need a MIG profile)';

  test.each([[0], [-1], [0.5], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY]])('count %p', (count) => {
    expectProblems({ ...base(), accelerator: Accelerator.nvidiaGpu({ count }) }, [['accelerator.count', String(count), COUNT]]);
  });

  test('a count given as a string', () => {
    expectProblems({ ...base(), accelerator: Accelerator.nvidiaGpu({ count: '2' as unknown as number }) }, [['accelerator.count', '"2"', COUNT]]);
  });

  test.each([['1g.5g'], ['1g.10GB'], ['mig-1g.10gb'], ['8g.80gb'], ['']])('unknown MIG profile %j', (migProfile) => {
    expectProblems({ ...base(), accelerator: Accelerator.nvidiaGpu({ migProfile }) }, [
      ['accelerator.migProfile', JSON.stringify(migProfile), `expected one of NVIDIA's MIG profiles: ${MIG_PROFILES.join(', ')}`],
    ]);
  });

  test.each(MIG_PROFILES.map((p) => [p]))('MIG profile %s is accepted', (migProfile) => {
    expectAccepted({ ...base(), accelerator: Accelerator.nvidiaGpu({ migProfile }) });
  });

  test('a product that is not a label value', () => {
    expectProblems({ ...base(), accelerator: Accelerator.nvidiaGpu({ product: 'NVIDIA A10G' }) }, [
      ['accelerator.product', '"NVIDIA A10G"', 'expected a node label value such as "NVIDIA-A10G" (letters, digits, "-", "_", ".", at most 63)'],
    ]);
  });

  test('the accelerator\'s own tolerations are checked like the service\'s', () => {
    expectProblems({ ...base(), accelerator: Accelerator.nvidiaGpu({ tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoShedule' as 'NoSchedule' }] }) }, [
      ['accelerator.tolerations[0].effect', '"NoShedule"', 'expected one of NoSchedule, PreferNoSchedule, NoExecute'],
    ]);
  });

  test('every accelerator problem at once', () => {
    expectProblems({ ...base(), accelerator: Accelerator.nvidiaGpu({ count: 0, migProfile: '1g.5g', product: 'A 10' }) }, [
      ['accelerator.count', '0', COUNT],
      ['accelerator.migProfile', '"1g.5g"', `expected one of NVIDIA's MIG profiles: ${MIG_PROFILES.join(', ')}`],
      ['accelerator.product', '"A 10"', 'expected a node label value such as "NVIDIA-A10G" (letters, digits, "-", "_", ".", at most 63)'],
    ]);
  });
});

describe('counts', () => {
  test.each([[-1], [1.5], [10_001]])('replicas %p', (replicas) => {
    expectProblems({ ...base(), replicas }, [['replicas', String(replicas), 'expected an integer from 0 to 10000']]);
  });

  test('replicas 0 is allowed (scaled down)', () => {
    expectAccepted({ ...base(), replicas: 0 });
  });

  test.each([[0], [-1], [1.5], [1001]])('maxSurge %p', (maxSurge) => {
    expectProblems({ ...base(), maxSurge }, [['maxSurge', String(maxSurge), 'expected an integer from 1 to 1000']]);
  });
});
