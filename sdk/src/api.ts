// ca3-sdk's API, the same in browsers and Node: the entry points (browser.ts, node.ts) give it
// the platform -- how to start the worker and where the package's wasm files are.
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
import type { Build, CallRequest, ModuleFiles, WorkerMessage } from './protocol.js';
import { PRESETS } from './presets.js';
import type { ImageDataLike, ImageInputs, ImageSize } from './images.js';
import type {
  CsvSummary, DetectorInfo, ErrorCode, ErrorInfo, FitReport, Metrics, Preset, PresetChanges, PresetName, TableOptions,
  RowExplanation, RowToCheck, TensorData, TrainProgress,
} from './wire.js';

export type { Build } from './protocol.js';
export type * from './wire.js';
export { PRESETS } from './presets.js';
export * from './images.js';

// ---- errors -----------------------------------------------------------------------------------

/** Every error the SDK throws: `code` says what kind of problem it is (see ErrorCode), the
 *  message names it and how to fix it. A cancelled fit throws one with code 'cancelled' and
 *  name 'AbortError'. */
export class CA3Error extends Error {
  readonly code: ErrorCode;
  /** The report of a cancelled fit. */
  report?: FitReport;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = code === 'cancelled' ? 'AbortError' : 'CA3Error';
  }
  static from(info: ErrorInfo): CA3Error {
    return new CA3Error(info.code, info.message);
  }
}
// The name stack traces show, whatever a bundler renames the class to.
Object.defineProperty(CA3Error.prototype, 'name', { value: 'CA3Error', writable: true, configurable: true });

// ---- public types -----------------------------------------------------------------------------

/** How to read a CSV where its cells cannot tell (describeCsv, scoreStream): as TableOptions.decimalMark. */
export type CsvReadOptions = Pick<TableOptions, 'decimalMark'>;

/** A CSV table, parsed by the core's own CSV parser (the one the `ca3` command line uses): its
 *  text, or its bytes (a File's arrayBuffer()) -- then the core decodes them, reading UTF-16 and
 *  Windows-1252 files too. */
export interface TableData extends TableOptions {
  kind: 'table';
  csv: string | Uint8Array;
}

/** Images as one Float32Array [count, height, width, channels] of values in [0, 1]. */
export interface ImageSetData {
  kind: 'images';
  images: Float32Array;
  /** 0 = normal, 1 = anomaly, one per image (needed to evaluate). Without them a fit takes every
   *  image as normal (one-class: the alarm learns from synthetic anomalies). */
  labels?: Int32Array | number[];
  /** The images' size: when given, images of another size than the model's are refused by name
   *  (without it, the pixel count only has to be a whole number of the model's images). */
  size?: ImageSize;
}

export type Dataset = TableData | ImageSetData;

export interface FitOptions {
  /** Maximum epochs for this fit (the preset's `training.epochs` otherwise). */
  epochs?: number;
  /** Weight of the classification loss for this fit (the preset's `model.gamma` otherwise). */
  gamma?: number;
  /** Any other preset changes for this fit, e.g. { training: { patience: 3 } }; null restores a
   *  key's default. */
  presetChanges?: PresetChanges;
  onProgress?: (progress: TrainProgress) => void;
  /** Aborting cancels the fit: fit() rejects with a CA3Error (code 'cancelled', name
   *  'AbortError') and the detector keeps the model it had. */
  signal?: AbortSignal;
}

export interface RuntimeOptions {
  /** 'auto' (default): threads when crossOriginIsolated (always in Node), else single. */
  build?: Build | 'auto';
  /** Where ca3-<build>.js / .wasm are; default: the package's wasm/ folder. */
  wasmBaseUrl?: string | URL;
  /** Threads computing in the threads build (default: the cores, at most 4): the SDK's worker and
   *  threads - 1 pthread workers. The single-thread build computes on one; `threads: 1` with build
   *  'auto' picks it. */
  threads?: number;
}

export interface DetectorOptions extends RuntimeOptions {
  /** A bundled preset's name or a preset object. Default 'tabular'. */
  preset?: PresetName | Preset;
  /** Changes merged onto the preset, e.g. { model: { gamma: 1 } }; null restores a key's default. */
  changes?: PresetChanges;
  /** Reuse a runtime (one worker) instead of the shared default one. */
  runtime?: Runtime;
}

// ---- helpers for data ---------------------------------------------------------------------------

/** A CSV table (text, or the file's bytes) with its label settings. Throws CA3Error 'bad_input'
 *  for anything else (a File or Blob: read it first, `new Uint8Array(await file.arrayBuffer())`),
 *  an unknown option, or label values without `labelColumn`. */
