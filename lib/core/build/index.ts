/**
 * Build artifacts produced by the library itself, reproducibly: a deterministic ZIP writer
 * and reader ({@link writeZip}, {@link readZip}, {@link crc32}) and TorchServe `.mar`
 * archives ({@link packMar}), and Docker build contexts for images built from a model
 * directory ({@link buildImageContext}): a generated Dockerfile, the model laid out for its
 * runtime with weights in their own layers, tagged by the content hash.
 *
 * @packageDocumentation
 */
export {
  ZIP32_LIMIT,
  ZIP_DEFAULT_MODE,
  ZIP_EPOCH,
  crc32,
  readZip,
  writeZip,
  type DosDateTime,
  type ZipCompression,
  type ZipEntry,
  type ZipEntryInput,
  type ZipWriteOptions,
} from './zip';
export {
  MAR_ARCHIVER_VERSION,
  MAR_BUILTIN_HANDLERS,
  MAR_MANIFEST_PATH,
  MAR_MODEL_NAME,
  MAR_RUNTIMES,
  formatMarCreatedOn,
  packMar,
  serializeMarManifest,
  type MarArchiveFormat,
  type MarFile,
  type MarHandlerFile,
  type MarManifest,
  type MarManifestModel,
  type MarRuntime,
  type PackMarInput,
  type PackedMar,
} from './mar';
export { CONTENT_TAG_LENGTH, comparePaths, finalizeContext, hashContext, type ContextFile, type ImageBuildContext, type ImageBuildTarget } from './context';
export type { ModelDirectoryOptions, TorchServeArchiveOptions } from './options';
export { buildImageContext, OCI_LABELS, SYSTEM_WRITABLE_PATHS } from './build-image';
export { DockerfileWriter, dockerQuote, execForm, GENERATED_HEADER } from './dockerfile';
export { readModelDirectory, compileExcludePattern, isWeightFile, normalizeRelativePath, WEIGHT_FILE_SUFFIXES, ALWAYS_EXCLUDED_NAMES, ALWAYS_EXCLUDED_SUFFIXES, type ModelFile } from './model-directory';
export { parseTritonConfig, tritonMaxBatchSize, TRITON_MAX_BATCH_SIZE_LIMIT, type TritonConfigSummary, type TritonConfigParse } from './triton-config';
export { marCreatedOn, MAR_DEFAULT_CREATED_ON, TORCHSERVE_REQUIREMENTS_PATH } from './torchserve-image';
export { VLLM_WEIGHT_SUFFIXES } from './vllm-image';
export { isTritonVersionName, isTritonWeightFile } from './triton-image';
export { writeImageContext } from './write-context';
