import { App } from 'cdk8s';

/**
 * Wraps a synth-time writer so it runs once per synth. cdk8s validates the whole app when it
 * synthesizes and again for every chart it serializes (`Chart.toJson` validates the app), so
 * a validation hook that writes files would write them once per chart, plus one. The writer
 * runs again only when the construct tree has changed since its last run.
 */
export function oncePerSynth(app: App, write: () => string[]): () => string[] {
  let lastSize: number | undefined;
  let lastErrors: string[] = [];
  return () => {
    const size = app.node.findAll().length;
    if (size !== lastSize) {
      lastErrors = write();
      lastSize = size;
    }
    return lastErrors;
  };
}
