// The worker: loads the wasm module and dispatches the SDK's calls to it by name (the wasm
// module's methods carry the SDK's names). Calls on one detector run one at a time in arrival
// order; calls on different detectors (and module calls: describeCsv, create, load) do not wait
// for each other. A fit runs in slices of about 50 ms; between slices the worker yields to its
// event loop, which is how a cancel reaches a running fit and how other detectors' calls get
// through, in every build, shared memory or not.
//
// Bundled twice by scripts/build.mjs: dist/worker.js (a classic browser worker) and
// dist/worker-node.cjs (a Node worker_threads worker). The code differs only in `host`.
import type { Build, CallRequest, InitRequest, ModuleFiles, WorkerMessage, WorkerRequest } from './protocol.js';
import type { ErrorCode, ErrorInfo } from './wire.js';
import { type ImageDataLike, type ImageSize, checkImageSize, imageDimensions, imageKind, undecodedImageKind } from './images.js';

/** The wasm module's Detector (wasm/bindings.cpp): the SDK's methods on {csv} / {inputs} data. */
interface WasmDetector {
  fit(data: unknown, changes: string, onProgress: (p: unknown) => void): void;
  advanceFit(seconds: number): boolean;
  cancelFit(): void;
  finishFit(): unknown;
  delete(): void;
  [method: string]: (...args: never[]) => unknown;
}

interface WasmModule {
  Detector: { create(preset: string): WasmDetector; load(bytes: Uint8Array): WasmDetector };
  describeCsv(csv: string | Uint8Array, read: unknown): unknown;
  imageToInput(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, H: number, W: number, C: number):
    { input: Float32Array; grey: boolean };
  imageBytes(bytes: Uint8Array, name: string): { frames: number; problem: string };
  imageCopiesNote(inputs: Float32Array, names: string[], H: number, W: number, C: number): string;
  imageFitNote(sizes: { width: number; height: number }[], frames: number[], names: string[], H: number, W: number): string;
  threaded(): boolean;
  pthreadWorkers(): number;
  setThreads(n: number): void;
  threads(): number;
}

type ModuleFactory = (options: Record<string, unknown>) => Promise<WasmModule>;

// ---- the host: browser worker or Node worker_threads --------------------------------------------
interface Host {
  post(message: WorkerMessage, transfer?: Transferable[]): void;
  listen(handler: (message: WorkerRequest) => void): void;
  loadFactory(build: Build, files: ModuleFiles): Promise<{ factory: ModuleFactory; options: Record<string, unknown> }>;
  yieldToEventLoop(): Promise<void>;
  /** Logical cores of the machine. */
  cores(): number;
}

declare const __CA3_NODE__: boolean;  // set by the bundler
declare function importScripts(...urls: string[]): void;

class WorkerError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
function checkWasmBytes(bytes: Uint8Array, where: string, contentType?: string | null) {
  if (bytes.length < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) {
    const text = new TextDecoder().decode(bytes.subarray(0, 64)).trim();
    const looksHtml = /^<(!doctype|html)/i.test(text) || (contentType ?? '').includes('html');
    throw new WorkerError(
      'unsupported_environment',
      `${where} is not a WebAssembly file` +
        (looksHtml ? ' (the server answered with an HTML page: is the file missing, or the wasm base URL wrong?)' : '') +
        (contentType ? ` [content-type ${contentType}]` : ''),
    );
  }
}

