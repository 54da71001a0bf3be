/**
 * What each Dockerfile step of a built image changed, and what buildah's `--layers` log says
 * it reused: the e2e suite's view of layering (weights before code before config) and of the
 * layer cache.
 *
 * Built with `--layers`, every step of a build is an image of its own whose parent is the
 * previous step's; `podman image diff child parent` lists what the step added (A), changed (C)
 * or deleted (D). The image config's history has one entry per step, in the same order.
 */
import { imageId, inspectConfig, runCommand } from './containers';

/** One Dockerfile step of an image: its history entry and what it changed. */
export interface BuildStep {
  /** Full id of the image after the step. */
  readonly id: string;
  /** The history entry's `created_by`, e.g. `/bin/sh -c #(nop) COPY dir:… in /models/ `. */
  readonly createdBy: string;
  /** Paths the step added (files and directories). */
  readonly added: readonly string[];
  /** Paths it changed (typically the parent directories of added files). */
  readonly changed: readonly string[];
  /** Paths it deleted. */
  readonly deleted: readonly string[];
}

/**
 * The steps of `image` after its base (`base`: the image it was built FROM, by name or id), in
 * build order. Needs the intermediate images a `--layers` build keeps.
 */
export async function buildSteps(image: string, base: string): Promise<BuildStep[]> {
  const baseId = await imageId(base);
  const chain: string[] = [];
  let id = await imageId(image);
  while (id !== baseId) {
    if (chain.length > 100) throw new Error(`${image} does not descend from ${base} within 100 steps`);
    chain.unshift(id);
    const parent = (await runCommand('podman', ['image', 'inspect', '--format', '{{.Parent}}', id], { timeoutMs: 30_000 })).stdout.trim();
    if (!parent) throw new Error(`${image} does not descend from ${base} (or was built without --layers): the chain ends at ${id}`);
    id = parent;
  }
  const { history } = await inspectConfig(image);
  const baseHistory = (await inspectConfig(base)).history;
  if (history.length !== baseHistory.length + chain.length) {
    throw new Error(`${image}: ${history.length} history entries, expected ${baseHistory.length} (base) + ${chain.length} (steps)`);
  }
  const steps: BuildStep[] = [];
  let parent = baseId;
  for (const [i, stepId] of chain.entries()) {
    const diff = (await runCommand('podman', ['image', 'diff', stepId, parent], { timeoutMs: 30_000 })).stdout;
    const entries = diff.split('\n').map((l) => /^([ACD]) (.+)$/.exec(l.trim())).filter((m): m is RegExpExecArray => m !== null);
    steps.push({
      id: stepId,
      createdBy: history[baseHistory.length + i]!,
      added: entries.filter((m) => m[1] === 'A').map((m) => m[2]!),
      changed: entries.filter((m) => m[1] === 'C').map((m) => m[2]!),
      deleted: entries.filter((m) => m[1] === 'D').map((m) => m[2]!),
    });
    parent = stepId;
  }
  return steps;
}

/** The index of the step that added (or last changed) `path`; -1 when none did. */
export function stepOf(steps: readonly BuildStep[], path: string): number {
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i]!.added.includes(path) || steps[i]!.changed.includes(path)) return i;
  }
  return -1;
}

/** One `STEP n/m: …` of a buildah build log. */
export interface LoggedStep {
  /** The instruction as buildah printed it, e.g. `COPY weights/ /models/`. */
  readonly instruction: string;
  /** Whether buildah reused a cached layer for it (`--> Using cache …`). */
  readonly cached: boolean;
  /** The (short) id of the image the step produced, when the log shows it. */
  readonly id?: string;
}

/** Parses the steps of a `buildah bud --layers` log. */
export function parseBuildLog(log: string): LoggedStep[] {
  const steps: LoggedStep[] = [];
  const blocks = log.split(/^STEP \d+\/\d+: /m).slice(1);
  for (const block of blocks) {
    const [instruction, ...rest] = block.split('\n');
    const body = rest.join('\n');
    const ids = [...body.matchAll(/^--> (?!Using cache)([0-9a-f]{6,64})\s*$/gm)].map((m) => m[1]!);
    steps.push({ instruction: instruction!.trim(), cached: /^--> Using cache /m.test(body), ...(ids.length > 0 ? { id: ids[ids.length - 1]! } : {}) });
  }
  return steps;
}
