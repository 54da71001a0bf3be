import { IRuntime } from './contract';
import { CustomRuntime, CustomRuntimeOptions } from './custom';
import { TensorFlowServingOptions, TensorFlowServingRuntime } from './tfserving';
import { TorchServeOptions, TorchServeRuntime } from './torchserve';
import { TritonOptions, TritonRuntime } from './triton';
import { VllmOptions, VllmRuntime } from './vllm';

/** The model servers modelship knows. Each factory returns an {@link IRuntime}. */
export class Runtime {
  /** TorchServe serving a `.mar` archive. */
  public static torchServe(options: TorchServeOptions): IRuntime {
    return new TorchServeRuntime(options ?? ({} as TorchServeOptions));
  }
  /** TensorFlow Serving serving a SavedModel base path. */
  public static tensorflowServing(options: TensorFlowServingOptions): IRuntime {
    return new TensorFlowServingRuntime(options ?? ({} as TensorFlowServingOptions));
  }
  /** NVIDIA Triton Inference Server serving a model repository. */
  public static triton(options: TritonOptions): IRuntime {
    return new TritonRuntime(options ?? ({} as TritonOptions));
  }
  /** vLLM's OpenAI-compatible server for a large language model. */
  public static vllm(options: VllmOptions): IRuntime {
    return new VllmRuntime(options ?? ({} as VllmOptions));
  }
  /** Your own server image. */
  public static custom(options: CustomRuntimeOptions): IRuntime {
    return new CustomRuntime(options ?? ({} as CustomRuntimeOptions));
  }
  private constructor() {}
}
