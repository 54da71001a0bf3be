import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/**
 * HiGHS, called synchronously.
 *
 * The `highs` package is WebAssembly whose loader is asynchronous, but a cdk8s synth is not: the
 * plan must be computed inside a synchronous call. So HiGHS runs in a worker thread and the
 * caller blocks on `Atomics.wait` until the worker has posted the answer on a MessagePort,
 * which it then reads with `receiveMessageOnPort` (no event loop turn needed). The worker is
 * created on first use and kept (unref'd, so it never holds the process open): the first
 * solve pays for starting it and compiling the WebAssembly (about 200 ms on the 2-core bench
 * machine), later ones only the solve and two message copies (a 1-variable LP round trip takes
 * about 1 ms, a 2-variable MIP 4 ms). A child process per solve (`spawnSync`) would pay a
 * Node start and the WebAssembly compile every time: 160 ms on a quiet machine, 900 ms on a
 * busy one.
 *
 * The worker's source is a string (evaluated as CommonJS) rather than a file, so the same code
 * works from ts-node, jest and the compiled package; it loads `highs` from the path this
 * module resolves.
 */

/** What HiGHS answered: its status and, when it found one, the solution's column values. */
export interface HighsAnswer {
  /** HiGHS's model status, e.g. `Optimal`, `Infeasible`, `Time limit reached`. */
  readonly status: string;
  readonly objective?: number;
  readonly columns: Readonly<Record<string, number>>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
let solver;
// The signal of the solve under way: a worker that stops mid-solve wakes its caller at once.
let pending;
process.on('exit', () => {
  if (pending) {
    Atomics.store(pending, 0, 2);
    Atomics.notify(pending, 0);
  }
});
const STATUS = { 7: 'Optimal', 8: 'Infeasible', 13: 'Time limit reached', 14: 'Iteration limit reached', 16: 'Solution limit reached' };
function warmStarted(lp, options, start) {
  const model = solver.createModel({ format: 'lp', data: lp });
  try {
    model.options.set(options);
    const names = Object.keys(start);
    const indices = names.map((name) => model.getColByName(name));
    model.setSolution({ indices, values: names.map((name) => start[name]) });
    model.run();
    const status = model.getModelStatus();
    const value = model.getSolution().colValue;
    const columns = {};
    names.forEach((name, k) => (columns[name] = value[indices[k]]));
    return { status: STATUS[status] || 'status ' + status, objective: model.getObjectiveValue(), columns };
  } finally {
    model.dispose();
  }
}
parentPort.on('message', async ({ lp, options, start, signal, port }) => {
  pending = signal;
  let reply;
  try {
    // Loaded here, not at the top, so that a missing or broken highs is an answer, not a dead worker.
    solver = solver || (await require(workerData.highsPath)());
    if (start) reply = warmStarted(lp, options, start);
    else {
      const r = solver.solve(lp, options);
      const columns = {};
      for (const [name, c] of Object.entries(r.Columns || {})) columns[name] = c.Primal;
      reply = { status: r.Status, objective: r.ObjectiveValue, columns };
    }
  } catch (e) {
    reply = { error: String((e && e.message) || e) };
  }
  port.postMessage(reply);
  port.close();
  pending = undefined;
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

let worker: Worker | undefined;

function solverThread(): Worker {
  if (!worker) {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { highsPath: require.resolve('highs') } });
    w.unref();
    // A worker that dies wakes the call waiting on it (see WORKER_SOURCE), which replaces it.
    w.on('error', () => undefined);
    w.on('exit', () => {
      if (worker === w) worker = undefined;
    });
    worker = w;
  }
  return worker;
}

/** Time allowed, beyond HiGHS's own limit, for starting the worker and loading HiGHS. */
const STARTUP_ALLOWANCE_MS = 30_000;

/**
 * Solves a model in CPLEX LP format with HiGHS and returns its answer, blocking until then.
 * `start`, a feasible solution (column name → value), lets a MIP stop at a limit with nothing
 * worse; `options` are further HiGHS options (with a start only, e.g. `mip_max_nodes`). Throws when HiGHS cannot run (it is missing, or the worker died or hung); an
 * infeasible or time-limited model is an answer, not an error.
 */
export function solveLpSync(lp: string, timeLimitSeconds: number, start?: Readonly<Record<string, number>>, options: Readonly<Record<string, number | string>> = {}): HighsAnswer {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const thread = solverThread();
  try {
    thread.postMessage({ lp, options: { ...options, output_flag: false, time_limit: timeLimitSeconds }, start, signal, port: port2 }, [port2]);
    const waited = Atomics.wait(signal, 0, 0, timeLimitSeconds * 1000 + STARTUP_ALLOWANCE_MS);
    const message = receiveMessageOnPort(port1)?.message as (HighsAnswer & { error?: string }) | undefined;
    if (waited === 'timed-out' || !message) {
      void thread.terminate();
      worker = undefined;
      throw new Error(waited === 'timed-out' ? `HiGHS gave no answer within ${timeLimitSeconds} s plus ${STARTUP_ALLOWANCE_MS / 1000} s to start` : 'HiGHS stopped without an answer (its worker thread exited)');
    }
    if (message.error !== undefined) throw new Error(`HiGHS failed: ${message.error}`);
    return message;
  } finally {
    port1.close();
  }
}
