/**
 * STAND-IN base images. The official TorchServe, TF Serving, Triton and vLLM images cannot be
 * pulled on the CI machines (no container registry is reachable), so a generated Dockerfile's
 * `FROM <official image>` is satisfied by tagging one of the suite's local bases under that
 * exact reference (`buildah tag`), and the build runs with `--pull=never`.
 *
 * A build FROM a stand-in checks the layout the generated Dockerfile adds (files, owner, user,
 * ports, entrypoint, labels, layer order); it says nothing about whether the real server starts.
 * Tests that use one must say "stand-in" in their names.
 */
import { TFSERVING_IMAGE } from '../../../lib/core/runtime/tfserving';
import { TORCHSERVE_IMAGE } from '../../../lib/core/runtime/torchserve';
import { TRITON_IMAGE } from '../../../lib/core/runtime/triton';
import { VLLM_IMAGE } from '../../../lib/core/runtime/vllm';
import { PYTHON_BASE, removeImages, runCommand } from './containers';

export interface StandInBase {
  /** The runtime whose official image this stands in for. */
  readonly runtime: 'torchserve' | 'tfserving' | 'triton' | 'vllm';
  /** The exact reference generated Dockerfiles use in `FROM`. */
  readonly reference: string;
}

/**
 * The default server images of the runtimes, from the pinned constants in lib/core/runtime/*.ts,
 * with the CPU/GPU suffixes those runtimes add (TorchServe `-cpu`/`-gpu`, TF Serving `-gpu`).
 */
export const STAND_IN_BASES: readonly StandInBase[] = [
  { runtime: 'torchserve', reference: `${TORCHSERVE_IMAGE}-cpu` },
  { runtime: 'torchserve', reference: `${TORCHSERVE_IMAGE}-gpu` },
  { runtime: 'tfserving', reference: TFSERVING_IMAGE },
  { runtime: 'tfserving', reference: `${TFSERVING_IMAGE}-gpu` },
  { runtime: 'triton', reference: TRITON_IMAGE },
  { runtime: 'vllm', reference: VLLM_IMAGE },
];

/**
 * Tags `base` (default: the Python base) as `reference`, so `FROM <reference>` builds with
 * `--pull=never`. A short name such as `pytorch/torchserve:0.12.0-cpu` is stored as
 * `localhost/pytorch/torchserve:0.12.0-cpu`, which is what buildah resolves the short name to
 * when it may not pull. Digest references (`@sha256:`) cannot be stood in for: the digest
 * names content we do not have.
 */
export async function tagStandIn(reference: string, base: string = PYTHON_BASE): Promise<void> {
  if (reference.includes('@')) {
    throw new Error(`cannot make a stand-in for a digest reference (${reference}): tag it by version in the test, or build the context with its FROM rewritten`);
  }
  await runCommand('buildah', ['tag', base, reference], { timeoutMs: 30_000 });
}

/** Tags every default runtime image as a stand-in (the Python base under each reference). */
export async function tagAllStandIns(base: string = PYTHON_BASE): Promise<readonly StandInBase[]> {
  for (const s of STAND_IN_BASES) await tagStandIn(s.reference, base);
  return STAND_IN_BASES;
}

/** Untags stand-ins (the base image itself stays). */
export async function removeStandIns(references: readonly string[] = STAND_IN_BASES.map((s) => s.reference)): Promise<void> {
  await removeImages(...references);
}

/**
 * The external images a Dockerfile builds FROM, in order: `FROM [--platform=…] <ref> [AS name]`,
 * skipping `scratch` and earlier stage names, with global `ARG name=default` substituted.
 * Use it to stand in for exactly what a generated Dockerfile needs.
 */
export function fromReferences(dockerfile: string): string[] {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages = new Set<string>();
  const refs: string[] = [];
  let seenFrom = false;
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const keyword = instruction.toUpperCase();
    if (keyword === 'ARG' && !seenFrom) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(rest.join(' '));
      if (m && m[2] !== undefined) args[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
    }
    if (keyword !== 'FROM') continue;
    seenFrom = true;
    const words = rest.filter((w) => !w.startsWith('--'));
    const ref = words[0].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_whole, name: string) => {
      if (!(name in args)) throw new Error(`FROM uses \$${name}, which has no global ARG default: ${line}`);
      return args[name];
    });
    const earlierStage = stages.has(ref.toLowerCase());
    if (words[1]?.toUpperCase() === 'AS' && words[2]) stages.add(words[2].toLowerCase());
    if (earlierStage || ref.toLowerCase() === 'scratch') continue;
    if (!refs.includes(ref)) refs.push(ref);
  }
  return refs;
}

/** Tags a stand-in for every external FROM of `dockerfile`; returns the references. */
export async function tagStandInsFor(dockerfile: string, base: string = PYTHON_BASE): Promise<string[]> {
  const refs = fromReferences(dockerfile);
  for (const ref of refs) await tagStandIn(ref, base);
  return refs;
}
