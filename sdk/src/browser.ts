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
    const url = new URL('./worker.js', import.meta.url);
    const worker = new Worker(url);
    let started = false;  // a message came: the script loaded
    worker.addEventListener('message', () => (started = true), { once: true });
    return {
      postMessage: (m, t) => worker.postMessage(m, t ?? []),
      terminate: () => worker.terminate(),
      onMessage: (h) => worker.addEventListener('message', (e) => h(e.data as WorkerMessage)),
      // A script that did not load has no message: why, asked of the server.
      onError: (h) => worker.addEventListener('error', (e) => {
        if (e.message || started) h(new Error(e.message || 'the worker stopped with an error'));
        else void whyNotLoaded(url).then((why) => h(new Error(why)));
      }),
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

// Why the worker script at `url` did not start, from fetching it again: not served, served as a
// page, or served without the Cross-Origin-Embedder-Policy header that a cross-origin-isolated
// page demands of its workers (the headers set on the HTML page only).
async function whyNotLoaded(url: URL): Promise<string> {
  const failed = `the worker script ${url.href} failed to load`;
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(10_000) });
  } catch {
    return `${failed}, and fetching it failed too: check that the server is reachable and serves the package's files`;
  }
  const vite = ' (Vite before 8 moves it when it pre-bundles dependencies: add optimizeDeps: { exclude: [\'ca3-sdk\'] } to vite.config)';
  if (!response.ok) return `${failed}: the server answered HTTP ${response.status}; the bundler did not copy it or the server does not serve it${vite}`;
  const type = response.headers.get('content-type') ?? '';
  if (/html/i.test(type))
    return `${failed}: the server answered with a page (${type}), not the script; the bundler did not copy it or the server does not serve it${vite}`;
  if (browser.isolated() && !/require-corp|credentialless/.test(response.headers.get('cross-origin-embedder-policy') ?? ''))
    return `${failed}: this page is cross-origin isolated, and such a page starts only workers served with the ` +
      'Cross-Origin-Embedder-Policy header (require-corp), which this script lacks. Send Cross-Origin-Opener-Policy: same-origin and ' +
      'Cross-Origin-Embedder-Policy: require-corp on every response (the scripts and .wasm files too, not only the page), ' +
      'or on none (then the single-thread build runs)';
  return failed;
}

export * from './api.js';
