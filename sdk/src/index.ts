// ca3-sdk: E2E-ConvA3 anomaly detection in WebAssembly, for browsers and Node.
//
// Everything runs in a worker (a Web Worker in browsers, worker_threads in Node) that the SDK
// starts itself, so a page never freezes while a model trains. The threaded wasm build is used
// when the page is cross-origin isolated (always in Node), the single-thread build otherwise.
//
//   import { createDetector, tableFromCsv } from 'ca3-sdk';
//   const detector = await createDetector({ preset: 'tabular' });
//   const report = await detector.fit(tableFromCsv(csvText, { labelColumn: 'Class', normalValues: ['benign'] }),
//                                     { epochs: 30, onProgress: (p) => console.log(p.epoch, p.loss) });
//   const scores = await detector.score(tableFromCsv(newRowsCsv));   // Float32Array, higher = more anomalous
//   const bytes = await detector.save();                             // a .ca3 model file
import type { Build, CallRequest, WorkerMessage } from './protocol.js';
import { PRESETS } from './presets.js';
import type { ImageSize } from './images.js';

export type { Build } from './protocol.js';
export { PRESETS } from './presets.js';
export * from './images.js';

// ---- public types -----------------------------------------------------------------------------

/** A CSV table, parsed by the core's own CSV parser (the one the `ca3` command line uses). */
export interface TableData {
  kind: 'table';
  csv: string;
  /** The column holding the labels; omit when every row is normal (synthetic anomalies are used). */
  labelColumn?: string;
  /** Label values meaning "normal" (every other value is an anomaly)... */
  normalValues?: string[];
  /** ...or the values meaning "anomaly" (every other value is normal). */
  anomalyValues?: string[];
  /** Columns to ignore (identifiers); columns named like "id" are dropped anyway. */
  idColumns?: string[];
}

/** Images as one Float32Array [count, height, width, channels] of values in [0, 1]. */
export interface ImageSetData {
  kind: 'images';
  images: Float32Array;
  /** 0 = normal, 1 = anomaly, one per image (needed to fit and to evaluate). */
  labels?: Int32Array | number[];
  /** The images' size: when given, images of another size than the model's are refused by name
   *  (without it, the pixel count only has to be a whole number of the model's images). */
  size?: ImageSize;
}

export type Dataset = TableData | ImageSetData;

export interface TrainProgress {
  stage: 'e2e' | 'target' | 'alarm';
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  /** True once per epoch, after validation (then validationAuc / validationLoss are set). */
  epochEnd: boolean;
  loss: number;
  reconstruction: number;
  kl: number;
  classification: number;
  validationAuc?: number | null;
  validationLoss?: number;
  samplesPerSecond: number;
}

export interface Confusion {
  true_positives: number;
  false_positives: number;
  true_negatives: number;
  false_negatives: number;
}

export interface Metrics {
  normal: number;
  anomalies: number;
  roc_auc: number | null;
  average_precision: number | null;
  threshold: number;
  confusion_matrix: Confusion;
  true_positive_rate: number;
  false_positive_rate: number;
  precision: number;
  f1: number;
}

export interface FitReport {
  /** True when the fit was cancelled: the detector kept its previous model. */
  cancelled: boolean;
  rows: { train: number; validation: number; test: number };
  synthetic_anomalies: number;
  epochs: number;
  best_epoch: number;
  seconds: number;
  samples_per_second: number;
  validation: Metrics;
  test: Metrics;
  dropped_columns?: string[];
}

export interface DetectorInfo {
  kind: 'image' | 'tabular';
  preset: Record<string, unknown>;
  trained: boolean;
  threshold: number;
  parameters?: number;
  /** One sample: [height, width, channels] or [features]. */
  input_shape?: number[];
  features?: string[];
  training?: FitReport;
  [key: string]: unknown;
}

export interface TensorData {
  values: Float32Array;
  shape: number[];
}

export interface ColumnSummary {
  name: string;
  numeric: boolean;
  missing: number;
  distinct: number;
  values: { value: string; count: number }[];
}

