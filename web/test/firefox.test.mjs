// A smoke journey in Debian's Firefox ESR: load the page, train the sample image model, train a
// CSV; served with the isolation headers (threaded build), without them (the page's service
// worker isolates it: threaded build), and without them in a Firefox that runs no service worker
// (single-thread build). Firefox is
// driven over WebDriver BiDi directly (the W3C protocol it speaks natively): playwright-core's
// BiDi driver cannot open a browser context there, because it sends
// emulation.setMediaFeaturesOverride on every new context and Firefox ESR 153 answers
// "unknown command". Without firefox-esr installed the journey is skipped, and says so.
//
//   node --experimental-websocket --test web/test/firefox.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServer } from '../serve.mjs';

const web = resolve(fileURLToPath(import.meta.url), '../..');
const repo = resolve(web, '..');
const FIREFOX = '/usr/bin/firefox-esr';
const skip = !existsSync(FIREFOX) ? `${FIREFOX} is not installed (apt-get install firefox-esr)`
  : typeof WebSocket === 'undefined' ? 'run node with --experimental-websocket (Node 20)' : false;

// Firefox with a fresh profile and a BiDi endpoint on a free port; resolves to its WebSocket URL.
function launchFirefox(profile, serviceWorkers) {
  if (!serviceWorkers) writeFileSync(join(profile, 'user.js'), 'user_pref("dom.serviceWorkers.enabled", false);\n');
  const child = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', '0'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
  const endpoint = new Promise((resolveUrl, reject) => {
    let text = '';
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const found = text.match(/WebDriver BiDi listening on (ws:\/\/\S+)/);
      if (found) resolveUrl(found[1]);
    });
    child.on('exit', (code) => reject(new Error(`firefox-esr exited (${code}) before listening: ${text.slice(-500)}`)));
  });
  return { child, endpoint };
}

