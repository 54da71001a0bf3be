/**
 * Build artifacts produced by the library itself, reproducibly: a deterministic ZIP writer
 * and reader ({@link writeZip}, {@link readZip}, {@link crc32}) and TorchServe `.mar`
 * archives ({@link packMar}).
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
