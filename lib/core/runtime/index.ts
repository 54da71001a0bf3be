export * from './contract';
export * from './runtime';
export { bakesModel } from './model-and-image';
export type { TorchServeOptions } from './torchserve';
export { VersionPolicy } from './tfserving';
export type { TensorFlowServingOptions, TfServingBatchingOptions } from './tfserving';
export type { TritonOptions } from './triton';
export type { VllmOptions } from './vllm';
export type { CustomPort, CustomRuntimeOptions } from './custom';