export interface FitOptions {
  /** Maximum epochs for this fit (the preset's `training.epochs` otherwise). */
  epochs?: number;
  /** Weight of the classification loss for this fit (the preset's `model.gamma` otherwise). */
  gamma?: number;
  /** Any other preset changes for this fit, e.g. { training: { patience: 3 } }. */
  presetChanges?: Record<string, unknown>;
  onProgress?: (progress: TrainProgress) => void;
  /** Aborting cancels the fit: fit() rejects with an Error named 'AbortError' and the detector
   *  keeps the model it had. */
  signal?: AbortSignal;
}

export interface RuntimeOptions {
  /** 'auto' (default): threads when crossOriginIsolated (always in Node), else single. */
  build?: Build | 'auto';
  /** Where ca3-<build>.js / .wasm are; default: the package's wasm/ folder. */
  wasmBaseUrl?: string | URL;
  /** Threads for the threaded build (default: the cores, at most 4). */
  threads?: number;
}

export interface DetectorOptions extends RuntimeOptions {
  /** A bundled preset name ('fashion-mnist', 'fashion-mnist-small', 'rgb-32', 'tabular') or a preset object. */
  preset?: string | Record<string, unknown>;
  /** Changes merged onto the preset, e.g. { model: { gamma: 1 } }. */
  changes?: Record<string, unknown>;
  /** Reuse a runtime (one worker) instead of the shared default one. */
  runtime?: Runtime;
}

// ---- helpers for data ---------------------------------------------------------------------------

/** A CSV table (text, or a File / Blob read as UTF-8) with its label settings. */
export function tableFromCsv(csv: string, labels?: Omit<TableData, 'kind' | 'csv'>): TableData {
  return { kind: 'table', csv, ...labels };
}

/** Reads a File or Blob as text (UTF-8). */
export async function readText(file: Blob): Promise<string> {
  return await file.text();
}

/** Images [count, height, width, channels] in [0, 1] with optional 0/1 labels and their size. */
export function imageSet(images: Float32Array, labels?: Int32Array | number[], size?: ImageSize): ImageSetData {
  return { kind: 'images', images, labels, size };
}

// ---- the runtime: one worker with the wasm module -----------------------------------------------

const isNode = typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: TrainProgress) => void;
}

interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): unknown;
  /** Node: keep the process alive while calls are pending, not while idle. */
  busy?(busy: boolean): void;
}

/** One worker holding the wasm module; detectors created through it live in that worker. */
export class Runtime {
  /** The wasm build in use. */
  readonly build: Build;
  /** Threads the kernels use. */
  readonly threads: number;
  private readonly worker: WorkerLike;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(worker: WorkerLike, build: Build, threads: number) {
    this.worker = worker;
    this.build = build;
    this.threads = threads;
  }

  static async start(options: RuntimeOptions = {}): Promise<Runtime> {
    const build = chooseBuild(options.build ?? 'auto');
    const wasmBaseUrl = new URL(options.wasmBaseUrl ?? new URL('../wasm/', import.meta.url), baseForRelative()).href;
    const worker = await spawnWorker();
    const handlers: { onMessage?: (m: WorkerMessage) => void } = {};
    const ready = new Promise<{ build: Build; threads: number }>((resolve, reject) => {
      handlers.onMessage = (m) => {
        if (m.type === 'ready') resolve(m);
        else if (m.type === 'init-error') reject(new Error(`CA3 could not start the ${build} build: ${m.message}`));
      };
      worker.onError((e) => reject(new Error(`the CA3 worker failed to start: ${e.message}`)));
    });
    worker.onMessage((m) => handlers.onMessage?.(m));
    worker.postMessage({ type: 'init', build, wasmBaseUrl, threads: options.threads });
    let info: { build: Build; threads: number };
    try {
      info = await ready;
    } catch (e) {
      worker.terminate();
      throw e;
    }
    const runtime = new Runtime(worker, info.build, info.threads);
    worker.busy?.(false);
    handlers.onMessage = (m) => runtime.onMessage(m);
    worker.onError((e) => runtime.failAll(new Error(`the CA3 worker failed: ${e.message}`)));
    return runtime;
  }

