// Messages between the SDK (main thread) and its worker. One request at a time per method call;
// the worker answers each request once, and sends progress messages while a fit runs.

export type Build = 'threads' | 'single';

export interface InitRequest {
  type: 'init';
  build: Build;
  /** Directory URL (browser) or file URL (Node) holding ca3-<build>.js / .wasm. */
  wasmBaseUrl: string;
  threads?: number;
}

export interface CallRequest {
  type: 'call';
  id: number;
  method: string;
  args: unknown[];
}

export interface CancelRequest {
  type: 'cancel';
  /** The call id of the fit to cancel. */
  id: number;
}

export type WorkerRequest = InitRequest | CallRequest | CancelRequest;

export interface ReadyMessage {
  type: 'ready';
  build: Build;
  threads: number;
}
export interface InitErrorMessage {
  type: 'init-error';
  message: string;
}
export interface ResultMessage {
  type: 'result';
  id: number;
  value: unknown;
}
export interface ErrorMessage {
  type: 'error';
  id: number;
  message: string;
}
export interface ProgressMessage {
  type: 'progress';
  id: number;
  progress: unknown;
}

export type WorkerMessage = ReadyMessage | InitErrorMessage | ResultMessage | ErrorMessage | ProgressMessage;