export function tableFromCsv(csv: string | Uint8Array | ArrayBuffer, options?: TableOptions): TableData {
  if (csv instanceof ArrayBuffer) csv = new Uint8Array(csv);
  if (typeof csv !== 'string' && !(csv instanceof Uint8Array))
    throw new CA3Error('bad_input', `tableFromCsv takes the CSV's text or bytes, not ${describeValue(csv)}` +
      (typeof Blob !== 'undefined' && (csv as unknown) instanceof Blob ? ': read the file first, new Uint8Array(await file.arrayBuffer())' : ''));
  checkKeys(options ?? {}, ['labelColumn', 'normalValues', 'anomalyValues', 'idColumns', 'roles', 'decimalMark'], 'table option');
  if (!options?.labelColumn && (options?.normalValues || options?.anomalyValues))
    throw new CA3Error('bad_input', `${options?.normalValues ? 'normalValues' : 'anomalyValues'} needs labelColumn: the ` +
      'column whose values it names (without labelColumn every row is taken as normal)');
  return { kind: 'table', csv, ...options };
}

/** Reads a File or Blob as text (UTF-8). */
export async function readText(file: Blob): Promise<string> {
  return await file.text();
}

/** Images [count, height, width, channels] in [0, 1] with optional 0/1 labels and their size. */
export function imageSet(images: Float32Array, labels?: Int32Array | number[], size?: ImageSize): ImageSetData {
  return { kind: 'images', images, labels, size };
}

/** How a row's like rows themselves score against `threshold` (the detector's, or one picked on a
 *  slider): `'over'` it, or `'near'` it (the row flagged, its like rows within 1 in log-odds below
 *  the threshold and the row within 1 above them: odds at least 1/e of the other's). Either way
 *  rows of its kind score high (few training rows are like them), and its columns' contributions
 *  say only how far beyond its kind the row lies: worth saying before them. `'apart'`: neither, or
 *  compared with the typical row (`likeRows` 0). `ca3 score --why` decides the same. */
export function likeRowsScore(e: Pick<RowExplanation, 'likeRows' | 'score' | 'baselineScore'>, threshold: number): 'over' | 'near' | 'apart' {
  if (!e.likeRows) return 'apart';
  if (e.baselineScore >= threshold) return 'over';
  const logOdds = (p: number) => { const q = Math.min(Math.max(p, 1e-7), 1 - 1e-7); return Math.log(q / (1 - q)); };
  return e.score >= threshold && logOdds(e.baselineScore) >= logOdds(threshold) - 1 && logOdds(e.score) - logOdds(e.baselineScore) < 1
    ? 'near' : 'apart';
}

// ---- the runtime: one worker with the wasm module -----------------------------------------------

/** @internal What differs between browsers and Node: set once by the entry point. */
export interface Platform {
  /** Whether shared memory (the threads build) is available: cross-origin isolated, or Node. */
  isolated(): boolean;
  spawnWorker(): Promise<SpawnedWorker>;
  /** The package's own files of a build, as URLs written so that bundlers see and copy them. */
  moduleFiles(build: Build): ModuleFiles;
  /** What a relative wasmBaseUrl is relative to: the page, or the working directory. */
  baseUrl(): string;
}
let platform: Platform;
/** @internal */
export function setPlatform(p: Platform) {
  platform = p;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: TrainProgress) => void;
}

/** @internal */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): unknown;
  /** Node: keep the process alive while calls are pending, not while idle. */
  busy?(busy: boolean): void;
}

type Call = Promise<unknown> & { id: number };

/** One worker holding the wasm module; detectors created through it live in that worker. */
export class Runtime {
  /** The wasm build in use. */
  readonly build: Build;
  /** Threads the kernels use at most: the SDK's worker and `pthreadWorkers` more. Small models
   *  use fewer where threads would not pay off (core/engine/kernels/xnnpack.cpp). */
  readonly threads: number;
  /** The pthread workers the wasm module started (threads - 1, at least 1; 0 in the single-thread build). */
  readonly pthreadWorkers: number;
  /** The options it was started with (the shared runtime refuses other ones). */
  readonly options: RuntimeOptions;
  private readonly worker: WorkerLike;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(worker: WorkerLike, build: Build, threads: number, pthreadWorkers: number, options: RuntimeOptions) {
    this.worker = worker;
    this.build = build;
    this.threads = threads;
    this.pthreadWorkers = pthreadWorkers;
    this.options = options;
  }