function browserHost(): Host {
  const scope = self as unknown as {
    postMessage(m: unknown, t?: Transferable[]): void;
    onmessage: ((e: MessageEvent) => void) | null;
    createCa3Module?: ModuleFactory;
  };
  return {
    post: (m, t) => scope.postMessage(m, t ?? []),
    listen: (handler) => {
      scope.onmessage = (e) => handler(e.data as WorkerRequest);
    },
    async loadFactory(build, files) {
      const fetchOrExplain = async (url: string) => {
        let response: Response;
        try {
          response = await fetch(url);
        } catch (e) {
          throw new WorkerError('unsupported_environment', `cannot fetch ${url}: ${(e as Error).message}`);
        }
        if (!response.ok)
          throw new WorkerError('unsupported_environment', `cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`);
        return response;
      };
      const wasmResponse = await fetchOrExplain(files.wasm);
      const wasmBinary = new Uint8Array(await wasmResponse.arrayBuffer());
      checkWasmBytes(wasmBinary, files.wasm, wasmResponse.headers.get('content-type'));
      const glueResponse = await fetchOrExplain(files.glue);
      const glueType = glueResponse.headers.get('content-type') ?? '';
      const glueText = await glueResponse.text();
      if (glueType.includes('html') || /^\s*</.test(glueText))
        throw new WorkerError('unsupported_environment', `${files.glue} is not the CA3 module's JavaScript (the server answered with an HTML page)`);
      // Run from a Blob, whatever MIME type the server gave the file; pthread workers load it the same way.
      const glue = new Blob([glueText], { type: 'text/javascript' });
      const glueBlobUrl = URL.createObjectURL(glue);
      importScripts(glueBlobUrl);
      URL.revokeObjectURL(glueBlobUrl);
      if (typeof scope.createCa3Module !== 'function') throw new WorkerError('unsupported_environment', `${files.glue} did not define createCa3Module`);
      const locateFile = (file: string) =>
        file.endsWith('.worker.js') && files.pthreadWorker ? files.pthreadWorker : file.endsWith('.wasm') ? files.wasm : new URL(file, files.glue).href;
      return { factory: scope.createCa3Module, options: { wasmBinary, locateFile, mainScriptUrlOrBlob: glue } };
    },
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    cores: () => (self as unknown as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
  };
}

function nodeHost(): Host {
  // Only in the Node bundle (CommonJS): require is real there.
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const fs = require('node:fs') as typeof import('node:fs');
  const { fileURLToPath } = require('node:url') as typeof import('node:url');
  if (!parentPort) throw new Error('the CA3 worker must run in a worker thread');
  return {
    post: (m, t) => parentPort.postMessage(m, (t ?? []) as never),
    listen: (handler) => parentPort.on('message', (m) => handler(m as WorkerRequest)),
    async loadFactory(build, files) {
      const gluePath = fileURLToPath(files.glue);
      const wasmPath = fileURLToPath(files.wasm);
      for (const path of [gluePath, wasmPath])
        if (!fs.existsSync(path)) throw new WorkerError('unsupported_environment', `the CA3 module file ${path} is missing (was the SDK built?)`);
      const wasmBinary = new Uint8Array(fs.readFileSync(wasmPath));
      checkWasmBytes(wasmBinary, wasmPath);
      return { factory: require(gluePath) as ModuleFactory, options: { wasmBinary } };
    },
    yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
    cores: () => {
      const os = require('node:os') as typeof import('node:os');
      return os.availableParallelism?.() ?? os.cpus().length;
    },
  };
}

// ---- calls ----------------------------------------------------------------------------------------
const host: Host = __CA3_NODE__ ? nodeHost() : browserHost();
let wasm: WasmModule | undefined;
const detectors = new Map<number, WasmDetector>();
let nextHandle = 1;
const cancelled = new Set<number>();
const queues = new Map<number, Promise<void>>();  // per handle (0: module calls)

const FIT_SLICE_SECONDS = 0.05;
const PROGRESS_INTERVAL_MS = 100;

function detector(handle: number): WasmDetector {
  const d = detectors.get(handle);
  if (!d) throw new WorkerError('disposed', 'this detector has been disposed');
  return d;
}

function adopt(d: WasmDetector) {
  const handle = nextHandle++;
  detectors.set(handle, d);
  return { handle, info: d.info() };
}

async function runFit(call: CallRequest, d: WasmDetector, data: unknown, changes: string) {
  // Steps report at most every PROGRESS_INTERVAL_MS; epoch ends always; the latest held-back step
  // is sent at the end of each slice, so the page never shows a stale step for long.
  let lastPost = 0;
  let pending: unknown;
  const post = (p: unknown) => {
    host.post({ type: 'progress', id: call.id, progress: p });
    lastPost = Date.now();
    pending = undefined;
  };
  const onProgress = (p: unknown) => {
    if ((p as { epochEnd?: boolean }).epochEnd || Date.now() - lastPost >= PROGRESS_INTERVAL_MS) post(p);
    else pending = p;
  };
  if (cancelled.has(call.id)) throw new WorkerError('cancelled', 'the fit was cancelled before it started');
  d.fit(data, changes, onProgress);
  while (d.advanceFit(FIT_SLICE_SECONDS)) {
    if (pending) post(pending);
    await host.yieldToEventLoop();
    if (cancelled.has(call.id)) d.cancelFit();
  }
  return d.finishFit();
}

// ---- images: RGBA pixels -> model inputs by the core's rule ---------------------------------------
const MAX_IMAGE_PIXELS = 100e6;  // refused above this, read from the file's header before decoding
const MAX_DECODED_SIDE = 4096;   // larger images are decoded at a reduced size

function imagesToInputs(images: ImageDataLike[], size: ImageSize, names?: string[], frames?: number[]) {
  checkImageSize(size);
  const per = size.height * size.width * size.channels;
  const inputs = new Float32Array(images.length * per);
  const grey: boolean[] = [];
  const sizes: { width: number; height: number }[] = [];
  images.forEach((image, i) => {
    if (!(image.width >= 1 && image.height >= 1) || image.data.length !== image.width * image.height * 4)
      throw new WorkerError('bad_input', `${names?.[i] ?? `image ${i + 1}`}: ${image.data.length} bytes are not ` +
        `${image.width}x${image.height} RGBA pixels`);
    const r = wasm!.imageToInput(image.data, image.width, image.height, size.height, size.width, size.channels);
    inputs.set(r.input, i * per);
    grey.push(r.grey);
    sizes.push({ width: image.width, height: image.height });
  });
  return { inputs, grey, sizes, frames: frames ?? images.map(() => 1) };
}

// The kinds whose bytes the core checks before a browser decodes them (ca3::image_bytes_problem:
// an end each writer puts there, a PNG's checksums).
const CORE_CHECKED_KINDS: string[] = ['PNG', 'JPEG', 'GIF', 'BMP'];

// Browser: files decoded by the browser in this worker, then imagesToInputs.
async function decodeImages(files: Blob[], names: string[], size: ImageSize) {
  const pixels: ImageDataLike[] = [];
  const frames: number[] = [];
  for (let i = 0; i < files.length; ++i) {
    const name = names[i] ?? `image ${i + 1}`;
    const head = new Uint8Array(await files[i].slice(0, 1 << 16).arrayBuffer());
    const dims = imageDimensions(head);
    if (dims && dims.width * dims.height > MAX_IMAGE_PIXELS)
      throw new WorkerError('bad_input', `${name} is ${dims.width}x${dims.height} pixels ` +
        `(${(dims.width * dims.height / 1e6).toFixed(0)} megapixels): too large to decode in a browser tab (at most ` +
        `${MAX_IMAGE_PIXELS / 1e6} megapixels, e.g. 10000x10000); make it smaller`);
    // What the bytes show wrong, as `ca3` says it (a file cut short, which browsers show with its
    // missing part grey; a PNG changed after writing), and an animated GIF's frames: the browser
    // decodes its first frame, as the core does.
    const kind = imageKind(head);
    const checked = CORE_CHECKED_KINDS.includes(kind);
    const facts = checked ? wasm!.imageBytes(new Uint8Array(await files[i].arrayBuffer()), name) : { frames: 1, problem: '' };
    if (facts.problem) throw new WorkerError('unsupported_file', facts.problem);
    frames.push(facts.frames);
    const options: ImageBitmapOptions = { imageOrientation: 'from-image', premultiplyAlpha: 'none' };
    if (dims && Math.max(dims.width, dims.height) > MAX_DECODED_SIDE) {
      // Decoded at a reduced size (aspect kept; the browser applies EXIF orientation after).
      if (dims.width >= dims.height) options.resizeWidth = MAX_DECODED_SIDE;
      else options.resizeHeight = MAX_DECODED_SIDE;
      options.resizeQuality = 'high';
    }
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(files[i], options);
    } catch {
      const unread = undecodedImageKind(head);
      // (its bytes passed the core's check, or a WebP's were not checked: a variant, or damage inside)
      throw new WorkerError('unsupported_file', kind ? `${name} is a ${kind} file this browser cannot decode (damaged, or a ` +
        `variant browsers do not read): save it again as PNG or JPEG`
        : `${name} is not an image this browser can decode` +
          (unread ? ` (a ${unread} image, which browsers do not read: save it as PNG or JPEG)` : ''));
    }
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new WorkerError('unsupported_environment', 'no 2D canvas available to decode images');
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    pixels.push(context.getImageData(0, 0, canvas.width, canvas.height));
  }
  return imagesToInputs(pixels, size, names, frames);
}

