/** The Markdown fragment `bench/images.ts` writes (bench/results/images.md), for BENCHMARKS.md. */
import { constants as bufferConstants } from 'buffer';
import * as os from 'os';
import { ContextResult, CryptoResult, ReadHashResult } from './protocol';
import { MiB, REBUILD_MODELS } from './fixtures';
import { en, fmtRatio, isoDate, loadDuring, machine, median } from '../support';

export type RebuildCase = 'cold' | 'no-change' | 'code-only' | 'weights-only';
export const REBUILD_CASES: readonly RebuildCase[] = ['cold', 'no-change', 'code-only', 'weights-only'];

/** One build of the rebuild benchmark. */
export interface RebuildRun {
  readonly model: string;
  readonly rep: number;
  readonly kind: RebuildCase;
  /** Regenerating the context with the library, in a fresh process. */
  readonly context: ContextResult;
  /** `buildah bud` wall time. */
  readonly buildMs: number;
  /** Dockerfile steps (FROM included) and how many buildah took from its cache. */
  readonly steps: number;
  readonly cachedSteps: number;
  /** Bytes of the context that COPY steps not taken from the cache copied. */
  readonly recopiedBytes: number;
  readonly instructions: readonly string[];
}

/** One repetition of the hashing benchmark. */
export interface HashRun {
  readonly rep: number;
  readonly library: ContextResult;
  readonly sha256sum: { readonly ms: number; readonly peakRssBytes: number };
  readonly readHash: ReadHashResult;
  readonly crypto: CryptoResult;
}