  static async start(options: RuntimeOptions = {}): Promise<Runtime> {
    // One thread asked for: the single-thread build does the same work without shared memory.
    const build = chooseBuild(options.build ?? (options.threads === 1 ? 'single' : 'auto'));
    if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1 && options.threads <= 64))
      throw new CA3Error('bad_input', `threads must be a whole number from 1 to 64, got ${options.threads}`);
    if (options.build === 'single' && options.threads !== undefined && options.threads > 1)
      throw new CA3Error('bad_input', `the single-thread build computes on one thread (asked: threads ${options.threads}); use build 'threads' or 'auto'`);
    const files = options.wasmBaseUrl === undefined ? platform.moduleFiles(build) : filesIn(directoryUrl(options.wasmBaseUrl), build);
    const worker = await platform.spawnWorker();
    const handlers: { onMessage?: (m: WorkerMessage) => void } = {};
    const ready = new Promise<{ build: Build; threads: number; pthreadWorkers: number }>((resolve, reject) => {
      handlers.onMessage = (m) => {
        if (m.type === 'ready') resolve(m);
        else if (m.type === 'init-error')
          reject(new CA3Error(m.error.code, `CA3 could not start the ${build} build: ${m.error.message}`));
      };
      worker.onError((e) => reject(new CA3Error('unsupported_environment', `the CA3 worker failed to start: ${e.message}`)));
    });
    worker.onMessage((m) => handlers.onMessage?.(m));
    worker.postMessage({ type: 'init', build, files, threads: options.threads });
    let info: { build: Build; threads: number; pthreadWorkers: number };
    try {
      info = await ready;
    } catch (e) {
      worker.terminate();
      throw e;
    }
    const runtime = new Runtime(worker, info.build, info.threads, info.pthreadWorkers, options);
    worker.busy?.(false);
    handlers.onMessage = (m) => runtime.onMessage(m);
    worker.onError((e) => runtime.failAll(new CA3Error('internal', `the CA3 worker failed: ${e.message}`)));
    return runtime;
  }

  /** How a CSV table reads: encoding, separator, number format, and per column its type, role,
   *  missing cells and most frequent values (the core's parser); `read.decimalMark` as in
   *  TableOptions. */
  async describeCsv(csv: string | Uint8Array, read: CsvReadOptions = {}): Promise<CsvSummary> {
    checkKeys(read, ['decimalMark'], 'CSV reading option');
    return (await this.call(0, 'describeCsv', [csv, read])) as CsvSummary;
  }

  /** Browser: image files decoded (in the worker) and turned into model inputs of `size` by the
   *  core's image rule (see images.ts); a file that is not an image, or too large, is refused by name. */
  async imagesFromFiles(files: ArrayLike<Blob>, size: ImageSize): Promise<ImageInputs> {
    const list = Array.from(files);
    const names = list.map((f, i) => (f as File).name ?? `image ${i + 1}`);
    return (await this.call(0, 'decodeImages', [list, names, size])) as ImageInputs;
  }

  /** RGBA pixels (ImageData-like) turned into model inputs of `size` by the core's image rule. */
  async imagesToInputs(images: ImageDataLike[], size: ImageSize): Promise<ImageInputs> {
    return (await this.call(0, 'imagesToInputs', [images, size])) as ImageInputs;
  }

  /** Which of n images (model inputs [n, height, width, channels], as imagesFromFiles gives them)
   *  are the same as the model reads them, in words, naming the first pairs by `names`; '' when all
   *  differ. A copy held out for validation beside its twin in training flatters the validation
   *  figures, and one or two distinct pictures teach nothing (the same check as `ca3 train`). */
  async imageCopiesNote(inputs: Float32Array, names: string[], size: ImageSize): Promise<string> {
    return (await this.call(0, 'imageCopiesNote', [inputs, names, size])) as string;
  }

  /** What fitting images of these decoded `sizes` (and GIF `frames`, as imagesFromFiles gives
   *  them) to the model's `size` does, in words, naming images by `names`: the size range, centre
   *  crops (and those keeping less than half of the picture), enlargements, animated GIFs read as
   *  their first frame (the same words as `ca3 train`). */
  async imageFitNote(sizes: { width: number; height: number }[], frames: number[], names: string[], size: ImageSize): Promise<string> {
    return (await this.call(0, 'imageFitNote', [sizes, frames, names, size])) as string;
  }

  async createDetector(options: Omit<DetectorOptions, 'runtime' | keyof RuntimeOptions> = {}): Promise<Detector> {
    const preset = resolvePreset(options.preset ?? 'tabular', options.changes);
    const { handle, info } = (await this.call(0, 'create', [JSON.stringify(preset)])) as { handle: number; info: DetectorInfo };
    return new Detector(this, handle, info);
  }

  /** A detector from the bytes of a .ca3 model file (saved by the SDK or the ca3 command line). */
  async loadDetector(bytes: Uint8Array | ArrayBuffer): Promise<Detector> {
    const copy = new Uint8Array(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));  // a copy (Buffer.slice would share)
    const { handle, info } = (await this.call(0, 'load', [copy], [copy.buffer])) as { handle: number; info: DetectorInfo };
    return new Detector(this, handle, info);
  }

  /** Stops the worker: running fits stop, pending calls reject (code 'disposed'), detectors of
   *  this runtime stop working. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.failAll(new CA3Error('disposed', 'the CA3 runtime has been closed'));
    if (this === defaultRuntimeValue) defaultRuntime = defaultRuntimeValue = undefined;
  }

  /** @internal */
  call(handle: number, method: string, args: unknown[], transfer: Transferable[] = [],
       onProgress?: (p: TrainProgress) => void): Call {
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => {
      if (this.closed) return reject(new CA3Error('disposed', 'the CA3 runtime has been closed'));
      this.pending.set(id, { resolve, reject, onProgress });
      if (this.pending.size === 1) this.worker.busy?.(true);
      const request: CallRequest = { type: 'call', id, handle, method, args };
      this.worker.postMessage(request, transfer);
    }) as Call;
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
    else p.reject(CA3Error.from(m.error));
  }

  private failAll(error: Error) {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.worker.busy?.(false);
  }
}