// The few WebDriver BiDi commands the journey needs.
class Bidi {
  static async connect(url) {
    const socket = new WebSocket(`${url}/session`);
    await new Promise((ok, fail) => { socket.onopen = ok; socket.onerror = () => fail(new Error(`cannot connect to ${url}`)); });
    const bidi = new Bidi(socket);
    await bidi.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: false } } });
    return bidi;
  }
  constructor(socket) {
    this.socket = socket;
    this.next = 1;
    this.pending = new Map();
    this.errors = [];  // the page's uncaught errors and console.error calls
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.id && this.pending.has(message.id)) {
        const { ok, fail } = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.type === 'error') fail(new Error(`${message.error}: ${message.message}`));
        else ok(message.result);
      } else if (message.method === 'log.entryAdded' && message.params.level === 'error') {
        this.errors.push(message.params.text);
      }
    };
  }
  send(method, params) {
    const id = this.next++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((ok, fail) => this.pending.set(id, { ok, fail }));
  }
  // The value of `expression` in the page (awaited); an exception in the page fails the call.
  async evaluate(context, expression) {
    const r = await this.send('script.evaluate', { expression, target: { context }, awaitPromise: true });
    if (r.type === 'exception') throw new Error(`in the page: ${r.exceptionDetails.text}`);
    return r.result;
  }
  async value(context, expression) {
    const r = await this.evaluate(context, expression);
    return r.value;
  }
  // Until `expression` holds; while the page navigates (the service worker's reload) its document
  // may have no body yet: an exception then is retried, up to the deadline.
  async waitFor(context, expression, seconds) {
    const end = Date.now() + seconds * 1000;
    for (;;) {
      try {
        if (await this.value(context, `Boolean(${expression})`)) return;
      } catch (error) {
        if (Date.now() > end) throw error;
      }
      if (Date.now() > end) {
        const status = await this.value(context, "document.getElementById('mode').textContent + ' | ' + " +
          "(document.getElementById('message').hidden ? '' : document.getElementById('message').textContent)");
        throw new Error(`waited ${seconds} s for ${expression}; page: ${status}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const JOURNEYS = [
  { name: 'served with the isolation headers', isolation: true, serviceWorkers: true, build: 'threads',
    mode: /threads \(cross-origin isolated\)/ },
  { name: 'served without them: the service worker isolates the page', isolation: false, serviceWorkers: true, build: 'threads',
    mode: /threads \(cross-origin isolated by the page's service worker\)/ },
  { name: 'served without them, service workers off', isolation: false, serviceWorkers: false, build: 'single',
    mode: /single thread \(not cross-origin isolated/ },
];

for (const journey of JOURNEYS) {
  describe(`Firefox ESR smoke journey, ${journey.name} (${journey.build} build)`, { skip }, () => {
    let server, url, firefox, bidi, context, profile;
    before(async () => {
      ({ server, url } = await startServer({ root: join(web, 'dist'), port: 0, isolation: journey.isolation }));
      profile = mkdtempSync(join(tmpdir(), 'ca3-firefox-'));
      const launched = launchFirefox(profile, journey.serviceWorkers);
      firefox = launched.child;
      bidi = await Bidi.connect(await launched.endpoint);
      await bidi.send('session.subscribe', { events: ['log.entryAdded'] });
      context = (await bidi.send('browsingContext.getTree', {})).contexts[0].context;
      await bidi.send('browsingContext.navigate', { context, url, wait: 'complete' });
      // Where the service worker isolates the page, it reloads once first.
      await bidi.waitFor(context, `crossOriginIsolated === ${journey.build === 'threads'} && document.body?.dataset.ready === 'true'`, 60);
    });
    after(async () => {
      try { await bidi?.send('session.end', {}); } catch { /* the browser may be gone */ }
      firefox?.kill();
      server?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    test('the page starts and says which build runs', async () => {
      assert.equal(await bidi.value(context, "document.getElementById('mode').dataset.build"), journey.build);
      const mode = await bidi.value(context, "document.getElementById('mode').textContent");
      assert.match(mode, journey.mode);
      console.log(`  firefox-esr: ${mode}`);
    });

    test('trains the sample image model: test ROC-AUC >= 0.95', async () => {
      await bidi.evaluate(context, "document.getElementById('use-sample').click()");
      await bidi.waitFor(context, "!document.getElementById('train-images').disabled", 60);
      await bidi.evaluate(context, "document.getElementById('image-epochs').value = '3'");
      const started = Date.now();
      await bidi.evaluate(context, "document.getElementById('train-images').click()");
      await bidi.waitFor(context, 'document.getElementById("image-status").dataset.testAuc', 600);
      const auc = Number(await bidi.value(context, 'document.getElementById("image-status").dataset.testAuc'));
      const status = await bidi.value(context, 'document.getElementById("image-status").textContent');
      console.log(`  firefox-esr: ${status.slice(0, 90)}… (${((Date.now() - started) / 1000).toFixed(1)} s from Train)`);
      assert.ok(auc >= 0.95, status);
    });

    test('trains a CSV (Breast Cancer, label column guessed): test ROC-AUC >= 0.95', async () => {
      // The Tables part, opened by its tab: the Images part hidden, the CSV drop zone shown.
      await bidi.evaluate(context, "document.getElementById('tab-tables').click()");
      assert.equal(await bidi.value(context, "[document.getElementById('panel-images').hidden, document.getElementById('panel-tables').hidden].join()"), 'true,false');
      const input = await bidi.evaluate(context, "document.getElementById('csv-file')");
      await bidi.send('input.setFiles', { context, element: { sharedId: input.sharedId }, files: [join(repo, 'data', 'BreastCancer.csv')] });
      await bidi.waitFor(context, "/BreastCancer\\.csv: 699 rows/.test(document.getElementById('csv-info').textContent)", 30);
      assert.equal(await bidi.value(context, "document.getElementById('label-column').value"), 'Class');
      await bidi.evaluate(context, "(() => { const s = document.getElementById('normal-value'); s.value = 'benign'; " +
        "s.dispatchEvent(new Event('change', { bubbles: true })); document.getElementById('csv-epochs').value = '10'; " +
        "document.getElementById('train-csv').click(); })()");
      await bidi.waitFor(context, 'document.getElementById("csv-status").dataset.testAuc', 300);
      const auc = Number(await bidi.value(context, 'document.getElementById("csv-status").dataset.testAuc'));
      console.log(`  firefox-esr: Breast Cancer test ROC-AUC ${auc.toFixed(4)}`);
      assert.ok(auc >= 0.95, String(auc));
      assert.deepEqual(bidi.errors, []);
    });
  });
}