async function handleCall(call: CallRequest) {
  try {
    if (!wasm) throw new WorkerError('internal', 'the CA3 module is not loaded');
    let value: unknown;
    if (call.handle === 0) {
      if (call.method === 'describeCsv') value = wasm.describeCsv(call.args[0] as string | Uint8Array, call.args[1] ?? {});
      else if (call.method === 'imagesToInputs') value = imagesToInputs(call.args[0] as ImageDataLike[], call.args[1] as ImageSize);
      else if (call.method === 'decodeImages')
        value = await decodeImages(call.args[0] as Blob[], call.args[1] as string[], call.args[2] as ImageSize);
      else if (call.method === 'imageCopiesNote') {
        const [inputs, names, size] = call.args as [Float32Array, string[], ImageSize];
        value = wasm.imageCopiesNote(inputs, names, size.height, size.width, size.channels);
      } else if (call.method === 'imageFitNote') {
        const [sizes, frames, names, size] = call.args as [{ width: number; height: number }[], number[], string[], ImageSize];
        value = wasm.imageFitNote(sizes, frames, names, size.height, size.width);
      } else if (call.method === 'create') value = adopt(wasm.Detector.create(call.args[0] as string));
      else if (call.method === 'load') value = adopt(wasm.Detector.load(call.args[0] as Uint8Array));
      else throw new WorkerError('internal', `unknown module call ${call.method}`);
    } else if (call.method === 'dispose') {
      detectors.get(call.handle)?.delete();
      detectors.delete(call.handle);
    } else {
      const d = detector(call.handle);
      if (call.method === 'fit') value = await runFit(call, d, call.args[0], call.args[1] as string);
      else if (typeof d[call.method] === 'function') value = (d[call.method] as (...a: unknown[]) => unknown)(...call.args);
      else throw new WorkerError('internal', `unknown method ${call.method}`);
    }
    host.post({ type: 'result', id: call.id, value }, transferables(value));
  } catch (e) {
    host.post({ type: 'error', id: call.id, error: errorInfo(e) });
  } finally {
    cancelled.delete(call.id);
  }
}