let defaultRuntime: Promise<Runtime> | undefined;
let defaultRuntimeValue: Runtime | undefined;
let defaultRuntimeOptions: RuntimeOptions | undefined;

/** The shared runtime, started on first use with these options. Asking for it again with other
 *  options (another build, thread count or wasm location) throws: start your own with
 *  Runtime.start(options), or close the shared one first. */
export function getRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  if (defaultRuntime) {
    const conflict = conflictingOption(defaultRuntimeOptions ?? {}, options);
    if (conflict)
      return Promise.reject(new CA3Error('bad_input', `the shared CA3 runtime already runs with ${conflict}: pass ` +
        'the same options, close it first (runtime.close()), or start another one with Runtime.start(options)'));
    return defaultRuntime;
  }
  defaultRuntimeOptions = options;
  defaultRuntime = Runtime.start(options).then((r) => (defaultRuntimeValue = r));
  defaultRuntime.catch(() => (defaultRuntime = undefined));
  return defaultRuntime;
}

export async function createDetector(options: DetectorOptions = {}): Promise<Detector> {
  const runtime = options.runtime ?? (await getRuntime(runtimeOptionsOf(options)));
  return runtime.createDetector(options);
}

export async function loadDetector(bytes: Uint8Array | ArrayBuffer, options: RuntimeOptions & { runtime?: Runtime } = {}): Promise<Detector> {
  const runtime = options.runtime ?? (await getRuntime(runtimeOptionsOf(options)));
  return runtime.loadDetector(bytes);
}

/** Image files -> model inputs (see Runtime.imagesFromFiles), with the shared runtime. */
export async function imagesFromFiles(files: ArrayLike<Blob>, size: ImageSize, options: RuntimeOptions = {}): Promise<ImageInputs> {
  return (await getRuntime(options)).imagesFromFiles(files, size);
}

/** RGBA pixels -> model inputs (see Runtime.imagesToInputs), with the shared runtime. */
export async function imagesToInputs(images: ImageDataLike[], size: ImageSize, options: RuntimeOptions = {}): Promise<ImageInputs> {
  return (await getRuntime(options)).imagesToInputs(images, size);
}

/** Column names, types and frequent values of a CSV table, with the shared runtime. */
export async function describeCsv(csv: string | Uint8Array, options: RuntimeOptions & CsvReadOptions = {}): Promise<CsvSummary> {
  const { decimalMark, ...runtime } = options;
  return (await getRuntime(runtime)).describeCsv(csv, decimalMark === undefined ? {} : { decimalMark });
}

// ---- the detector ----------------------------------------------------------------------------------

type ModelData = { csv: string | Uint8Array; options?: TableOptions } | { inputs: Float32Array; labels?: Int32Array };

