// ca3-sdk for Node (the "node" condition of package.json's exports): the API of api.ts with a
// worker_threads worker and the package's own wasm files.
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { type Platform, type SpawnedWorker, setPlatform } from './api.js';
import type { Build, WorkerMessage } from './protocol.js';

const node: Platform = {
  isolated: () => true,  // worker_threads share memory
  baseUrl: () => pathToFileURL(`${process.cwd()}/`).href,
  async spawnWorker(): Promise<SpawnedWorker> {
    const worker = new Worker(new URL('./worker-node.cjs', import.meta.url));
    return {
      postMessage: (m, t) => worker.postMessage(m, (t ?? []) as never),
      busy: (busy) => (busy ? worker.ref() : worker.unref()),
      terminate: () => worker.terminate(),
      onMessage: (h) => worker.on('message', (m: WorkerMessage) => h(m)),
      onError: (h) => worker.on('error', h),
    };
  },
  moduleFiles: (build: Build) => {
    const file = (name: string) => new URL(`../wasm/${name}`, import.meta.url).href;
    return build === 'threads'
      ? { glue: file('ca3-threads.js'), wasm: file('ca3-threads.wasm'), pthreadWorker: file('ca3-threads.worker.js') }
      : { glue: file('ca3-single.js'), wasm: file('ca3-single.wasm') };
  },
};
setPlatform(node);

export * from './api.js';
