// The worker: loads the wasm module and runs every call of the SDK against it, one at a time
// (calls queue in arrival order, so scoring during a fit waits for the fit). A fit runs in
// slices of about 50 ms; between slices the worker yields to its event loop, which is how a
// cancel message reaches a running fit in every build, shared memory or not.
//
// Bundled twice by scripts/build.mjs: dist/worker.js (a classic browser worker) and
// dist/worker-node.cjs (a Node worker_threads worker). The code differs only in `host`.
import type { Build, CallRequest, InitRequest, WorkerMessage, WorkerRequest } from './protocol.js';

interface WasmDetector {
  startFitTable(csv: string, options: string, changes: string, onProgress: (p: unknown) => void): void;
  startFitImages(images: Float32Array, labels: Int32Array, changes: string, onProgress: (p: unknown) => void): void;
  advanceFit(seconds: number): boolean;
  cancelFit(): void;
  finishFit(): string;
  scoreTable(csv: string): Float32Array;
  scoreInputs(inputs: Float32Array): Float32Array;
  prepareTable(csv: string): { values: Float32Array; shape: number[] };
  tableLabels(csv: string): Int32Array;
  scoredCsv(csv: string): string;
  reconstruct(inputs: Float32Array): { values: Float32Array; shape: number[] };
  activations(inputs: Float32Array): { values: Float32Array; shape: number[]; layerChannels: number[] };
  explain(inputs: Float32Array): { values: Float32Array; shape: number[] };
  evaluate(scores: Float32Array, labels: Int32Array): string;
  info(): string;
  setThreshold(t: number): void;
  save(): Uint8Array;
  delete(): void;
}

interface WasmModule {
  Detector: { create(preset: string): WasmDetector; load(bytes: Uint8Array): WasmDetector };
  describeCsv(csv: string): string;
  threaded(): boolean;
  defaultThreads(): number;
  setThreads(n: number): void;
  threads(): number;
}

type ModuleFactory = (options: Record<string, unknown>) => Promise<WasmModule>;

// ---- the host: browser worker or Node worker_threads --------------------------------------------
interface Host {
  post(message: WorkerMessage, transfer?: Transferable[]): void;
  listen(handler: (message: WorkerRequest) => void): void;
  loadFactory(build: Build, baseUrl: string): Promise<{ factory: ModuleFactory; options: Record<string, unknown> }>;
  yieldToEventLoop(): Promise<void>;
}

declare const __CA3_NODE__: boolean;  // set by the bundler
declare function importScripts(...urls: string[]): void;

