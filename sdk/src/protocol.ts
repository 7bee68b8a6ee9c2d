// Messages between the SDK (main thread) and its worker. The worker answers each call once (a
// result or an error) and sends progress messages while a fit runs.
import type { ErrorInfo } from './wire.js';

export type Build = 'threads' | 'single';

/** Where a build's files are: URLs (browser) or file URLs (Node). */
export interface ModuleFiles {
  /** Emscripten's JavaScript glue (ca3-<build>.js). */
  glue: string;
  wasm: string;
  /** The threads build's pthread worker script (ca3-threads.worker.js). */
  pthreadWorker?: string;
}

export interface InitRequest {
  type: 'init';
  build: Build;
  files: ModuleFiles;
  threads?: number;
}

/** A call of a module function (handle 0: describeCsv, create, load) or of a detector's method,
 *  by the SDK's name of it. */
export interface CallRequest {
  type: 'call';
  id: number;
  handle: number;
  method: string;
  args: unknown[];
}

/** Cancels the call `id` (a fit) if it runs or waits. */
export interface CancelRequest {
  type: 'cancel';
  id: number;
}

export type WorkerRequest = InitRequest | CallRequest | CancelRequest;

export interface ReadyMessage {
  type: 'ready';
  build: Build;
  threads: number;
  pthreadWorkers: number;
}
export interface InitErrorMessage {
  type: 'init-error';
  error: ErrorInfo;
}
export interface ResultMessage {
  type: 'result';
  id: number;
  value: unknown;
}
export interface ErrorMessage {
  type: 'error';
  id: number;
  error: ErrorInfo;
}
export interface ProgressMessage {
  type: 'progress';
  id: number;
  progress: unknown;
}

export type WorkerMessage = ReadyMessage | InitErrorMessage | ResultMessage | ErrorMessage | ProgressMessage;
