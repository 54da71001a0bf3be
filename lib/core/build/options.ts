/**
 * How a TorchServe model directory becomes a `.mar` archive. File names are relative to the
 * model directory; the archive is packed by modelship, exactly as torch-model-archiver would.
 */
export interface TorchServeArchiveOptions {
  /** The handler: a `.py` file in the directory (optionally `file.py:function`) or a built-in handler name such as `image_classifier`. */
  readonly handler: string;
  /**
   * The serialized weights (`.pt`, `.pth`, `.onnx`, …).
   * @default - none (the handler loads its own)
   */
  readonly serializedFile?: string;
  /**
   * The model definition file, for eager-mode models.
   * @default - none
   */
  readonly modelFile?: string;
  /**
   * Further files or directories packed at the archive root.
   * @default - none
   */
  readonly extraFiles?: string[];
  /**
   * A `requirements.txt`, installed into the image at build time (not at model load, which
   * would need the network in production).
   * @default - none
   */
  readonly requirementsFile?: string;
  /**
   * The archive's `model-config.yaml`.
   * @default - none
   */
  readonly configFile?: string;
  /**
   * The model version written into the manifest. It must equal the TorchServe runtime's
   * `modelVersion`, the version config.properties configures workers and batching for.
   * @default - the TorchServe runtime's `modelVersion` ("1.0" unless set)
   */
  readonly version?: string;
}

/** Options for {@link ModelImage.fromModelDirectory}. */
export interface ModelDirectoryOptions {
  /**
   * The repository the image is pushed to, without a tag, e.g. `registry.example.com/ml/fraud`.
   * The tag is the content hash of the build context.
   */
  readonly repository: string;
  /**
   * The image to build FROM (pinned).
   * @default - the runtime's pinned server image; required for the custom runtime
   */
  readonly baseImage?: string;
  /**
   * Files of the model directory left out of the image, as paths relative to it or simple globs
   * (`*` within a segment, `**` across segments).
   * @default - nothing beyond `.git`, `__pycache__`, `*.pyc` and `.DS_Store`, which are always left out
   */
  readonly exclude?: string[];
  /**
   * Extra OCI labels.
   * @default - only the `org.opencontainers.image.*` labels modelship sets
   */
  readonly labels?: Record<string, string>;
  /**
   * TorchServe only: how to pack the `.mar` archive. Required for TorchServe.
   * @default - none
   */
  readonly archive?: TorchServeArchiveOptions;
  /**
   * TF Serving only: the version directory name to use when the directory is a single SavedModel
   * (`saved_model.pb` at its root) rather than a base path of version directories.
   * @default 1
   */
  readonly version?: number;
}