  /** Column names, types and most frequent values of a CSV table (the core's parser). */
  async describeCsv(csv: string): Promise<{ rows: number; columns: ColumnSummary[] }> {
    return (await this.call('describeCsv', [csv])) as { rows: number; columns: ColumnSummary[] };
  }

  async createDetector(options: Omit<DetectorOptions, 'runtime'> = {}): Promise<Detector> {
    const preset = resolvePreset(options.preset ?? 'tabular', options.changes);
    const { handle, info } = (await this.call('create', [JSON.stringify(preset)])) as { handle: number; info: DetectorInfo };
    return new Detector(this, handle, info);
  }

  /** A detector from the bytes of a .ca3 model file (saved by the SDK or the ca3 command line). */
  async loadDetector(bytes: Uint8Array | ArrayBuffer): Promise<Detector> {
    const copy = new Uint8Array(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));  // a copy (Buffer.slice would share)
    const { handle, info } = (await this.call('load', [copy], [copy.buffer])) as { handle: number; info: DetectorInfo };
    return new Detector(this, handle, info);
  }

  /** Stops the worker; detectors of this runtime stop working. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.failAll(new Error('the CA3 runtime has been closed'));
    if (this === defaultRuntimeValue) defaultRuntime = defaultRuntimeValue = undefined;
  }

  /** @internal */
  call(method: string, args: unknown[], transfer: Transferable[] = [], onProgress?: (p: TrainProgress) => void): Promise<unknown> & { id: number } {
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the CA3 runtime has been closed'));
      this.pending.set(id, { resolve, reject, onProgress });
      if (this.pending.size === 1) this.worker.busy?.(true);
      const request: CallRequest = { type: 'call', id, method, args };
      this.worker.postMessage(request, transfer);
    }) as Promise<unknown> & { id: number };
    promise.id = id;
    return promise;
  }

  /** @internal */
  cancel(id: number): void {
    if (!this.closed) this.worker.postMessage({ type: 'cancel', id });
  }

  private onMessage(m: WorkerMessage) {
    if (m.type === 'progress') {
      this.pending.get(m.id)?.onProgress?.(m.progress as TrainProgress);
      return;
    }
    if (m.type !== 'result' && m.type !== 'error') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker.busy?.(false);
    if (m.type === 'result') p.resolve(m.value);
    else p.reject(new Error(m.message));
  }

  private failAll(error: Error) {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.worker.busy?.(false);
  }
}

let defaultRuntime: Promise<Runtime> | undefined;
let defaultRuntimeValue: Runtime | undefined;

/** The shared runtime (started on first use with these options). */
export function getRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  if (!defaultRuntime) {
    defaultRuntime = Runtime.start(options).then((r) => (defaultRuntimeValue = r));
    defaultRuntime.catch(() => (defaultRuntime = undefined));
  }
  return defaultRuntime;
}

export async function createDetector(options: DetectorOptions = {}): Promise<Detector> {
  const runtime = options.runtime ?? (await getRuntime(options));
  return runtime.createDetector(options);
}

export async function loadDetector(bytes: Uint8Array | ArrayBuffer, options: RuntimeOptions & { runtime?: Runtime } = {}): Promise<Detector> {
  const runtime = options.runtime ?? (await getRuntime(options));
  return runtime.loadDetector(bytes);
}

/** Column names, types and frequent values of a CSV table, with the shared runtime. */
export async function describeCsv(csv: string, options: RuntimeOptions = {}) {
  return (await getRuntime(options)).describeCsv(csv);
}

// ---- the detector ----------------------------------------------------------------------------------

type ModelData = { csv: string } | { inputs: Float32Array };

/** A detector living in a runtime's worker. Calls queue in order; a fit can be cancelled. */
export class Detector {
  private disposed = false;

  /** @internal */
  constructor(
    readonly runtime: Runtime,
    private readonly handle: number,
    private lastInfo: DetectorInfo,
  ) {}

  get kind(): 'image' | 'tabular' {
    return this.lastInfo.kind;
  }
  /** The alarm threshold: a score >= threshold is flagged. */
  get threshold(): number {
    return this.lastInfo.threshold;
  }
  get trained(): boolean {
    return this.lastInfo.trained;
  }
  /** Shape of one input sample: [height, width, channels] or [features] (known once trained). */
  get inputShape(): number[] | undefined {
    return this.lastInfo.input_shape;
  }

