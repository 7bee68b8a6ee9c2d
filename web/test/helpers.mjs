// What the page's browser tests share: Chromium's flags, a browser without service workers, the
// watchers of console errors and foreign requests, and opening the part of the page (its tab) that
// holds a control, as a user would before using it.
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Run in a page before its scripts (context.addInitScript): navigator.serviceWorker as in a browser
// without service workers, so that a page served without COOP/COEP runs the single-thread build.
export const NO_SERVICE_WORKER = () => Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined });

/** Collects the page's console errors and uncaught exceptions, and the context's requests that leave `origin`. */
export function watch(context, page, origin) {
  const consoleErrors = [], foreignRequests = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreignRequests.push(url);
  });
  return { consoleErrors, foreignRequests };
}

/** Clicks the tab of the panel that holds `selector` unless that panel is already shown. */
export async function openPartOf(page, selector) {
  const part = await page.$eval(selector, (e) => e.closest('[role=tabpanel]')?.dataset.tab);
  if (part && (await page.getAttribute(`#tab-${part}`, 'aria-selected')) !== 'true') await page.click(`#tab-${part}`);
}
