/**
 * Fails the e2e run at once, with the fix, when scripts/e2e/setup.sh has not run: tools, the
 * suite's env file and the local base images must all be there.
 */
import { DEBIAN_BASE, E2E_CACHE_DIR, PYTHON_BASE, containerEnv, imageExists, runCommand } from './containers';

export default async function globalSetup(): Promise<void> {
  const fix = 'run `bash scripts/e2e/setup.sh` (as root) first';
  containerEnv(); // throws, with the fix, when setup.sh's env.sh is missing
  for (const tool of ['buildah', 'podman', 'skopeo']) {
    await runCommand(tool, ['--version'], { timeoutMs: 30_000 }).catch((err: Error) => {
      throw new Error(`e2e: ${tool} is not usable (${err.message.split('\n')[0]}): ${fix}`);
    });
  }
  for (const image of [DEBIAN_BASE, PYTHON_BASE]) {
    if (!(await imageExists(image))) throw new Error(`e2e: base image ${image} is missing from the suite's storage (cache ${E2E_CACHE_DIR}): ${fix}`);
  }
}
