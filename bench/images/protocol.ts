/** Messages between `bench/images.ts` and its worker processes (`bench/images/worker.ts`). */

/** `context <model> <modelsDir> <outDir|->`: render one example service and write its build context. */
export interface ContextResult {
  readonly kind: 'context';
  /** `renderModelService` wall time: reading the model directory, planning (packing the `.mar`), Dockerfile, hashing the context. */
  readonly renderMs: number;
  /** `hashContext` over the finished context's files, timed again on its own after the render. */
  readonly hashMs: number;
  /** Writing the context files (as `cdk8s synth` does: writeFileSync + chmod per file); 0 when not written. */
  readonly writeMs: number;
  /** Peak RSS of the process when the render returned (`process.resourceUsage().maxRSS`). */
  readonly peakRssAfterRenderBytes: number;
  /** Peak RSS at the end (after the write and the timed re-hash). */
  readonly peakRssBytes: number;
  /** RSS just before the render (modules loaded, after a full GC). */
  readonly rssBeforeBytes: number;
  readonly tag: string;
  readonly dockerfile: string;
  /** Every context file: path, size and SHA-256 (computed after the timed region). */
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly sha256: string }[];
  readonly contextBytes: number;
}

/** `crypto <bytes>`: SHA-256 of one in-memory buffer with Node's crypto (the floor of any hashing). */
export interface CryptoResult {
  readonly kind: 'crypto';
  readonly hashMs: number;
  readonly peakRssBytes: number;
  readonly digest: string;
}

/** `read-hash <dir>`: readFileSync of each top-level file then SHA-256 of it: plain Node reading into Buffers. */
export interface ReadHashResult {
  readonly kind: 'read-hash';
  readonly ms: number;
  readonly bytes: number;
  readonly peakRssBytes: number;
}

export type WorkerResult = ContextResult | CryptoResult | ReadHashResult;