export interface RunInfo {
  readonly reps: number;
  /** Size of each model's large weights file, by model name. */
  readonly weightsBytes: Readonly<Record<string, number>>;
  readonly hashBytes: number;
  readonly hashFiles: number;
  readonly hashShards: number;
  readonly elapsedS: number;
  readonly code: string;
  readonly buildah: string;
  readonly storageDriver: string;
  readonly sha256sum: string;
  /** Whether sha256sum links libcrypto (OpenSSL), and whether the CPU has SHA extensions. */
  readonly sha256sumLinksOpenssl: boolean;
  readonly cpuShaExtensions: boolean;
  readonly standIns: readonly string[];
  readonly standInBase: string;
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  readonly loadSamples: number[];
  readonly output: string;
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
const fmtRange = (xs: readonly number[]) => `${fmtS(median(xs))} (${fmtS(Math.min(...xs))} – ${fmtS(Math.max(...xs))})`;
const fmtMiB = (bytes: number) => `${en(Math.round(bytes / MiB))} MiB`;
/** MiB, or KiB below 1 MiB (a code layer). */
const fmtSize = (bytes: number) => (bytes === 0 ? '0' : bytes < MiB ? `${en(Math.max(1, Math.round(bytes / 1024)))} KiB` : fmtMiB(bytes));
const fmtRate = (bytes: number, ms: number) => `${en(Math.round(bytes / MiB / (ms / 1000)))} MiB/s`;

const CASE_TITLES: Record<RebuildCase, string> = {
  cold: 'cold build (`--no-cache`)',
  'no-change': 'no change',
  'code-only': 'code only changed',
  'weights-only': 'weights only changed',
};

export function renderReport(rebuilds: readonly RebuildRun[], hashes: readonly HashRun[], info: RunInfo): string {
  const cpus = os.cpus();
  const weightsOf = (model: string) => fmtMiB(info.weightsBytes[model] ?? 0);
  const runsOf = (model: string, kind: RebuildCase) => rebuilds.filter((r) => r.model === model && r.kind === kind);
  const buildMedian = (model: string, kind: RebuildCase) => median(runsOf(model, kind).map((r) => r.buildMs));
  const totalMedian = (model: string, kind: RebuildCase) => median(runsOf(model, kind).map((r) => r.buildMs + r.context.renderMs + r.context.writeMs));
  const models = REBUILD_MODELS.filter((m) => rebuilds.some((r) => r.model === m.name));

  const rebuildRows = models.flatMap((m) =>
    REBUILD_CASES.map((kind) => {
      const runs = runsOf(m.name, kind);
      const cached = [...new Set(runs.map((r) => `${r.cachedSteps}/${r.steps - 1}`))].join(', ');
      const recopied = [...new Set(runs.map((r) => fmtSize(r.recopiedBytes)))].join(', ');
      return (
        `| ${m.name} (${m.runtime}) | ${weightsOf(m.name)} | ${CASE_TITLES[kind]} | ${fmtS(median(runs.map((r) => r.context.renderMs)))} | ${fmtS(median(runs.map((r) => r.context.writeMs)))} | ` +
        `**${fmtRange(runs.map((r) => r.buildMs))}** | ${fmtS(totalMedian(m.name, kind))} | ${cached} | ${recopied} |`
      );
    }),
  );
  const ratioRows = models.map((m) => {
    const b = (k: RebuildCase) => buildMedian(m.name, k);
    const t = (k: RebuildCase) => totalMedian(m.name, k);
    return `| ${m.name} (${m.runtime}) | ${weightsOf(m.name)} | **${fmtRatio(b('code-only') / b('weights-only'))}** | ${fmtRatio(t('code-only') / t('weights-only'))} | ${fmtRatio(b('code-only') / b('cold'))} | ${fmtRatio(b('weights-only') / b('cold'))} | ${fmtRatio(b('no-change') / b('cold'))} |`;
  });
  const peakRows = models.map((m) => {
    const runs = rebuilds.filter((r) => r.model === m.name);
    const ctx = runs[0]!.context;
    const peak = median(runs.map((r) => r.context.peakRssAfterRenderBytes));
    const render = median(runs.map((r) => r.context.renderMs));
    return (
      `| ${m.name} (${m.runtime}) | ${weightsOf(m.name)} | ${fmtMiB(ctx.contextBytes)} | ${fmtS(render)} (${fmtRate(ctx.contextBytes, render)}) | ${fmtS(median(runs.map((r) => r.context.hashMs)))} | ` +
      `${fmtMiB(peak)} (${fmtRatio(peak / (info.weightsBytes[m.name] ?? 1))} the weights) | ${fmtMiB(median(runs.map((r) => r.context.peakRssBytes)))} |`
    );
  });
  /** The build's layer steps (COPY, RUN, USER before them), then a count of the metadata steps after them. */
  const stepsOf = (model: string, kind: RebuildCase): string => {
    const steps = (runsOf(model, kind)[0]?.instructions ?? []).map((i) => ({ cached: i.startsWith('cached'), text: i.replace(/^(cached|built) +/, '') })).filter((s) => !/^FROM /.test(s.text));
    const lastLayer = steps.map((s) => /^(COPY|ADD|RUN) /.test(s.text)).lastIndexOf(true);
    const shown = steps.slice(0, lastLayer + 1).map((s) => `${s.cached ? 'cached' : '**built**'} \`${s.text.replace(/`/g, "'").replace(/^(RUN \S+ \S+ \S+).*$/, '$1 …]')}\``);
    const rest = steps.slice(lastLayer + 1);
    const restCached = rest.filter((s) => s.cached).length;
    return [...shown, `${rest.length} metadata steps (ENV, EXPOSE, LABEL, ENTRYPOINT, CMD, USER) ${restCached === rest.length ? 'cached' : restCached === 0 ? '**built**' : `${restCached} cached`}`].join(' → ');
  };

  // Hashing
  const bytes = info.hashBytes;
  const lib = median(hashes.map((h) => h.library.renderMs));
  const libHash = median(hashes.map((h) => h.library.hashMs));
  const sum = median(hashes.map((h) => h.sha256sum.ms));
  const read = median(hashes.map((h) => h.readHash.ms));
  const crypto = median(hashes.map((h) => h.crypto.hashMs));
  const hashRow = (what: string, xs: readonly number[], ms: number, rss: string) =>
    `| ${what} | ${fmtRange(xs)} | ${fmtRate(bytes, ms)} | ${fmtRatio(ms / sum)} | ${fmtRatio(ms / crypto)} | ${rss} |`;
  const hashRows = [
    hashRow(
      '**modelship**: `renderModelService` (read the directory into Buffers, plan, `finalizeContext` → `hashContext`)',
      hashes.map((h) => h.library.renderMs),
      lib,
      `${fmtMiB(median(hashes.map((h) => h.library.peakRssAfterRenderBytes)))} (+${fmtMiB(median(hashes.map((h) => h.library.peakRssAfterRenderBytes - h.library.rssBeforeBytes)))})`,
    ),
    hashRow('… of which `hashContext` alone (timed again on the finished context)', hashes.map((h) => h.library.hashMs), libHash, '—'),
    hashRow('baseline: Node `readFileSync` + SHA-256 of each file (Buffers kept)', hashes.map((h) => h.readHash.ms), read, fmtMiB(median(hashes.map((h) => h.readHash.peakRssBytes)))),
    hashRow(`baseline: \`sha256sum\` over the same ${info.hashFiles} files`, hashes.map((h) => h.sha256sum.ms), sum, fmtMiB(median(hashes.map((h) => h.sha256sum.peakRssBytes)))),
    hashRow(`baseline: Node \`crypto\` SHA-256 of one in-memory ${fmtMiB(bytes)} Buffer`, hashes.map((h) => h.crypto.hashMs), crypto, fmtMiB(median(hashes.map((h) => h.crypto.peakRssBytes)))),
  ];

  const meanLoad = info.loadSamples.reduce((a, b) => a + b, 0) / Math.max(1, info.loadSamples.length);
  const busy = info.loadBefore[0]! > cpus.length * 0.5 || meanLoad > 1 + cpus.length * 0.5;
  const churn = models.find((m) => m.runtime === 'custom');
  const fraud = models.find((m) => m.runtime === 'torchserve');
  const summary: string[] = [];
  if (churn) {
    summary.push(
      `- **Custom runtime (${churn.name}), ${weightsOf(churn.name)} of weights:** a rebuild after a code-only change takes ${fmtS(buildMedian(churn.name, 'code-only'))} against ${fmtS(buildMedian(churn.name, 'weights-only'))} after a weights-only change ` +
        `(**${fmtRatio(buildMedian(churn.name, 'code-only') / buildMedian(churn.name, 'weights-only'))}**) and ${fmtS(buildMedian(churn.name, 'cold'))} cold: the weights layer comes from the cache. ` +
        `A rebuild with nothing changed still takes ${fmtS(buildMedian(churn.name, 'no-change'))}: buildah reads and digests the whole context to look the layers up.`,
    );
  }
  if (fraud) {
    summary.push(
      `- **TorchServe (${fraud.name}), ${weightsOf(fraud.name)} serialized file:** handler and weights are packed into one \`.mar\`, one layer, so a code-only rebuild (${fmtS(buildMedian(fraud.name, 'code-only'))}) is no cheaper than a weights-only one ` +
        `(${fmtS(buildMedian(fraud.name, 'weights-only'))}, **${fmtRatio(buildMedian(fraud.name, 'code-only') / buildMedian(fraud.name, 'weights-only'))}**): both re-copy the whole archive. Regenerating the context repacks the (stored, uncompressed) archive (${fmtS(median(runsOf(fraud.name, 'code-only').map((r) => r.context.renderMs)))}) every time anything changes; that process peaks at ${fmtMiB(median(rebuilds.filter((r) => r.model === fraud.name).map((r) => r.context.peakRssAfterRenderBytes)))} of RSS.`,
    );
  }
  summary.push(
    `- **Hashing ${fmtMiB(bytes)} of weights:** modelship's path (read + plan + hash) takes ${fmtS(lib)} (${fmtRate(bytes, lib)}), against ${fmtS(sum)} for \`sha256sum\` over the same files (${fmtRatio(lib / sum)}) and ${fmtS(crypto)} for Node hashing the same bytes already in memory (${fmtRatio(lib / crypto)}); ` +
      `${fmtS(libHash)} of it is \`hashContext\`, most of the rest reading the files. Its peak RSS is ${fmtMiB(median(hashes.map((h) => h.library.peakRssAfterRenderBytes)))}: every file of the context is held in memory.`,
  );
  if (busy) {
    summary.push(
      `- **Caution:** other work was running on the machine (1-minute load average ${info.loadBefore[0]!.toFixed(2)} before the run, ${meanLoad.toFixed(2)} on average during it, of which about 1 is the benchmark, on ${cpus.length} cores): absolute times are inflated and noisy, and differences smaller than the ranges in brackets (about 1–2 s for the TorchServe builds in a busy run) are not significant.`,
    );
  }

  const lines = [
    '## Model images: rebuilds with the layer cache, hashing weights',
    '',
    'How the generated image layout pays off on a rebuild (buildah with its layer cache) when only',
    'the code or only the weights of a model directory change, and what hashing a large weights',
    'directory into the content-hash tag costs at synth.',
    '',
    `- **Command:** \`npx ts-node -T bench/images.ts\` (\`bench/images.ts\`, \`bench/images/*\`; ${info.elapsedS.toFixed(0)} s in all; rewrites \`${info.output}\`). Needs \`bash scripts/e2e/setup.sh\` (as root) first.`,
    `- **Date:** ${isoDate()}`,
    `- **Code:** ${info.code}`,
    `- **Machine:** ${machine(info.loadBefore, info.loadAfter)}; ${loadDuring(info.loadSamples)}`,
    `- **Software:** Node ${process.version}, ${info.buildah}, storage driver ${info.storageDriver}, ${info.sha256sum}`,
    '',
    '### Result',
    '',
    ...summary,
    '',
    `### Rebuild time (${info.reps} repetitions)`,
    '',
    'Medians, with the range over repetitions in brackets. "Context" is regenerating the build',
    'context with the library before each build (in a fresh process): `renderModelService` (read',
    'the model directory, plan, pack the `.mar`, hash) and writing the files, as `cdk8s synth` does.',
    '"Steps from cache" counts the Dockerfile steps after FROM that buildah reused; "re-copied" is',
    'the context bytes of COPY steps it ran again.',
    '',
    '| Model | Weights | Case | Context: render + hash | Context: write | `buildah bud --layers` | Context + build | Steps from cache | Re-copied |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|',
    ...rebuildRows,
    '',
    'Ratios of medians (build time; "with context" adds the context regeneration to each side):',
    '',
    '| Model | Weights | code only ÷ weights only | … with context | code only ÷ cold | weights only ÷ cold | no change ÷ cold |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...ratioRows,
    '',
    'Build steps after FROM (first repetition; cached = taken from the layer cache):',
    '',
    ...models.flatMap((m) => [
      `- ${m.name}, code only: ${stepsOf(m.name, 'code-only')}`,
      `- ${m.name}, weights only: ${stepsOf(m.name, 'weights-only')}`,
    ]),
    '',
    'Regenerating the context, medians over all its runs: `renderModelService` time (and context bytes',
    'per second), `hashContext` alone on the finished context, and the peak RSS of the process',
    '(`process.resourceUsage().maxRSS`) when the render returned and at the end (after the write):',
    '',
    '| Model | Weights | Context size | Render | `hashContext` alone | Peak RSS after render | Peak RSS at end |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...peakRows,
    '',
    `### Hashing a ${fmtMiB(bytes)} weights directory (${info.reps} repetitions)`,
    '',
    `A Hugging Face-style snapshot for the vLLM runtime (examples/models/summarizer with its weights`,
    `replaced by ${info.hashShards} shards of ${fmtMiB(bytes / info.hashShards)} and a \`model.safetensors.index.json\`; ${info.hashFiles} files), warm in the page cache.`,
    'Medians, range in brackets; ratios of medians. Peak RSS of the measuring process (in brackets:',
    'its rise over the RSS before the render).',
    '',
    '| What | Time | Throughput | ÷ `sha256sum` | ÷ Node `crypto` | Peak RSS |',
    '|---|--:|--:|--:|--:|--:|',
    ...hashRows,
    '',
    '### Method and caveats',
    '',
    `- **Model directories:** temporary copies of the example models with ${models.map((m) => `${weightsOf(m.name)} (${m.name})`).join(' and ')} of deterministic pseudo-random weights (an AES-256-CTR keystream of a fixed seed: incompressible, like real float weights, and the same on every run). ${models.map((m) => `${m.name}: ${m.layout}`).join('. ')}. TorchServe gets the smaller file to keep the run within about four minutes on two cores: each of its ${REBUILD_CASES.length * info.reps} context regenerations deflates the whole archive (set BENCH_IMAGES_FRAUD_MIB=256 for the same size as churn).`,
    `- **Cases, per repetition and in this order, on one model directory:** cold (\`buildah bud --layers --no-cache\`: every step runs, and its layers are stored), no change (the context regenerated from the same directory: the same tag, every layer from the cache), code only (a comment appended to ${models.map((m) => `${m.name}'s \`${m.codeFile}\``).join(' / ')}), weights only (the weights file rewritten with new bytes of the same size). The run checks that each regenerated context differs from the previous one in exactly the expected files (for TorchServe: the \`.mar\`).`,
    `- **Builds:** with the e2e suite's tools, config and flags (test/e2e/support/containers.ts): \`buildah bud --isolation chroot --pull=never --layers\`, but in a temporary container storage of the benchmark's own (overlay), into which the suite's python3 base is copied first. In the suite's shared storage, buildah's cache lookup took the first image matching TorchServe's \`RUN install -d …\` step, which was an e2e image's, and so missed the rest of the benchmark's chain (a no-change rebuild re-copied the \`.mar\`); a private storage also keeps e2e runs in parallel and the benchmark apart. Time is the wall time of the \`buildah\` process: its start, reading and digesting the context for the cache lookup, copying, committing each layer, writing the image.`,
    `- **Stand-in bases:** the generated Dockerfiles build FROM ${info.standIns.map((s) => `\`${s}\``).join(' and ')}, which cannot be pulled here; as in the e2e suite (test/e2e/support/stand-ins.ts), the suite's local Debian 12 python3 image (\`${info.standInBase}\`, built by scripts/e2e/setup.sh) is tagged under those names (\`buildah tag\`). The base is local, so no time is spent pulling; the real TorchServe base is far larger, which changes nothing for the layers built on top of it.`,
    '- **The `.mar` trade-off:** TorchServe loads one archive, so modelship packs handler, weights and config into one `.mar`, copied in one layer. Any change to the handler re-packs (deflates) the whole archive and re-copies it; the custom, vLLM, TF Serving and Triton layouts keep weights in a layer of their own before the code.',
    '- **Context regeneration** runs in a fresh `child_process.fork` of a transpiled snapshot of lib/ per build (times exclude process start and module loading; a full GC runs first). The context is written to a fresh directory each time, as a synth does.',
    `- **\`sha256sum\`** ${info.sha256sumLinksOpenssl ? 'links OpenSSL' : "is not linked with OpenSSL (\`ldd\`: libc only), so it runs coreutils' portable C SHA-256"}${info.cpuShaExtensions && !info.sha256sumLinksOpenssl ? ", without the CPU's SHA extensions (\`sha_ni\`) that Node's OpenSSL uses here: that is why it is slower than Node" : ''}. It is the baseline a shell script would use, not the fastest possible hash.`,
    '- **Hashing:** the library path is `renderModelService` for the example\'s vLLM service, which reads every file into a Buffer, plans the layers and builds the context with `finalizeContext` (which hashes it): what a synth pays. `hashContext` alone is timed again on the finished context. Baselines run in the same repetition, in this order: `sha256sum` (one process over the same files, timed from spawn to exit, peak RSS from `/usr/bin/time`), Node reading each file with `readFileSync` and hashing it, and Node hashing one in-memory Buffer of the same size. Files are warm in the page cache for all of them (they were just written; nothing drops caches).',
    `- **Memory (a known limitation):** the library reads every file of the model directory into memory and keeps it in the context it returns, so the peak RSS grows with the size of the model directory; for TorchServe the files read, their deflated copies and the assembled \`.mar\` are in memory at once, several times the weights (table above). A single file over the largest Buffer (\`buffer.constants.MAX_LENGTH\`, ${fmtMiB(bufferConstants.MAX_LENGTH)} on this Node) is refused.`,
    "- **Cleanup:** after each repetition every image in the benchmark's storage but the base is removed (so each repetition starts from the base alone); at the end the storage itself, the temporary model directories and the contexts are deleted. The e2e suite's storage, base images and stand-in tags are not touched.",
    '',
  ];
  return lines.join('\n');
}