/** A detector living in a runtime's worker. Its calls run in order; a fit can be cancelled. */
export class Detector {
  private disposed = false;
  private readonly fits = new Set<number>();
  /** What scoring the last stream that ran to its end decided, in words, as scoringNotes() says it
   *  of a file (rows not scored, missing cells filled in, cells that cannot be read read as
   *  missing, values far outside training...); [] before. Set when scoreStream ends. */
  streamNotes: string[] = [];
  /** The rows those notes ask to look at whatever their score, as rowsToCheck() gives them of a
   *  file (`row` counts the stream's rows from 0, as its scores come); [] before. Set when
   *  scoreStream ends. */
  streamRowsToCheck: RowToCheck[] = [];

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
    return this.lastInfo.inputShape;
  }

  async info(): Promise<DetectorInfo> {
    this.lastInfo = (await this.call('info', [])) as DetectorInfo;
    return this.lastInfo;
  }

  /** Trains with the paper's protocol (8:1:1 split, early stopping, threshold on validation). */
  async fit(data: Dataset, options: FitOptions = {}): Promise<FitReport> {
    checkDataset(data, 'fit');
    checkKeys(options, ['epochs', 'gamma', 'presetChanges', 'onProgress', 'signal'], 'fit option');
    const changes: Record<string, any> = structuredClone(options.presetChanges ?? {});
    if (options.epochs !== undefined) changes.training = { ...(changes.training ?? {}), epochs: options.epochs };
    if (options.gamma !== undefined) changes.model = { ...(changes.model ?? {}), gamma: options.gamma };
    const changesJson = Object.keys(changes).length ? JSON.stringify(changes) : '';
    if (options.signal?.aborted) throw cancelledError(options.signal);
    let call: Call;
    if (data.kind === 'table') {
      call = this.call('fit', [{ csv: data.csv, options: tableOptionsOf(data) }, changesJson], [], options.onProgress);
    } else {
      this.checkImageSize(data);
      const inputs = data.images.slice();
      // Without labels every image is normal (one-class), as every row of a table without labelColumn.
      const labels = data.labels ? Int32Array.from(data.labels) : new Int32Array(this.imageCount(inputs));
      call = this.call('fit', [{ inputs, labels }, changesJson], [inputs.buffer, labels.buffer], options.onProgress);
    }
    this.fits.add(call.id);
    const onAbort = () => this.runtime.cancel(call.id);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const report = (await call) as FitReport;
      if (report.cancelled) {
        const error = new CA3Error('cancelled', this.disposed ? 'the fit was cancelled: the detector was disposed'
          : 'the fit was cancelled; the detector keeps its previous model');
        error.report = report;
        throw error;
      }
      await this.info();
      return report;
    } finally {
      this.fits.delete(call.id);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Anomaly scores, one per row / image (higher = more anomalous; flagged at `threshold` and
   *  above). NaN for a table row that holds no sample: a group's heading line, a totals or
   *  averages row (found as training finds them; scoringNotes() says which). */
  async score(data: Dataset | Float32Array): Promise<Float32Array> {
    return (await this.call('score', [this.modelData(data)])) as Float32Array;
  }

  /** Scores CSV rows as they arrive, in constant memory: `source` gives the CSV in pieces (text,
   *  or bytes in any encoding the core reads) cut anywhere; yields the scores of each batch of
   *  whole rows (4,096 at a time), in order, NaN as score() gives it. For dashboards reading a growing export, a fetch()
   *  body, a file larger than memory:
   *
   *    for await (const scores of detector.scoreStream((await fetch(url)).body!)) chart.add(scores);
   *
   *  When it ends, `streamNotes` says what scoring decided (as scoringNotes() says of a file). */
  async *scoreStream(source: AsyncIterable<string | Uint8Array> | ReadableStream<string | Uint8Array>,
    read: CsvReadOptions = {}): AsyncGenerator<Float32Array> {
    checkKeys(read, ['decimalMark'], 'CSV reading option');
    const encoder = new TextEncoder();
    let open = true;
    this.streamNotes = [];
    this.streamRowsToCheck = [];
    try {
      for await (const piece of iterate(source)) {
        const bytes = typeof piece === 'string' ? encoder.encode(piece) : piece;
        const scores = (await this.call('streamPush', [bytes, read])) as Float32Array;
        if (scores.length) yield scores;
      }
      open = false;
      const end = (await this.call('streamEnd', [])) as { scores: Float32Array; notes: string[]; rowsToCheck: RowToCheck[] };
      this.streamNotes = end.notes;
      this.streamRowsToCheck = end.rowsToCheck;
      if (end.scores.length) yield end.scores;
    } finally {
      if (open && !this.disposed) await this.call('streamReset', []).catch(() => undefined);
    }
  }

  /** ROC-AUC, average precision, the confusion matrix at `threshold` (default: the detector's)
   *  and the ROC curve. Tables use the label column the model was trained with; images need
   *  labels (and may bring their scores, to skip scoring them again). Samples whose score is NaN
   *  are left out, counted in `notScored`. */
  async evaluate(data: Dataset & { scores?: Float32Array }, threshold?: number): Promise<Metrics> {
    const modelData: Record<string, unknown> = this.modelData(data, 'evaluate');
    if (data.kind === 'images') {
      if (!data.labels) throw new CA3Error('bad_input', 'evaluating images needs labels (0 = normal, 1 = anomaly)');
      modelData.labels = Int32Array.from(data.labels);
      if (data.scores) modelData.scores = data.scores;
    }
    return (await this.call('evaluate', [modelData, threshold])) as Metrics;
  }

  /** The same for scores already computed (score()) against 0/1 labels: what a page uses when
   *  the threshold moves, without scoring the samples again. */
  async evaluateScores(scores: Float32Array, labels: ArrayLike<number>, threshold?: number): Promise<Metrics> {
    if (scores.length !== labels.length)
      throw new CA3Error('bad_input', `${scores.length} scores but ${labels.length} labels: give one label per score`);
    return (await this.call('evaluate', [{ scores, labels: Int32Array.from(labels) }, threshold])) as Metrics;
  }

  /** The 0/1 labels (1 = anomaly) of a table's rows, one per row: under `data`'s label settings
   *  when it names a label column (`tableFromCsv(csv, { labelColumn, normalValues })`: a model
   *  trained without labels compared with a file's own labels), else under those the model was
   *  trained with; 0 for a row that score() does not score (a totals row has no label). Throws
   *  CA3Error 'bad_input' naming the line of an empty label cell, or a value that matches no row. */
  async labels(data: TableData): Promise<Int32Array> {
    return (await this.call('labels', [data.labelColumn ? { csv: data.csv, options: tableOptionsOf(data) } : csvOf(data)])) as Int32Array;
  }

  /** A table's rows as model inputs [rows, features] (after the fitted preprocessing). */
  async prepare(data: TableData): Promise<TensorData> {
    return (await this.call('prepare', [csvOf(data)])) as TensorData;
  }

  /** What scoring `data` reads and decides, in words, one note each (empty when all is as in
   *  training): columns matched ignoring case or spaces, columns the model does not know (left
   *  out), missing cells filled in (how many, with what), categories never seen in training. The
   *  same notes as `ca3 score`'s. Table models only. A table that score() refuses is refused here
   *  too (CA3Error 'bad_input', in score()'s words). The options' `labelColumn` (a column of true
   *  labels for a model trained without them, as `labels` reads it) and `idColumns` are columns in
   *  use, not left out. */
  async scoringNotes(data: TableData): Promise<string[]> {
    const options: TableOptions = {};  // the columns in use beside the model's, and how numbers are written
    if (data.labelColumn !== undefined) options.labelColumn = data.labelColumn;
    if (data.idColumns) options.idColumns = data.idColumns;
    if (data.decimalMark !== undefined) options.decimalMark = data.decimalMark;
    return (await this.call('scoringNotes', [{ csv: data.csv, options }])) as string[];
  }

  /** The rows of `data` that its scoring notes ask to look at whatever their score, in row order
   *  (at most 10,000): a numeric cell that cannot be read or a spreadsheet formula's error ("#VALUE!"),
   *  read as missing, so the score says less; a value far outside the training's range, or another
   *  than the one value its column had in every training row, which the model never saw the like
   *  of. Table models only. A table that score() refuses is refused here too (CA3Error 'bad_input',
   *  in score()'s words). */
  async rowsToCheck(data: TableData): Promise<RowToCheck[]> {
    return (await this.call('rowsToCheck', [csvOf(data)])) as RowToCheck[];
  }

  /** A note when most of `scores` (score()'s, NaN not counted) are flagged at `threshold`: over
   *  half, and over 5 times the share of normal held-out samples the threshold flags. Then the
   *  data as a whole is unlike the training data and the flags say little about single samples;
   *  the note says so and what to check. '' otherwise (also under 20 scores). The same note as
   *  `ca3 score`'s. */
  async flaggedNote(scores: ArrayLike<number>): Promise<string> {
    let scored = 0, flagged = 0;
    for (let i = 0; i < scores.length; ++i)
      if (!Number.isNaN(scores[i])) ++scored, flagged += scores[i] >= this.threshold ? 1 : 0;
    return (await this.call('flaggedNote', [scored, flagged])) as string;
  }

  /** The CSV text with `score` and `flag` columns added. */
  async scoredCsv(data: TableData): Promise<string> {
    return (await this.call('scoredCsv', [csvOf(data)])) as string;
  }

  /** The target network's reconstruction of each sample, with the model inputs it started from. */
  async reconstruct(data: Dataset | Float32Array): Promise<TensorData & { inputs: Float32Array }> {
    return (await this.call('reconstruct', [this.modelData(data, 'reconstruct')])) as TensorData & { inputs: Float32Array };
  }

  /** What the alarm network reads: the encoder's activations pooled to one size and stacked,
   *  [count, h, w, C] or [count, l, C]; layerChannels says how many of C each layer gives. */
  async activations(data: Dataset | Float32Array): Promise<TensorData & { layerChannels: number[] }> {
    return (await this.call('activations', [this.modelData(data, 'activations')])) as TensorData & { layerChannels: number[] };
  }

  /** Attribution of the score to each input value (gradient × input), shaped like the inputs. */
  async explain(data: Dataset | Float32Array): Promise<TensorData> {
    return (await this.call('explain', [this.modelData(data, 'explain')])) as TensorData;
  }

  /** Why rows of a table score as they do: for each given row (0-based index), its line, score,
   *  flag and the `top` columns that move its score most (then each column whose cell is missing,
   *  with the value the model saw: `filled`), each with the cell, what it is compared with
   *  (`baseline`: the value of the training rows most like the row, `likeRows` of them; the
   *  column's typical value for a model that keeps no training rows) and the contribution: the
   *  column's share of how far the row's log-odds lie from the baseline's (integrated gradients,
   *  Sundararajan et al. 2017: the gradient averaged along the path from the baseline, × (input −
   *  baseline); the columns' shares add up, approximately, to that distance; of the
   *  reconstruction error itself for the reconstruction-only variant). See ColumnContribution. */
  async explainRows(data: TableData, rows: ArrayLike<number>, top = 3): Promise<RowExplanation[]> {
    return (await this.call('explainRows', [csvOf(data), Array.from(rows), top])) as RowExplanation[];
  }

  async setThreshold(threshold: number): Promise<void> {
    await this.call('setThreshold', [threshold]);
    await this.info();
  }

  /** The scoring graph as an ONNX file (opset 13): input "input" [N, ...one sample] (images in
   *  [0, 1]; table rows after the model's preprocessing, whose statistics info().preprocessing
   *  holds), output "score" [N], the detector's scores. For ONNX Runtime on servers, in Spark, or
   *  onnxruntime-web. Like save(), it carries the neighbour samples of a model trained without
   *  labelled anomalies (rows, or images downscaled to at most 16 x 16). */
  async exportOnnx(): Promise<Uint8Array> {
    return (await this.call('exportOnnx', [])) as Uint8Array;
  }

  /** The model file (.ca3) as bytes; loadDetector() or `ca3 score --model` read it. A model
   *  trained without labelled anomalies carries up to 8,192 of its training samples for its
   *  neighbour distance (rows preprocessed: standardised numbers, one-hot categories; images
   *  average-pooled to at most 16 x 16): share the file as you would share those samples. */
  async save(): Promise<Uint8Array> {
    return (await this.call('save', [])) as Uint8Array;
  }

  /** Frees the detector's memory in the worker. A running fit stops at once (its promise rejects
   *  with code 'cancelled'); calls after this reject with code 'disposed'. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const id of this.fits) this.runtime.cancel(id);
    await this.runtime.call(this.handle, 'dispose', []).catch(() => undefined);
  }

  private call(method: string, args: unknown[], transfer: Transferable[] = [], onProgress?: (p: TrainProgress) => void): Call {
    if (this.disposed) {
      const p = Promise.reject(new CA3Error('disposed', `this detector has been disposed (${method})`)) as Call;
      p.id = -1;
      return p;
    }
    return this.runtime.call(this.handle, method, args, transfer, onProgress);
  }

  // Images in `inputs` by the model's (or, before a fit, the preset's) sample size.
  private imageCount(inputs: Float32Array): number {
    const shape = this.inputShape;
    if (shape && shape.length !== 3) throw new CA3Error('bad_input', 'this is a tabular detector: give it a CSV table (tableFromCsv)');
    const per = shape && shape.length === 3 ? shape[0] * shape[1] * shape[2] : 0;
    if (!per || inputs.length % per !== 0)
      throw new CA3Error('bad_input', `${inputs.length} values are not a whole number of the model's images` +
        (per ? ` (${shape!.join('x')})` : ''));
    return inputs.length / per;
  }

  private modelData(data: Dataset | Float32Array, call = 'score'): ModelData {
    if (data instanceof Float32Array) return { inputs: data };
    checkDataset(data, call);
    this.checkKind(data);
    if (data.kind === 'table') return csvOf(data);
    this.checkImageSize(data);
    return { inputs: data.images };
  }

  // Data of the other kind than the model's: a table model would read images' pixels as rows.
  private checkKind(data: Dataset) {
    if (!this.trained) return;
    const shape = this.inputShape ?? [];
    if (data.kind === 'images' && this.kind === 'tabular')
      throw new CA3Error('bad_input', 'these are images, and this detector was trained on a table: give it a table ' +
        '(tableFromCsv), or score the images with a detector trained on images');
    if (data.kind === 'table' && this.kind === 'image')
      throw new CA3Error('bad_input', `this is a table, and this detector was trained on images (${shape[0]}x${shape[1]}, ` +
        `${shape[2] === 3 ? 'colour' : 'grey'}): ` +
        'give it images (imageSet), or score the table with a detector trained on a table');
  }

  private checkImageSize(data: ImageSetData) {
    const shape = this.inputShape;
    if (!data.size || !shape || shape.length !== 3) return;
    const { height, width, channels } = data.size;
    if (height !== shape[0] || width !== shape[1] || channels !== shape[2])
      throw new CA3Error('bad_input', `the images are ${height}x${width}x${channels}, the model takes ${shape.join('x')}`);
    if (data.images.length % (height * width * channels) !== 0)
      throw new CA3Error('bad_input', `${data.images.length} values are not a whole number of ${height}x${width}x${channels} images`);
  }
}

// ---- internals ----------------------------------------------------------------------------------

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (value as object).constructor?.name;
  return !name || name === 'Object' ? 'an object of other keys' : `a ${name}`;
}

// A dataset as tableFromCsv / imageSet make it; a clear error for what plain JavaScript may pass.
function checkDataset(data: unknown, call: string) {
  const kind = (data as Dataset | undefined)?.kind;
  if (kind === 'table' || kind === 'images') return;
  throw new CA3Error('bad_input', `${call} takes a dataset, not ${describeValue(data)}: ` +
    (typeof data === 'string' || data instanceof Uint8Array || data instanceof ArrayBuffer
      ? 'wrap a CSV in tableFromCsv(csv, options)'
      : 'tableFromCsv(csv, options) for a CSV, imageSet(images, labels, size) for images'));
}

// Options objects: a misspelt key is an error, not ignored ("epoch" for "epochs").
function checkKeys(options: object, known: string[], what: string) {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const close = known.find((k) => k.toLowerCase().startsWith(key.toLowerCase().slice(0, 4)));
    throw new CA3Error('bad_input', `unknown ${what} '${key}'${close ? ` (did you mean '${close}'?)` : ''}; the ${what}s are ` +
      known.join(', '));
  }
}

// A ReadableStream or an async iterable, as an async iterable.
async function* iterate<T>(source: AsyncIterable<T> | ReadableStream<T>): AsyncGenerator<T> {
  if (Symbol.asyncIterator in source) {
    yield* source as AsyncIterable<T>;
    return;
  }
  const reader = (source as ReadableStream<T>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

// A table as the module reads it outside a fit: its CSV, and how to read its numbers if named.
function csvOf(data: TableData): ModelData {
  return data.decimalMark === undefined ? { csv: data.csv } : { csv: data.csv, options: { decimalMark: data.decimalMark } };
}

function tableOptionsOf(data: TableData): TableOptions {
  const options: TableOptions = {};
  if (data.labelColumn !== undefined) options.labelColumn = data.labelColumn;
  if (data.normalValues) options.normalValues = data.normalValues;
  if (data.anomalyValues) options.anomalyValues = data.anomalyValues;
  if (data.idColumns) options.idColumns = data.idColumns;
  if (data.roles) options.roles = data.roles;
  if (data.decimalMark !== undefined) options.decimalMark = data.decimalMark;
  return options;
}

function runtimeOptionsOf(options: RuntimeOptions): RuntimeOptions {
  const out: RuntimeOptions = {};
  if (options.build !== undefined) out.build = options.build;
  if (options.wasmBaseUrl !== undefined) out.wasmBaseUrl = options.wasmBaseUrl;
  if (options.threads !== undefined) out.threads = options.threads;
  return out;
}

// The first option given now that differs from what the shared runtime was started with.
function conflictingOption(started: RuntimeOptions, asked: RuntimeOptions): string | undefined {
  if (asked.build !== undefined && (asked.build === 'auto' ? 'auto' : asked.build) !== (started.build ?? 'auto'))
    return `build '${started.build ?? 'auto'}' (asked: '${asked.build}')`;
  if (asked.threads !== undefined && asked.threads !== started.threads)
    return `threads ${started.threads ?? 'default'} (asked: ${asked.threads})`;
  if (asked.wasmBaseUrl !== undefined && (started.wasmBaseUrl === undefined ||
      directoryUrl(asked.wasmBaseUrl) !== directoryUrl(started.wasmBaseUrl)))
    return `wasmBaseUrl ${started.wasmBaseUrl === undefined ? '(the package default)' : directoryUrl(started.wasmBaseUrl)} (asked: ${directoryUrl(asked.wasmBaseUrl)})`;
  return undefined;
}

function chooseBuild(build: Build | 'auto'): Build {
  const isolated = platform.isolated();
  if (build === 'threads' && !isolated)
    throw new CA3Error('unsupported_environment', 'the threads build needs a cross-origin isolated page (shared memory): ' +
      'the server must send the headers "Cross-Origin-Opener-Policy: same-origin" and ' +
      '"Cross-Origin-Embedder-Policy: require-corp"; or use build \'auto\' / \'single\'');
  if (build === 'threads' || build === 'single') return build;
  return isolated ? 'threads' : 'single';
}

// An absolute directory URL (ending in '/'), so that file names resolve inside it.
function directoryUrl(url: string | URL): string {
  const absolute = new URL(url, platform.baseUrl());
  if (!absolute.pathname.endsWith('/')) absolute.pathname += '/';
  return absolute.href;
}

// A build's files in a folder the caller serves them from (wasmBaseUrl).
function filesIn(base: string, build: Build): ModuleFiles {
  const files: ModuleFiles = { glue: new URL(`ca3-${build}.js`, base).href, wasm: new URL(`ca3-${build}.wasm`, base).href };
  if (build === 'threads') files.pthreadWorker = new URL('ca3-threads.worker.js', base).href;
  return files;
}

function resolvePreset(preset: PresetName | Preset, changes?: PresetChanges) {
  let base: Record<string, unknown>;
  if (typeof preset === 'string') {
    const found = (PRESETS as Record<string, Preset>)[preset];
    if (!found) throw new CA3Error('bad_input', `unknown preset '${preset}' (bundled: ${Object.keys(PRESETS).join(', ')})`);
    base = structuredClone(found) as unknown as Record<string, unknown>;
  } else {
    base = structuredClone(preset) as unknown as Record<string, unknown>;
  }
  return changes ? mergePatch(base, changes as Record<string, unknown>) : base;
}

// JSON merge patch (RFC 7386), as the core's: null removes the key (the core then restores its default).
function mergePatch(target: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (typeof value === 'object' && !Array.isArray(value))
      target[key] = mergePatch(target[key] && typeof target[key] === 'object' && !Array.isArray(target[key]) ? target[key] : {}, value);
    else target[key] = value;
  }
  return target;
}

function cancelledError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  return new CA3Error('cancelled', 'the fit was aborted before it started');
}

/** @internal A started worker, as the platform gives it. */
export interface SpawnedWorker extends WorkerLike {
  onMessage(handler: (m: WorkerMessage) => void): void;
  onError(handler: (e: Error) => void): void;
}

/** Which images are copies of another as the model reads them, in words (see Runtime.imageCopiesNote), with the shared runtime. */
export async function imageCopiesNote(inputs: Float32Array, names: string[], size: ImageSize, options: RuntimeOptions = {}): Promise<string> {
  return (await getRuntime(options)).imageCopiesNote(inputs, names, size);
}

/** What fitting images of those decoded sizes to a model's size does, in words (see Runtime.imageFitNote), with the shared runtime. */
export async function imageFitNote(sizes: { width: number; height: number }[], frames: number[], names: string[], size: ImageSize,
  options: RuntimeOptions = {}): Promise<string> {
  return (await getRuntime(options)).imageFitNote(sizes, frames, names, size);
}