function moduleFileNames(build: Build) {
  return { glue: `ca3-${build}.js`, wasm: `ca3-${build}.wasm` };
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
function checkWasmBytes(bytes: Uint8Array, where: string, contentType?: string | null) {
  if (bytes.length < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) {
    const text = new TextDecoder().decode(bytes.subarray(0, 64)).trim();
    const looksHtml = /^<(!doctype|html)/i.test(text) || (contentType ?? '').includes('html');
    throw new Error(
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
    async loadFactory(build, baseUrl) {
      const names = moduleFileNames(build);
      const glueUrl = new URL(names.glue, baseUrl).href;
      const wasmUrl = new URL(names.wasm, baseUrl).href;
      const fetchOrExplain = async (url: string) => {
        let response: Response;
        try {
          response = await fetch(url);
        } catch (e) {
          throw new Error(`cannot fetch ${url}: ${(e as Error).message}`);
        }
        if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`);
        return response;
      };
      const wasmResponse = await fetchOrExplain(wasmUrl);
      const wasmBinary = new Uint8Array(await wasmResponse.arrayBuffer());
      checkWasmBytes(wasmBinary, wasmUrl, wasmResponse.headers.get('content-type'));
      const glueResponse = await fetchOrExplain(glueUrl);
      const glueType = glueResponse.headers.get('content-type') ?? '';
      const glueText = await glueResponse.text();
      if (glueType.includes('html') || /^\s*</.test(glueText))
        throw new Error(`${glueUrl} is not the CA3 module's JavaScript (the server answered with an HTML page)`);
      importScripts(glueUrl);
      if (typeof scope.createCa3Module !== 'function') throw new Error(`${glueUrl} did not define createCa3Module`);
      return {
        factory: scope.createCa3Module,
        options: { wasmBinary, locateFile: (file: string) => new URL(file, baseUrl).href, mainScriptUrlOrBlob: glueUrl },
      };
    },
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
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
    async loadFactory(build, baseUrl) {
      const names = moduleFileNames(build);
      const gluePath = fileURLToPath(new URL(names.glue, baseUrl));
      const wasmPath = fileURLToPath(new URL(names.wasm, baseUrl));
      for (const path of [gluePath, wasmPath])
        if (!fs.existsSync(path)) throw new Error(`the CA3 module file ${path} is missing (was the SDK built?)`);
      const wasmBinary = new Uint8Array(fs.readFileSync(wasmPath));
      checkWasmBytes(wasmBinary, wasmPath);
      return { factory: require(gluePath) as ModuleFactory, options: { wasmBinary } };
    },
    yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
  };
}

// ---- calls ----------------------------------------------------------------------------------------
const host: Host = __CA3_NODE__ ? nodeHost() : browserHost();
let wasm: WasmModule | undefined;
const detectors = new Map<number, WasmDetector>();
let nextHandle = 1;
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

const FIT_SLICE_SECONDS = 0.05;
const PROGRESS_INTERVAL_MS = 100;

function detector(handle: number): WasmDetector {
  const d = detectors.get(handle);
  if (!d) throw new Error('this detector has been disposed');
  return d;
}

function adopt(d: WasmDetector) {
  const handle = nextHandle++;
  detectors.set(handle, d);
  return { handle, info: JSON.parse(d.info()) };
}

type ModelData = { csv: string } | { inputs: Float32Array };
function modelInputs(d: WasmDetector, data: ModelData): Float32Array {
  return 'csv' in data ? d.prepareTable(data.csv).values : data.inputs;
}

async function runFit(call: CallRequest, d: WasmDetector, start: (onProgress: (p: unknown) => void) => void) {
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
  start(onProgress);
  try {
    while (d.advanceFit(FIT_SLICE_SECONDS)) {
      if (pending) post(pending);
      await host.yieldToEventLoop();
      if (cancelled.has(call.id)) d.cancelFit();
    }
    if (cancelled.has(call.id)) d.cancelFit();
    return JSON.parse(d.finishFit());
  } finally {
    cancelled.delete(call.id);
  }
}

const methods: Record<string, (call: CallRequest, ...args: never[]) => unknown> = {
  describeCsv: (_c, csv: string) => JSON.parse(wasm!.describeCsv(csv)),
  create: (_c, preset: string) => adopt(wasm!.Detector.create(preset)),
  load: (_c, bytes: Uint8Array) => adopt(wasm!.Detector.load(bytes)),
  fitTable: (call, handle: number, csv: string, options: string, changes: string) => {
    const d = detector(handle);
    return runFit(call, d, (p) => d.startFitTable(csv, options, changes, p));
  },
  fitImages: (call, handle: number, images: Float32Array, labels: Int32Array, changes: string) => {
    const d = detector(handle);
    return runFit(call, d, (p) => d.startFitImages(images, labels, changes, p));
  },
  score: (_c, handle: number, data: ModelData) => {
    const d = detector(handle);
    return 'csv' in data ? d.scoreTable(data.csv) : d.scoreInputs(data.inputs);
  },
  prepare: (_c, handle: number, csv: string) => detector(handle).prepareTable(csv),
  labels: (_c, handle: number, csv: string) => detector(handle).tableLabels(csv),
  evaluate: (_c, handle: number, scores: Float32Array, labels: Int32Array) =>
    JSON.parse(detector(handle).evaluate(scores, labels)),
  evaluateTable: (_c, handle: number, csv: string) => {
    const d = detector(handle);
    return JSON.parse(d.evaluate(d.scoreTable(csv), d.tableLabels(csv)));
  },
  scoredCsv: (_c, handle: number, csv: string) => detector(handle).scoredCsv(csv),
  reconstruct: (_c, handle: number, data: ModelData) => {
    const d = detector(handle);
    const inputs = modelInputs(d, data);
    return { inputs, ...d.reconstruct(inputs) };
  },
  activations: (_c, handle: number, data: ModelData) => {
    const d = detector(handle);
    return d.activations(modelInputs(d, data));
  },
  explain: (_c, handle: number, data: ModelData) => {
    const d = detector(handle);
    return d.explain(modelInputs(d, data));
  },
  info: (_c, handle: number) => JSON.parse(detector(handle).info()),
  setThreshold: (_c, handle: number, t: number) => detector(handle).setThreshold(t),
  save: (_c, handle: number) => detector(handle).save(),
  dispose: (_c, handle: number) => {
    detectors.get(handle)?.delete();
    detectors.delete(handle);
  },
};

// Buffers of typed arrays in a result move to the main thread instead of being copied.
function transferables(value: unknown, out: Transferable[] = [], depth = 0): Transferable[] {
  if (ArrayBuffer.isView(value)) {
    if (!out.includes(value.buffer as ArrayBuffer)) out.push(value.buffer as ArrayBuffer);
  } else if (value && typeof value === 'object' && depth < 2) {
    for (const v of Object.values(value)) transferables(v, out, depth + 1);
  }
  return out;
}

async function handleCall(call: CallRequest) {
  try {
    if (!wasm) throw new Error('the CA3 module is not loaded');
    const method = methods[call.method];
    if (!method) throw new Error(`unknown method ${call.method}`);
    const value = await (method as (c: CallRequest, ...a: unknown[]) => unknown)(call, ...call.args);
    host.post({ type: 'result', id: call.id, value }, transferables(value));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    host.post({ type: 'error', id: call.id, message });
  } finally {
    cancelled.delete(call.id);
  }
}

async function init(request: InitRequest) {
  try {
    const { factory, options } = await host.loadFactory(request.build, request.wasmBaseUrl);
    const printErr: string[] = [];
    wasm = await factory({ ...options, printErr: (s: string) => printErr.push(s) });
    if (wasm.threaded() !== (request.build === 'threads'))
      throw new Error(`ca3-${request.build} is not the ${request.build} build`);
    wasm.setThreads(request.threads ?? wasm.defaultThreads());
    host.post({ type: 'ready', build: request.build, threads: wasm.threads() });
  } catch (e) {
    host.post({ type: 'init-error', message: e instanceof Error ? e.message : String(e) });
  }
}

host.listen((message) => {
  if (message.type === 'init') void init(message);
  else if (message.type === 'cancel') cancelled.add(message.id);
  else if (message.type === 'call') queue = queue.then(() => handleCall(message));
});