  async info(): Promise<DetectorInfo> {
    this.lastInfo = (await this.call('info', [])) as DetectorInfo;
    return this.lastInfo;
  }

  /** Trains with the paper's protocol (8:1:1 split, early stopping, threshold on validation). */
  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    const changes: Record<string, any> = structuredClone(options.presetChanges ?? {});
    if (options.epochs !== undefined) changes.training = { ...(changes.training ?? {}), epochs: options.epochs };
    if (options.gamma !== undefined) changes.model = { ...(changes.model ?? {}), gamma: options.gamma };
    const changesJson = Object.keys(changes).length ? JSON.stringify(changes) : '';
    if (options.signal?.aborted) throw abortError(options.signal);
    let call: Promise<unknown> & { id: number };
    if (data.kind === 'table') {
      const tableOptions: Record<string, unknown> = {};
      if (data.labelColumn !== undefined) tableOptions.labelColumn = data.labelColumn;
      if (data.normalValues) tableOptions.normalValues = data.normalValues;
      if (data.anomalyValues) tableOptions.anomalyValues = data.anomalyValues;
      if (data.idColumns) tableOptions.idColumns = data.idColumns;
      call = this.call('fitTable', [data.csv, JSON.stringify(tableOptions), changesJson], [], options.onProgress);
    } else {
      if (!data.labels) throw new Error('fitting images needs labels (0 = normal, 1 = anomaly), one per image');
      this.checkImageSize(data);
      const images = data.images.slice();
      const labels = Int32Array.from(data.labels);
      call = this.call('fitImages', [images, labels, changesJson], [images.buffer, labels.buffer], options.onProgress);
    }
    const onAbort = () => this.runtime.cancel(call.id);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const report = (await call) as FitReport;
      if (report.cancelled) {
        const error = new Error('the fit was cancelled; the detector keeps its previous model') as Error & { report: FitReport };
        error.name = 'AbortError';
        error.report = report;
        throw error;
      }
      await this.info();
      return report;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Anomaly scores, one per row / image (higher = more anomalous). */
  async score(data: Dataset | Float32Array): Promise<Float32Array> {
    return (await this.call('score', [this.modelData(data)])) as Float32Array;
  }

  /** ROC-AUC, average precision and the confusion matrix at the threshold. Tables use the label
   *  column the model was trained with; images need labels. */
  async evaluate(data: Dataset): Promise<Metrics> {
    if (data.kind === 'table') return (await this.call('evaluateTable', [data.csv])) as Metrics;
    if (!data.labels) throw new Error('evaluating images needs labels (0 = normal, 1 = anomaly)');
    const scores = await this.score(data);
    return (await this.call('evaluate', [scores, Int32Array.from(data.labels)])) as Metrics;
  }

  /** The 0/1 labels of a table under the label settings the model was trained with. */
  async labels(data: TableData): Promise<Int32Array> {
    return (await this.call('labels', [data.csv])) as Int32Array;
  }

  /** A table's rows as model inputs [rows, features] (after the fitted preprocessing). */
  async prepare(data: TableData): Promise<TensorData> {
    return (await this.call('prepare', [data.csv])) as TensorData;
  }

  /** The CSV text with `score` and `flag` columns added. */
  async scoredCsv(data: TableData): Promise<string> {
    return (await this.call('scoredCsv', [data.csv])) as string;
  }

  /** The target network's reconstruction of each sample, with the model inputs it started from. */
  async reconstruct(data: Dataset | Float32Array): Promise<TensorData & { inputs: Float32Array }> {
    return (await this.call('reconstruct', [this.modelData(data)])) as TensorData & { inputs: Float32Array };
  }

  /** What the alarm network reads: the encoder's activations pooled to one size and stacked,
   *  [count, h, w, C] or [count, l, C]; layerChannels says how many of C each layer gives. */
  async activations(data: Dataset | Float32Array): Promise<TensorData & { layerChannels: number[] }> {
    return (await this.call('activations', [this.modelData(data)])) as TensorData & { layerChannels: number[] };
  }

