import { ModelArtifact } from '../artifact/artifact';
import { Problems } from '../errors';
import { checkImage, ModelImage } from '../image';

/** Whether `image` is built from a model directory, and so already holds the model. */
export function bakesModel(image: unknown): boolean {
  return image instanceof ModelImage && image.modelDirectory !== undefined;
}

/**
 * The model a runtime serves: the one its options name, or the one baked into an image built
 * from a model directory.
 */
export function effectiveModel(model: ModelArtifact | undefined, image: ModelImage | undefined): ModelArtifact | undefined {
  return model ?? (bakesModel(image) ? ModelArtifact.inImage() : undefined);
}

/**
 * Checks a runtime's `model` and `image` together: the model is required unless the image is
 * built from a model directory, in which case a second model would contradict it.
 *
 * @param required what to say when the model is missing; `undefined` when the runtime needs none
 */
export function checkModelAndImage(problems: Problems, model: unknown, image: unknown, required: string | undefined): void {
  checkImage(problems, 'image', image);
  if (bakesModel(image)) {
    if (model !== undefined) problems.add('model', model, `expected no model: the image built from ${JSON.stringify((image as ModelImage).modelDirectory!.directory)} already holds it`);
    return;
  }
  if (model === undefined) {
    if (required !== undefined) problems.add('model', model, `${required}, or an image built with ModelImage.fromModelDirectory(...)`);
  } else if (model instanceof ModelArtifact) {
    model.validate(problems, 'model');
  } else {
    problems.add('model', model, required ?? 'expected a ModelArtifact');
  }
}
