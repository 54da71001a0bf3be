/**
 * Helpers of the Compose tests: render services through the core, turn them into a Compose
 * project, and check every generated file against the Compose specification's JSON schema.
 */
import * as path from 'path';
import { ModelImage, PortRole, Runtime, type ModelServiceProps, type RenderedModelService } from '../../../lib/core';
import { renderCompose, type ComposeOptions, type ComposeProject, type ComposeService } from '../../../lib/core/compose';
import { composeSchemaErrors } from './compose-schema';

/** The fixture model directories of the image-build tests (test/core/build/fixtures/models). */
export const MODELS = path.join(__dirname, '..', 'build', 'fixtures', 'models');

/** The pinned base the custom fixture image is built FROM. */
export const CUSTOM_BASE = 'python:3.12.8-slim-bookworm';

/** A custom runtime whose image is built from the fixture directory (the model is baked in). */
export function builtCustomProps(): ModelServiceProps {
  return {
    runtime: Runtime.custom({
      image: ModelImage.fromModelDirectory(path.join(MODELS, 'custom'), { repository: 'registry.example.com/ml/scorer', baseImage: CUSTOM_BASE }),
      command: ['python3', '/models/server.py'],
      ports: [
        { name: 'http', port: 8080 },
        { name: 'metrics', port: 9090, role: PortRole.METRICS },
      ],
    }),
  };
}

/** A TorchServe image built from the fixture directory (its config.properties is baked in). */
export function builtTorchServeProps(): ModelServiceProps {
  return {
    runtime: Runtime.torchServe({
      image: ModelImage.fromModelDirectory(path.join(MODELS, 'torchserve'), {
        repository: 'registry.example.com/ml/fraud',
        archive: { handler: 'handler.py', serializedFile: 'weights.pt', modelFile: 'model.py' },
      }),
    }),
  };
}

/** Renders a Compose project and fails the test unless it validates against the Compose schema. */
export function composeValid(services: readonly RenderedModelService[], options?: ComposeOptions): ComposeProject {
  const project = renderCompose(services, options);
  expect(composeSchemaErrors(project.compose)).toEqual([]);
  return project;
}

/** One Compose service; fails the test when it is missing. */
export function serviceOf(project: ComposeProject, name: string): ComposeService {
  const service = project.compose.services[name];
  expect(service).toBeDefined();
  return service!;
}