  /** Attribution of the score to each input value (gradient × input), shaped like the inputs. */
  async explain(data: Dataset | Float32Array): Promise<TensorData> {
    return (await this.call('explain', [this.modelData(data)])) as TensorData;
  }

  async setThreshold(threshold: number): Promise<void> {
    await this.call('setThreshold', [threshold]);
    await this.info();
  }

  /** The model file (.ca3) as bytes; loadDetector() or `ca3 score --model` read it. */
  async save(): Promise<Uint8Array> {
    return (await this.call('save', [])) as Uint8Array;
  }

  /** Frees the detector's memory in the worker. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.runtime.call('dispose', [this.handle]);
  }

  private call(method: string, args: unknown[], transfer: Transferable[] = [], onProgress?: (p: TrainProgress) => void) {
    if (this.disposed) {
      const p = Promise.reject(new Error('this detector has been disposed')) as Promise<unknown> & { id: number };
      p.id = -1;
      return p;
    }
    return this.runtime.call(method, [this.handle, ...args], transfer, onProgress);
  }

  private modelData(data: Dataset | Float32Array): ModelData {
    if (data instanceof Float32Array) return { inputs: data };
    if (data.kind === 'table') return { csv: data.csv };
    this.checkImageSize(data);
    return { inputs: data.images };
  }

  private checkImageSize(data: ImageSetData) {
    const shape = this.inputShape;
    if (!data.size || !shape || shape.length !== 3) return;
    const { height, width, channels } = data.size;
    if (height !== shape[0] || width !== shape[1] || channels !== shape[2])
      throw new Error(`the images are ${height}x${width}x${channels}, the model takes ${shape.join('x')}`);
    if (data.images.length % (height * width * channels) !== 0)
      throw new Error(`${data.images.length} values are not a whole number of ${height}x${width}x${channels} images`);
  }
}

// ---- internals ----------------------------------------------------------------------------------

function chooseBuild(build: Build | 'auto'): Build {
  if (build === 'threads' || build === 'single') return build;
  if (isNode) return 'threads';
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ? 'threads' : 'single';
}

function baseForRelative(): string {
  const location = (globalThis as { location?: { href: string } }).location;
  return location?.href ?? import.meta.url;
}

function resolvePreset(preset: string | Record<string, unknown>, changes?: Record<string, unknown>) {
  let base: Record<string, unknown>;
  if (typeof preset === 'string') {
    const found = PRESETS[preset];
    if (!found) throw new Error(`unknown preset '${preset}' (bundled: ${Object.keys(PRESETS).join(', ')})`);
    base = structuredClone(found);
  } else {
    base = structuredClone(preset);
  }
  return changes ? mergePatch(base, changes) : base;
}

function mergePatch(target: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  for (const [key, value] of Object.entries(patch)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && target[key] && typeof target[key] === 'object')
      target[key] = mergePatch(target[key], value);
    else target[key] = value;
  }
  return target;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the fit was aborted');
}

interface SpawnedWorker extends WorkerLike {
  onMessage(handler: (m: WorkerMessage) => void): void;
  onError(handler: (e: Error) => void): void;
}

async function spawnWorker(): Promise<SpawnedWorker> {
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(new URL('./worker-node.cjs', import.meta.url));
    return {
      postMessage: (m, t) => worker.postMessage(m, (t ?? []) as never),
      busy: (busy) => (busy ? worker.ref() : worker.unref()),
      terminate: () => worker.terminate(),
      onMessage: (h) => worker.on('message', h),
      onError: (h) => worker.on('error', h),
    };
  }
  const worker = new Worker(new URL('./worker.js', import.meta.url));
  return {
    postMessage: (m, t) => worker.postMessage(m, t ?? []),
    terminate: () => worker.terminate(),
    onMessage: (h) => worker.addEventListener('message', (e) => h(e.data as WorkerMessage)),
    onError: (h) => worker.addEventListener('error', (e) => h(new Error(e.message || 'worker error'))),
  };
}