function errorInfo(e: unknown): ErrorInfo {
  const code = (e as { code?: unknown })?.code;
  const message = e instanceof Error ? e.message : String(e);
  return { code: typeof code === 'string' ? (code as ErrorCode) : 'internal', message };
}

// Buffers of typed arrays in a result move to the main thread instead of being copied.
function transferables(value: unknown, out: Transferable[] = [], depth = 0): Transferable[] {
  if (ArrayBuffer.isView(value)) {
    if (!out.includes(value.buffer as ArrayBuffer)) out.push(value.buffer as ArrayBuffer);
  } else if (value && typeof value === 'object' && depth < 2) {
    for (const v of Object.values(value)) transferables(v, out, depth + 1);
  }
  return out;
}

async function init(request: InitRequest) {
  try {
    const { factory, options } = await host.loadFactory(request.build, request.files);
    const printErr: string[] = [];
    // The threads build: the machine's cores (at most 4) unless asked; this worker computes too,
    // so the module starts threads - 1 pthread workers (at least one: Emscripten 3.1.6 never
    // finishes starting a threads module with an empty pool).
    const threads = request.build === 'threads' ? request.threads ?? Math.min(4, Math.max(1, host.cores())) : 1;
    wasm = await factory({ ...options, ca3PoolSize: Math.max(1, threads - 1), printErr: (s: string) => printErr.push(s) });
    if (wasm.threaded() !== (request.build === 'threads'))
      throw new WorkerError('unsupported_environment', `ca3-${request.build} is not the ${request.build} build`);
    wasm.setThreads(threads);
    host.post({ type: 'ready', build: request.build, threads: wasm.threads(), pthreadWorkers: wasm.pthreadWorkers() });
  } catch (e) {
    const info = errorInfo(e);
    host.post({ type: 'init-error', error: { ...info, code: info.code === 'internal' ? 'unsupported_environment' : info.code } });
  }
}

host.listen((message) => {
  if (message.type === 'init') void init(message);
  else if (message.type === 'cancel') cancelled.add(message.id);
  else if (message.type === 'call') {
    const queue = queues.get(message.handle) ?? Promise.resolve();
    queues.set(message.handle, queue.then(() => handleCall(message)));
  }
});
