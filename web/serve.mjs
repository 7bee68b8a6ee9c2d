// A static file server for the demo page, on 127.0.0.1 only. By default it sends
// Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy, so the page is cross-origin
// isolated and uses the threaded wasm build; --no-isolation leaves them out, as many
// static hosts do (the page's service worker then adds them; single thread where none can run).
//
//   node web/serve.mjs [--dir web/dist] [--port 8080] [--no-isolation]
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml', '.csv': 'text/csv; charset=utf-8',
  '.ca3': 'application/octet-stream', '.gz': 'application/octet-stream', '.ico': 'image/x-icon',
};

/** Serves `root` on 127.0.0.1:`port` (0 = any free port); resolves to the server and its URL.
 *  `isolation`: the cross-origin isolation headers on every response (true), on none (false), or
 *  on the HTML pages alone ('page': a common first try, for tests). */
export function startServer({ root, port = 8080, isolation = true, onRequest } = {}) {
  root = resolve(root ?? join(fileURLToPath(new URL('.', import.meta.url)), 'dist'));
  const server = createServer((request, response) => {
    onRequest?.(request);
    const headers = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (isolation === true || (isolation === 'page' && /(\.html|\/)$/.test(request.url.split('?')[0]))) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      response.writeHead(400, headers).end('bad request');
      return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403, headers).end('forbidden');
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const size = statSync(file).size;
      response.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Length': size });
      if (request.method === 'HEAD') response.end();
      else createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end(`not found: ${path}`);
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePromise({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const isolation = !args.includes('--no-isolation');
  const { url } = await startServer({ root: option('--dir'), port: Number(option('--port', process.env.PORT ?? 8080)), isolation });
  console.log(`CA3 demo page: ${url}  (${isolation ? 'cross-origin isolated: threaded build' : 'no isolation headers: single-thread build'}; Ctrl-C stops)`);
}
