// ca3-sdk for browsers (the "browser" condition of package.json's exports): the API of api.ts
// with a Web Worker, and the package's wasm files named by literal `new URL(..., import.meta.url)`
// so that bundlers (Vite, webpack) copy them and rewrite the URLs; served from node_modules as
// they are, they resolve next to this file.
import { type Platform, type SpawnedWorker, setPlatform } from './api.js';
import type { Build, WorkerMessage } from './protocol.js';

const browser: Platform = {
  isolated: () => !!(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated,
  baseUrl: () => (globalThis as unknown as { location: { href: string } }).location.href,
  async spawnWorker(): Promise<SpawnedWorker> {
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    return {
      postMessage: (m, t) => worker.postMessage(m, t ?? []),
      terminate: () => worker.terminate(),
      onMessage: (h) => worker.addEventListener('message', (e) => h(e.data as WorkerMessage)),
      onError: (h) => worker.addEventListener('error', (e) => h(new Error(e.message || 'the worker script failed to load'))),
    };
  },
  moduleFiles: (build: Build) =>
    build === 'threads'
      ? {
          glue: new URL('../wasm/ca3-threads.js', import.meta.url).href,
          wasm: new URL('../wasm/ca3-threads.wasm', import.meta.url).href,
          pthreadWorker: new URL('../wasm/ca3-threads.worker.js', import.meta.url).href,
        }
      : {
          glue: new URL('../wasm/ca3-single.js', import.meta.url).href,
          wasm: new URL('../wasm/ca3-single.wasm', import.meta.url).href,
        },
};
setPlatform(browser);

export * from './api.js';
