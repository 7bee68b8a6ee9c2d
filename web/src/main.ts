// The demo page: trains and scores images and CSV files in the browser with the CA3 SDK (all
// work in the SDK's Web Worker) and shows why a sample is flagged. Charts: Chart.js.
import {
  Chart, BarController, BarElement, CategoryScale, Filler, Legend, LineController, LineElement, LinearScale,
  PointElement, ScatterController, Tooltip,
} from 'chart.js';
import {
  type ColumnSummary, type CsvSummary, type Detector, type FitReport, type Metrics, type ImageSize, type RowExplanation, type Runtime, type TableData,
  PRESETS, getRuntime, imageKind, imageSet, imageSizeOf, likeRowsScore, tableFromCsv,
} from 'ca3-sdk';
import { SCORE_DECIMALS, ScoreView, formatScore, formatThreshold, pickView, rocPoints, scoreDecimals, countFlagged } from './score-view.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LineController, LineElement, LinearScale,
  PointElement, ScatterController, Tooltip);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
// The sample's (Fashion-MNIST) image size; own images take the size chosen before training.
const SAMPLE_SIZE: ImageSize = { width: 28, height: 28, channels: 1 };
const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const sampleLength = (size: ImageSize) => size.width * size.height * size.channels;
const colourOf = (channels: number) => (channels === 3 ? 'colour' : 'grey');
/** An image size in words: "32x32 colour", as the core writes sizes. */
const sizeText = (size: ImageSize) => `${size.width}x${size.height} ${colourOf(size.channels)}`;

let runtime: Runtime;
let imageDetector: Detector | undefined;
let tableDetector: Detector | undefined;
// A set of images as model inputs [count, h, w, c] in [0, 1], with a name per image.
interface Images { pixels: Float32Array; size: ImageSize; names: string[]; labels?: Int32Array }
let trainingImages: (Images & { labels: Int32Array }) | undefined;
// Images shown in the grid and used for the "why" views: held-out sample images or dropped ones.
let shown: (Images & { scores: Float32Array; what: string }) | undefined;
let trainCsv: Uint8Array | undefined;  // the file's bytes: the core decodes them (UTF-8, UTF-16, Windows-1252)
let trainCsvName = '';
let scoredCsvSource: Uint8Array | undefined;  // the last scored CSV: the download adds score / flag to it
let scoredCsvName = '';

// ---- tables wider than the screen ----------------------------------------------------------------
// Such a table scrolls sideways (shadows at its edges show it); its hint says so in words.
function hintScroll(table: HTMLElement) {
  const hint = document.querySelector<HTMLElement>(`.scroll-hint[data-for="${table.id}"]`);
  if (hint) hint.hidden = table.hidden || table.scrollWidth <= table.clientWidth + 1;
}
addEventListener('resize', () => document.querySelectorAll<HTMLElement>('table.schema, .architecture').forEach(hintScroll));

// ---- the page's parts as tabs ------------------------------------------------------------------------
// Images, Tables, Learn, Models: one panel shown at a time (its name in the address, #tables), the
// tabs reached with Tab and moved between with the arrow keys, Home and End (WAI-ARIA tabs pattern).
const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role=tab]')];
const tabOf = (element: Element) => tabs.find((t) => t.dataset.tab === element.closest<HTMLElement>('[role=tabpanel]')?.dataset.tab);
function showTab(name: string, focus = false) {
  const tab = tabs.find((t) => t.dataset.tab === name);
  if (!tab) return;
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute('aria-controls')!).hidden = !selected;
  }
  delete tab.dataset.alert;
  if (focus) tab.focus();
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  document.querySelectorAll<HTMLElement>('table.schema, .architecture').forEach(hintScroll);
}
tabs.forEach((tab, i) => {
  tab.addEventListener('click', () => showTab(tab.dataset.tab!));
  tab.addEventListener('keydown', (e) => {
    const next = ({ ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 } as Record<string, number>)[e.key];
    if (next === undefined) return;
    e.preventDefault();
    showTab(tabs[(next + tabs.length) % tabs.length].dataset.tab!, true);
  });
  // A file dragged onto a tab opens its panel, to be dropped on the drop zone there.
  tab.addEventListener('dragenter', () => showTab(tab.dataset.tab!));
});
addEventListener('hashchange', () => showTab(location.hash.slice(1)));
if (location.hash) showTab(location.hash.slice(1));
// Work under way in a panel: a dot on its tab while another panel is shown.
function tabBusy(name: string, busy: boolean) {
  const tab = tabs.find((t) => t.dataset.tab === name)!;
  if (busy) tab.dataset.busy = 'true';
  else delete tab.dataset.busy;
}

// ---- messages ---------------------------------------------------------------------------------------
// An error is shown beside the control that caused it (after its row), where the user is looking;
// errors of no control (the start), or of work in a panel not shown, at the top of the page (then
// named by their part, and its tab marked).
const messageHome = { parent: $('message').parentElement!, next: $('message').nextSibling };
function showError(error: unknown, near?: Element | null) {
  let text = error instanceof Error ? error.message : String(error);
  const box = $('message');
  box.hidden = false;
  box.className = 'message error';
  const anchor = near?.closest('.row, .drops, table, .results');
  const tab = anchor && tabOf(anchor);
  if (anchor && tab?.getAttribute('aria-selected') !== 'false') anchor.after(box);
  else {
    if (tab) {
      tab.dataset.alert = 'true';
      text = `${tab.textContent}: ${text}`;
    }
    messageHome.parent.insertBefore(box, messageHome.next);
  }
  box.textContent = text;
  box.scrollIntoView({ block: 'nearest' });
}
function clearMessage() {
  $('message').hidden = true;
}
// Runs an event handler; any error becomes a message beside the control (and nothing trained is
// lost). body[data-handled] counts finished handlers (tests wait on it).
function guard<A extends unknown[]>(handler: (...args: A) => Promise<void> | void) {
  return async (...args: A) => {
    const event = args[0];
    const source = event instanceof Event ? (event.currentTarget ?? event.target) as Element | null : null;
    try {
      clearMessage();
      await started;  // a file dropped while the page starts waits for the runtime
      await handler(...args);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') showError(e, source);
    } finally {
      document.body.dataset.handled = String(Number(document.body.dataset.handled ?? 0) + 1);
    }
  };
}

// ---- the bundled sample -----------------------------------------------------------------------------
async function loadSample() {
  const response = await fetch('samples/fashion-mnist.bin.gz');
  if (!response.ok || !response.body) throw new Error(`cannot load the sample images (HTTP ${response.status})`);
  const bytes = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const view = new DataView(bytes.buffer);
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== 'CA3S') throw new Error('the sample file is damaged');
  const count = view.getUint32(4, true);
  const classes = bytes.subarray(16, 16 + count);
  const raw = bytes.subarray(16 + count);
  const pixels = new Float32Array(count * sampleLength(SAMPLE_SIZE));
  for (let i = 0; i < pixels.length; ++i) pixels[i] = raw[i] / 255;
  const labels = Int32Array.from(classes, (c) => (c === 0 ? 0 : 1));
  const names = Array.from(classes, (c, i) => `${FASHION_CLASSES[c]} #${i + 1}`);
  return { pixels, labels, names, count };
}

// ---- charts ---------------------------------------------------------------------------------------------
const lossChart = new Chart<'line', (number | null)[], string>($<HTMLCanvasElement>('image-loss-chart'), {
  type: 'line',
  data: {
    labels: [],
    datasets: [
      { label: 'training loss', data: [], yAxisID: 'loss', borderColor: '#3b6ea5', tension: 0.2 },
      { label: 'validation ROC-AUC', data: [], yAxisID: 'auc', borderColor: '#c0392b', tension: 0.2 },
    ],
  },
  options: {
    animation: false,
    maintainAspectRatio: false,
    scales: {
      loss: { type: 'linear', position: 'left', title: { display: true, text: 'loss' } },
      auc: { type: 'linear', position: 'right', suggestedMin: 0.5, max: 1, title: { display: true, text: 'ROC-AUC' }, grid: { drawOnChartArea: false } },
    },
  },
});

// The threshold, ROC and histogram views: of the image model's shown images, of the table model's rows.
// The training status names the threshold the model flags from; the slider's button can move it.
function statusThreshold(id: string, trained: number) {
  const span = document.createElement('span');
  span.id = id;
  span.dataset.trained = String(trained);
  span.textContent = `threshold ${formatThreshold(trained, SCORE_DECIMALS.images)}`;
  return span;
}
function movedThreshold(id: string, threshold: number) {
  const span = document.getElementById(id);
  if (span) span.textContent = `threshold ${formatThreshold(threshold, SCORE_DECIMALS.images)} (moved with the slider; training chose ` +
    `${formatThreshold(Number(span.dataset.trained), SCORE_DECIMALS.images)})`;
}
const imageView = new ScoreView($('image-score-view'), '', 'images', () => renderGrid(), (e) => showError(e, $('threshold')), (t) => {
  movedThreshold('image-status-threshold', t);
  showModelsInUse();
});
const tableView = new ScoreView($('table-score-view'), 'table-', 'rows', () => scheduleTableRows(), (e) => showError(e, $('table-threshold')),
  () => {
    showModelsInUse();
    void showCsvCounts().catch((e) => showError(e, $('table-threshold')));  // the scored file's counts at the new threshold
  });

// ---- heatmaps (image rendering of tensors) -------------------------------------------------------------
function heatmap(values: ArrayLike<number>, width: number, height: number, diverging = false, scale = 4) {
  const canvas = document.createElement('canvas');
  canvas.width = width, canvas.height = height;
  canvas.style.width = `${width * scale}px`;
  canvas.style.height = `${height * scale}px`;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  let max = 1e-12, min = Infinity;
  for (let i = 0; i < width * height; ++i) max = Math.max(max, Math.abs(values[i])), min = Math.min(min, values[i]);
  for (let i = 0; i < width * height; ++i) {
    const v = values[i];
    let r: number, g: number, b: number;
    if (diverging) {  // red = raises the score, blue = lowers it
      const t = Math.min(1, Math.abs(v) / max);
      [r, g, b] = v >= 0 ? [255, 255 * (1 - t), 255 * (1 - t)] : [255 * (1 - t), 255 * (1 - t), 255];
    } else {
      const t = max > min ? (v - Math.min(min, 0)) / (max - Math.min(min, 0)) : 0;
      r = g = b = 255 * t;
    }
    image.data.set([r, g, b, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

// An image as it is: grey or colour, values in [0, 1], drawn `px` pixels wide.
function picture(values: ArrayLike<number>, size: ImageSize, px: number) {
  const canvas = document.createElement('canvas');
  canvas.width = size.width, canvas.height = size.height;
  canvas.style.width = `${px}px`;
  canvas.style.height = `${Math.round((px * size.height) / size.width)}px`;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(size.width, size.height);
  const c = size.channels;
  for (let i = 0; i < size.width * size.height; ++i) {
    const at = (k: number) => 255 * Math.min(1, Math.max(0, values[i * c + Math.min(k, c - 1)]));
    image.data.set([at(0), at(1), at(2), 255], i * 4);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

// Per pixel, over the channels: the sum (attributions) or the mean (squared errors).
function perPixel(values: ArrayLike<number>, size: ImageSize, reduce: 'sum' | 'mean') {
  const out = new Float32Array(size.width * size.height);
  for (let p = 0; p < out.length; ++p) {
    let total = 0;
    for (let k = 0; k < size.channels; ++k) total += values[p * size.channels + k];
    out[p] = reduce === 'sum' ? total : total / size.channels;
  }
  return out;
}

function figure(canvas: HTMLCanvasElement, caption: string) {
  const f = document.createElement('figure');
  const c = document.createElement('figcaption');
  c.textContent = caption;
  f.append(canvas, c);
  return f;
}

// Keyboard focus on a button that is disabled (Train while it trains, Cancel when it ends) goes to
// the button that takes over; else it would drop to the start of the page. `focused`: the id
// focusedId() gave before the buttons changed; `takeOver`: which button takes over from which.
function focusedId() { return document.activeElement?.id ?? ''; }
function passFocus(focused: string, takeOver: Record<string, string>) {
  if (takeOver[focused]) $(takeOver[focused]).focus();
}

// ---- images: training ------------------------------------------------------------------------------------
let imageAbort: AbortController | undefined;
// Image work under way: a fit or a comparison (one at a time), or images being read.
const imageWork = { fitting: false, comparing: false, reading: 0 };
function updateImageButtons() {
  const idle = !imageWork.fitting && imageWork.reading === 0 && !!trainingImages;
  const focused = focusedId();  // before a focused button is disabled
  $<HTMLButtonElement>('train-images').disabled = $<HTMLButtonElement>('compare').disabled = !idle;
  $<HTMLButtonElement>('cancel-images').disabled = $<HTMLButtonElement>('cancel-compare').disabled = !imageWork.fitting;
  if (imageWork.fitting) passFocus(focused, { 'train-images': 'cancel-images', compare: 'cancel-compare' });
  else if (idle) passFocus(focused, { 'cancel-images': 'train-images', 'cancel-compare': 'compare' });
  tabBusy('images', imageWork.fitting && !imageWork.comparing);
  tabBusy('learn', imageWork.comparing);
  showCompareSettings();
}

// Under Learn, the settings a comparison will use: those chosen under Images.
function showCompareSettings() {
  const epochs = Number($<HTMLInputElement>('image-epochs').value), gamma = $<HTMLInputElement>('gamma').value;
  const stop = $<HTMLInputElement>('image-early-stop').checked;
  const images = trainingImages;
  $('compare-settings').textContent = !images ? 'Choose the sample or your images under Images first.'
    : `With the settings chosen under Images (change them there): ${images.names.length.toLocaleString('en')} images ` +
      `(${sizeText(images.size)}), ` +
      `${stop ? 'at most ' : ''}${epochs} epoch${epochs === 1 ? '' : 's'}${stop ? ' (stopping early)' : ''}, γ = ${gamma}.`;
}

function setImageData(images: Images & { labels: Int32Array }, description: string, note = '') {
  trainingImages = images;
  const anomalies = images.labels.reduce((a, b) => a + b, 0);
  // Without anomalous images, the user may say some of the images are anomalies (training.contamination).
  $('image-contaminated-option').hidden = anomalies > 0;
  $('image-data-info').textContent = `${description}: ${images.labels.length} images (${sizeText(images.size)}), ` +
    `${images.labels.length - anomalies} normal, ${anomalies} anomalous` +
    (anomalies ? '.' : ' (the alarm learns from synthetic anomalies: rotated, patched and stained copies).') + note;
  updateImageButtons();
}

async function useSample() {
  const sample = await loadSample();
  const train = Math.floor(sample.count * 0.8);
  const n = sampleLength(SAMPLE_SIZE);
  ownImageFiles = undefined;
  $('folder-labels').hidden = true;
  $('image-skipped').textContent = '';
  trainingName = 'fashion-mnist-sample';
  setImageData({ pixels: sample.pixels.slice(0, train * n), size: SAMPLE_SIZE, names: sample.names.slice(0, train),
    labels: sample.labels.slice(0, train) }, 'Fashion-MNIST sample, training part (its own size: 28x28 grey)');
  // The rest is held out for the views below (never seen in training).
  heldOut = { pixels: sample.pixels.slice(train * n), size: SAMPLE_SIZE, names: sample.names.slice(train), labels: sample.labels.slice(train) };
}
let heldOut: (Images & { labels: Int32Array }) | undefined;
// The training images' name, for the file names of what is downloaded (a folder's name, or the sample).
let trainingName = '';

// The size own images are read at: chosen before training (the sample has its own). "auto":
// colour when any of the images has colour, else grey (as `ca3 train` decides for a folder).
function chosenImageSize(): ImageSize & { auto: boolean } {
  const [side, channels] = $<HTMLSelectElement>('image-size').value.split('x');
  const auto = channels === 'auto';
  return { width: Number(side), height: Number(side), channels: auto ? 3 : Number(channels), auto };
}

const IMAGE_FILE = /\.(png|jpe?g|gif|bmp|webp|avif)$/i;
const isImageFile = (f: File) => f.type.startsWith('image/') || IMAGE_FILE.test(f.name);
// The kind of image a file's name says it is ('' for none).
const nameKind = (name: string) => {
  const extension = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  return ({ png: 'PNG', jpg: 'JPEG', jpeg: 'JPEG', gif: 'GIF', bmp: 'BMP', webp: 'WebP' } as Record<string, string>)[extension] ?? '';
};
// The kind of image a file's first bytes say it is ('' for none), for a file whose name and type
// do not say so (a PNG without an extension, or renamed .dat): read by its bytes, as `ca3` does.
const imageKindOf = async (f: File) => imageKind(new Uint8Array(await f.slice(0, 16).arrayBuffer()));
// A folder name that means "normal" (the others are anomalies unless the user picks otherwise).
const NORMAL_FOLDER = /^(normal|good|ok|okay|pass|passed|clean|negative|neg|train|0)$/i;

// Own images: a folder whose sub-folders name the labels, or the normal / anomalous drop zones.
let ownImageFiles: { files: File[]; folders: string[] } | undefined;

// The sub-folder of the chosen folder a file is in ('' for files directly in it): its label,
// however deep the file lies below it (normal/day1/x.png is in "normal").
function folderOf(f: File) {
  const parts = (f.webkitRelativePath || f.name).split('/');
  return parts.length >= 3 ? parts[1] : '';
}

async function ownImages(source: 'drops' | 'folder') {
  let files: File[];
  if (source === 'folder') {
    files = [...($<HTMLInputElement>('image-folder').files ?? [])];
    if (!files.length) return;
  } else {
    const normal = [...($<HTMLInputElement>('normal-files').files ?? [])];
    if (!normal.length) return;
    files = [...normal, ...($<HTMLInputElement>('anomaly-files').files ?? [])];
    normalDrop = new Set(normal);
  }
  // A hidden file (a name starting with '.', as macOS's "._x.png" beside x.png) is no image of the folder.
  const kinds = await Promise.all(files.map((f) => (f.name.startsWith('.') ? '' : imageKindOf(f))));
  const byBytes = new Map<File, string>(files.flatMap((f, i) => (kinds[i] && !isImageFile(f) ? [[f, kinds[i]] as [File, string]] : [])));
  // Named as another kind of image than its bytes are (a PNG named .jpg): read as what it is, said (as `ca3` does).
  const misnamed = files.flatMap((f, i) => {
    const named = nameKind(f.name);
    return kinds[i] && named && named !== kinds[i] ? [`${f.name} (${kinds[i]})`] : [];
  });
  const usable = (f: File) => !f.name.startsWith('.') && (isImageFile(f) || byBytes.has(f));
  const images = files.filter(usable);
  const skipped = files.filter((f) => !usable(f));
  if (!images.length) throw new Error(`none of the ${files.length} files is an image (PNG, JPEG, GIF, BMP, WebP)`);
  const folders = source === 'folder' ? [...new Set(images.map(folderOf))].sort() : [];
  ownImageFiles = { files: images, folders };
  const read = [...byBytes];
  const skippedNote = $('image-skipped');
  skippedNote.textContent = (skipped.length
    ? `${skipped.length} file${skipped.length > 1 ? 's' : ''} that ${skipped.length > 1 ? 'are' : 'is'} not an image left out: ` +
      namesListed(skipped.map((f) => f.name)) + '.'
    : '') + (read.length
    ? `${skipped.length ? ' ' : ''}${read.length} file${read.length > 1 ? 's' : ''} read as ${read.length > 1 ? 'images' : 'an image'} ` +
      `by ${read.length > 1 ? 'their' : 'its'} bytes, not ${read.length > 1 ? 'their names' : 'its name'}: ` +
      namesListed(read.map(([f, kind]) => `${f.name} (${kind})`)) + '.'
    : '') + (misnamed.length
    ? ` ${misnamed.length} named as another kind of image, read as what ${misnamed.length > 1 ? 'their bytes are' : 'its bytes are'}: ` +
      namesListed(misnamed) + '.'
    : '');
  skippedNote.hidden = !skippedNote.textContent;
  // Which folder holds the normal images: one named like "normal" / "good", else the largest.
  const select = $<HTMLSelectElement>('normal-folder');
  select.replaceChildren();
  // (one folder, or the chosen folder's own files alone: every image is normal, nothing to choose)
  $('folder-labels').hidden = folders.length <= 1;
  if (folders.length) {
    const count = (name: string) => images.filter((f) => folderOf(f) === name).length;
    // (counted again once read: a file the browser cannot decode is left out)
    for (const name of folders) select.append(new Option(folderOption(name, count(name)), name));
    select.append(new Option('none: every image is normal (no labelled anomalies)', '\u0000all'));
    const named = folders.find((name) => NORMAL_FOLDER.test(name));
    select.value = folders.length === 1 ? '\u0000all' : named ?? [...folders].sort((x, y) => count(y) - count(x))[0];
  }
  await readOwnImages();
}
let normalDrop = new Set<File>();
let imageReads = 0;

// A folder in the normal-folder menu: its images, and those left out as unreadable once read.
function folderOption(name: string, images: number, leftOut = 0) {
  return `${name || '(the top folder)'} (${counted(images, 'image')}${leftOut ? `; ${leftOut} left out, unreadable` : ''})`;
}

// Reads the chosen files at the chosen size, with labels from the folders or the drop zones.
async function readOwnImages() {
  if (!ownImageFiles) return;
  const { files, folders } = ownImageFiles;
  const { auto, ...chosen } = chosenImageSize();
  let size: ImageSize = chosen;
  const normalFolder = $<HTMLSelectElement>('normal-folder').value;
  const started = performance.now();
  const request = ++imageReads;
  $('image-data-info').textContent = `Reading ${files.length} images…`;
  imageWork.reading += 1;
  updateImageButtons();
  let pixels: Float32Array, grey: boolean[], used: File[], skipped: { name: string; message: string }[], sizes: { width: number; height: number }[], frames: number[];
  try {
    // A file the browser cannot decode is left out, said with its reason; the others are read.
    ({ inputs: pixels, grey, used, skipped, sizes, frames } = await decodeSkipping(files, size));
    // Every image grey (r = g = b in every pixel): read again as grey, nothing lost and a third of the input.
    if (auto && grey.every(Boolean)) {
      size = { ...size, channels: 1 };
      ({ inputs: pixels } = await decodeSkipping(used, size));
    }
  } catch (e) {
    if (request === imageReads) $('image-data-info').textContent = '';
    throw e;
  } finally {
    imageWork.reading -= 1;
    updateImageButtons();
  }
  if (request !== imageReads) return;  // another choice came meanwhile: its read wins
  for (const option of $<HTMLSelectElement>('normal-folder').options) {
    if (option.value === '\u0000all') continue;
    const inFolder = (f: File) => folderOf(f) === option.value;
    option.text = folderOption(option.value, used.filter(inFolder).length, files.filter(inFolder).length - used.filter(inFolder).length);
  }
  const labels = Int32Array.from(used, (f) =>
    folders.length ? (normalFolder === '\u0000all' || folderOf(f) === normalFolder ? 0 : 1) : normalDrop.has(f) ? 0 : 1);
  // A file's name as the user knows it: its path below the chosen folder (normal/x.png).
  const names = used.map((f) => f.webkitRelativePath.split('/').slice(1).join('/') || f.name);
  let description = 'Your images';
  if (folders.length) {
    const anomalous = folders.filter((f) => normalFolder !== '\u0000all' && f !== normalFolder);
    description += folders.length === 1 ? (folders[0] ? ` (one sub-folder, ${folders[0]}/: all taken as normal)` : ' (no sub-folders: all taken as normal)')
      : normalFolder === '\u0000all' ? ' (every folder normal)'
      : ` (normal: ${normalFolder || 'the top folder'}/; anomalous: ${anomalous.map((f) => `${f || 'the top folder'}/`).join(', ') || 'none'})`;
  }
  trainingName = (files[0].webkitRelativePath.split('/')[0] || 'my-images') + `-${size.width}px-${colourOf(size.channels)}`;
  // What the colour choice did with these images, when it is worth a word.
  const coloured = grey.filter((g) => !g).length, n = used.length;
  // Which ones, when only a few of many: a faint tint in one image is enough to read all in colour.
  const which = coloured > 0 && coloured <= 3 && coloured < n
    ? ` (${names.filter((_name, i) => !grey[i]).join(', ')})` : '';
  const some = (k: number) => (k === n ? (n === 1 ? 'the image' : `all ${n}`) : `${k} of the ${n}${which}`);
  const colourNote =
    auto ? (coloured ? ` Read in colour: ${some(coloured)} ${coloured === 1 ? 'has' : 'have'} colour.`
      : ` Read as grey: every image is grey (red = green = blue), so colour would add nothing.`)
    : size.channels === 1 && coloured ? ` ${some(coloured).replace(/^./, (c) => c.toUpperCase())} ${coloured === 1 ? 'has' : 'have'} colour, read as grey ` +
      '(0.299 red + 0.587 green + 0.114 blue): choose colour above if colour tells the anomalies apart.'
    : size.channels === 3 && !coloured ? ' Every image is grey (red = green = blue): a grey size reads them at a third of the input, nothing lost.'
    : '';
  // Copies as the model reads them (the core's check, as `ca3 train` makes it): held out beside their twins they flatter validation.
  // What fitting them to the model's size did, and which are copies as the model reads them (the
  // core's words and checks, as `ca3 train` says them); notes that never stop the read.
  const [fitted, copies] = await Promise.all([runtime.imageFitNote(sizes, frames, names, size).catch(() => ''),
    runtime.imageCopiesNote(pixels, names, size).catch(() => '')]);
  if (request !== imageReads) return;
  const sentence = (text: string) => (text ? ` ${text.replace(/^./, (c) => c.toUpperCase())}.` : '');
  const resized = fitted !== `all ${size.width}x${size.height}`;  // (else each image is read at its own size: nothing to say)
  setImageData({ pixels, size, names, labels }, description + `, read in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    sentence(resized ? fitted : '') + colourNote + (skipped.length ? ` ${leftOutNote(skipped)}.` : '') + sentence(copies));
  heldOut = undefined;
}

// Early stopping is the user's choice: with it off, the epochs typed are all trained.
const patience = (preset: 'fashion-mnist-small' | 'tabular') => PRESETS[preset].training?.patience ?? 0;
$('image-early-stop-text').textContent = `stop when validation has not improved for ${patience('fashion-mnist-small')} epochs`;
$('csv-early-stop-text').textContent = `stop when validation has not improved for ${patience('tabular')} epochs`;
// The epoch kept is the best on validation: by ROC-AUC (ties: the loss) when every anomaly is a
// labelled one and validation has both kinds, else by the lowest loss (synthetic anomalies make
// the AUC say little); the report says which (bestBy).
function stoppingText(report: FitReport, requested: number) {
  const v = report.validation;
  if (v.normal + v.anomalies === 0)
    return `${report.epochs} epoch${report.epochs === 1 ? '' : 's'}, keeping the last (too few samples to hold any out for validation)`;
  // (a report saved before bestBy was written: as the fit decides by default)
  const byAuc = report.bestBy ? report.bestBy === 'auc' : report.setting === 'labelled' && v.anomalies > 0 && v.normal > 0;
  const best = byAuc ? `keeping the epoch of the best validation ROC-AUC, ${report.bestEpoch}`
    : `keeping the epoch of the lowest validation loss, ${report.bestEpoch}`;
  if (report.epochs < requested) return `stopped early at epoch ${report.epochs} of ${requested}, ${best}`;
  // The best the last when the epochs ran out: say so (a single-stage fit; A³ counts two stages).
  const last = report.epochs === requested && report.bestEpoch === report.epochs && requested > 1;
  return `${report.epochs} epoch${report.epochs === 1 ? '' : 's'}, ${best}` + (last ? ' — the last, so more epochs may help' : '');
}

const GAMMA_ZERO = 'γ = 0: the alarm network learns nothing (its loss has no weight), so its scores are chance; ' +
  'the paper uses γ = 10.';

function progressText(p: { epoch: number; epochs: number; step: number; steps: number; loss: number; samplesPerSecond: number }) {
  return `epoch ${p.epoch} of at most ${p.epochs}, step ${p.step}/${p.steps}, loss ${p.loss.toFixed(4)}, ${p.samplesPerSecond.toFixed(0)} images/s`;
}

// While a fit runs, its status holds no figure of the model in use (a test reading it must not take
// the old one for the new); a cancelled or failed fit keeps that model, and its status comes back,
// after `note` (a cancel) when given.
function clearFigures(status: HTMLElement) {
  const kept = { ...status.dataset };
  const nodes = [...status.childNodes].filter((n) => !(n instanceof HTMLElement && n.classList.contains('status-note')));
  delete status.dataset.report;
  delete status.dataset.testAuc;
  return (note?: string) => {
    Object.assign(status.dataset, kept);
    const before = nodes.some((n) => n.textContent?.trim());
    const prefix = document.createElement('span');
    prefix.className = 'status-note';
    prefix.textContent = note === undefined ? '' : before ? `${note}; the model in use is unchanged: ` : `${note}.`;
    status.replaceChildren(prefix, ...nodes);
  };
}

// The loss chart shows the training of the image model in use (none for a loaded model); its
// canvas's data-epochs says how many epochs it shows.
function drawLossChart() {
  lossChart.update();
  const epochs = lossChart.data.labels?.length ?? 0;
  $('image-loss-chart').dataset.epochs = String(epochs);
  $('image-loss-chart').parentElement!.hidden = epochs === 0;  // no empty axes for a loaded model
}
function clearLossChart() {
  lossChart.data.labels = [];
  lossChart.data.datasets.forEach((d) => (d.data = []));
  drawLossChart();
}
function keepLossChart() {
  const labels = [...(lossChart.data.labels ?? [])];
  const kept = lossChart.data.datasets.map((d) => ({ data: [...d.data], label: d.label }));
  const aria = $('image-loss-chart').getAttribute('aria-label');
  return () => {
    lossChart.data.labels = labels;
    kept.forEach((k, i) => Object.assign(lossChart.data.datasets[i], k));
    if (aria) $('image-loss-chart').setAttribute('aria-label', aria);
    drawLossChart();
  };
}

// The epochs typed in an epochs box (its min and max): refused, naming the box, unless a whole number in range.
// The share of anomalies the user expects among unlabelled rows or images ("some … may be
// anomalies"), from its per-cent box, as training.contamination (the core takes 0 to below 0.5).
// A text box (not a number one, which drops a decimal comma: "2,5" became 25) read with either mark.
function contaminationIn(id: string) {
  const box = $<HTMLInputElement>(id), text = box.value.trim(), min = Number(box.dataset.min), max = Number(box.dataset.max);
  const value = /^\d+([.,]\d*)?$/.test(text) ? Number(text.replace(',', '.')) : NaN;
  if (!(value >= min && value <= max)) {
    refuseIn(box);
    throw new Error(text === '' ? `the share of anomalies is empty: give a number from ${min} to ${max} (per cent)`
      : `the share of anomalies must be a number from ${min} to ${max} (per cent), not "${box.value}"`);
  }
  return value / 100;
}
// A box whose value was refused: marked invalid and focused, until it is edited.
function refuseIn(box: HTMLInputElement) {
  box.setAttribute('aria-invalid', 'true');
  box.addEventListener('input', () => box.removeAttribute('aria-invalid'), { once: true });
  box.focus();
}
for (const [check, share] of [['contaminated', 'contamination-share'], ['image-contaminated', 'image-contamination-share']]) {
  const box = $<HTMLInputElement>(check);
  box.addEventListener('change', () => { $<HTMLInputElement>(share).disabled = !box.checked; });
}

function epochsIn(id: string) {
  const box = $<HTMLInputElement>(id), value = Number(box.value), min = Number(box.min), max = Number(box.max);
  if (box.value.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    refuseIn(box);
    throw new Error(`epochs must be a whole number from ${min} to ${max}, not "${box.value}"`);
  }
  return value;
}

async function trainImages() {
  if (!trainingImages) throw new Error('choose the sample or drop some images first');
  const restoreFigures = clearFigures($('image-status'));
  const images = trainingImages, held = heldOut, trainedOn = trainingName;  // what this fit is of, whatever is chosen meanwhile
  const gamma = Number($<HTMLInputElement>('gamma').value), epochs = epochsIn('image-epochs');
  const earlyStop = $<HTMLInputElement>('image-early-stop').checked;
  const contaminated = !images.labels.some((l) => l !== 0) && $<HTMLInputElement>('image-contaminated').checked;
  const contamination = contaminated ? contaminationIn('image-contamination-share') : 0;
  $('image-status').textContent = `Starting to train on ${images.names.length} images…`;
  const detector = await runtime.createDetector({ preset: 'fashion-mnist-small', changes: { image: images.size } });
  imageAbort = new AbortController();
  imageWork.fitting = true;
  updateImageButtons();
  const bar = $<HTMLProgressElement>('image-progress');
  bar.hidden = false;
  const restoreChart = keepLossChart();  // a fit that fails or is cancelled leaves the model in use's curves
  clearLossChart();
  // Without labelled anomalies the validation anomalies are synthetic: its AUC says how well the
  // alarm tells those from normal images, nothing about real anomalies.
  // With a few labelled anomalies (fewer than ~10) none may reach validation, where synthetic ones stand in.
  const labelled = images.labels.reduce((n, l) => n + (l !== 0 ? 1 : 0), 0);
  lossChart.data.datasets[1].label = labelled >= 10 ? 'validation ROC-AUC'
    : labelled ? 'validation ROC-AUC, normal vs labelled or synthetic anomalies (few labelled ones)'
      : 'validation ROC-AUC, normal vs synthetic anomalies (no real ones to measure)';
  $('image-loss-chart').setAttribute('aria-label', `Training loss and ${lossChart.data.datasets[1].label} per epoch`);
  drawLossChart();
  const started = performance.now();
  let report: FitReport;
  try {
    report = await detector.fit(imageSet(images.pixels, images.labels, images.size), {
      epochs,
      presetChanges: { training: { ...(earlyStop ? {} : { patience: 0 }), ...(contaminated ? { contamination } : {}) } },
      gamma,
      signal: imageAbort.signal,
      onProgress: (p) => {
        bar.value = (p.epoch - 1 + p.step / p.steps) / p.epochs;
        $('image-status').textContent = progressText(p);
        if (p.epochEnd) {
          lossChart.data.labels!.push(String(p.epoch));
          lossChart.data.datasets[0].data.push(p.loss);
          lossChart.data.datasets[1].data.push(p.validationAuc ?? null);
          drawLossChart();
        }
      },
    });
  } catch (e) {
    await detector.dispose();
    restoreChart();
    if ((e as Error).name === 'AbortError') {
      restoreFigures('Cancelled');
      return;
    }
    restoreFigures();
    throw e;
  } finally {
    bar.hidden = true;
    imageWork.fitting = false;
    updateImageButtons();
  }
  // The new model is adopted: what follows cannot lose it.
  imageDetector?.dispose();
  imageDetector = detector;
  $<HTMLInputElement>('score-files').value = '';  // the grid shows this fit's images: the same files dropped again are scored
  modelFiles.image = `${slug(trainedOn)}-model.ca3`;
  const seconds = (performance.now() - started) / 1000;
  modelInUse('image', `Image model in use: trained on this page on ${images.names.length.toLocaleString('en')} images ` +
    `(${sizeText(images.size)}), threshold {threshold}.`);
  $('image-status').replaceChildren(`Trained in ${seconds.toFixed(1)} s (${stoppingText(report, epochs)}): ` +
    testFigure(report, 'images'), statusThreshold('image-status-threshold', report.test.threshold),
    '.', ...settingNodes(report, 'image', gamma === 0 ? ' ' + GAMMA_ZERO : ''));
  $('image-status').dataset.testAuc = String(report.test.rocAuc);
  $<HTMLButtonElement>('download-image-model').disabled = false;
  addRun('e2e', images, gamma, report, held ? await detector.evaluate(imageSet(held.pixels, held.labels, held.size)) : null, seconds);
  if (held) await showImages(held, 'held-out sample images', `never trained on; the test ROC-AUC above is on the fit's own ` +
    `${(report.test.anomalies + report.test.normal).toLocaleString('en')} test images — another sample, so the two figures differ a little`);
  // Without labelled anomalies the training images carry no labels to judge a flag by (all were
  // taken as normal; with "some may be anomalies" the flagged ones may be just those).
  else {
    // The fit held some out (validation, test): the grid shows them all, said.
    const heldOut = report.rows.validation + report.rows.test;
    await showImages(report.labelledAnomalies ? images : { ...images, labels: undefined }, 'training images',
      (heldOut ? `it learned from ${report.rows.train.toLocaleString('en')} of them and held out ${heldOut.toLocaleString('en')} to check it; ` : '') +
      'the highest scores are the images least like the rest' +
      (report.labelledAnomalies ? '; the model has seen most of them, so its figures on them are optimistic' : ''));
  }
}

// ---- images: scoring and the views -----------------------------------------------------------------------
// `what` names the images in a few words (chart legends); `note` says more in the sentence above.
async function showImages(images: Images, what: string, note = '') {
  if (!imageDetector) throw new Error('train or load an image model first');
  const detector = imageDetector;
  const scores = await detector.score(imageSet(images.pixels, undefined, images.size));
  const current = { ...images, scores, what };
  shown = current;
  const labels = images.labels;
  $('why-what').textContent = `The image model on ${images.names.length.toLocaleString('en')} ${what}${note ? ` (${note})` : ''}. ` +
    'Click an image in the grid to see its reconstruction and what raises its score.';
  $('image-grid-controls').hidden = false;
  $<HTMLButtonElement>('download-image-scores').disabled = false;
  gridCells = gridPage();
  await imageView.show({
    detector, scores, labels, unit: 'images', what,
    evaluate: labels ? (threshold) => detector.evaluateScores(scores, labels, threshold) : undefined,
  });
  await inspect(current, order()[0]);
}

// A model without images to show (a new or uploaded model before any images are dropped).
function clearImageViews(text: string) {
  shown = undefined;
  imageView.clear();
  $('image-grid').replaceChildren();
  $('grid-more').hidden = true;
  $('image-grid-controls').hidden = true;
  $<HTMLButtonElement>('download-image-scores').disabled = true;
  $('inspect').replaceChildren();
  $('stacks').replaceChildren();
  $('why-what').textContent = text;
}

// Image indices, most anomalous first.
// The scored samples by descending score (a table row holding no sample has none: NaN, left out).
function order(s: { scores: Float32Array } = shown!) {
  return [...s.scores.keys()].filter((i) => !Number.isNaN(s.scores[i])).sort((a, b) => s.scores[b] - s.scores[a]);
}

// The grid's first page: 120 images, 40 on a phone (there 4 a row); "Show more" adds as many again.
const gridPage = () => (matchMedia('(max-width: 600px)').matches ? 40 : 120);
let gridCells = gridPage();
function renderGrid() {
  const grid = $('image-grid');
  grid.replaceChildren();
  $('grid-more').hidden = true;
  if (!shown) return;
  const s = shown;
  const threshold = imageView.threshold;
  const byScore = order();
  const picked = pickView(byScore, s.scores, $<HTMLSelectElement>('grid-view').value, threshold, gridCells);
  // The threshold with as many decimals as the captions show (as the table's rows: no "0.240" unflagged beside "threshold 0.240").
  const decimals = Math.max(3, ...picked.map((i) => scoreText(s.scores[i], threshold, 3).split('.')[1]?.length ?? 0));
  $('grid-count').textContent = `showing ${picked.length.toLocaleString('en')} of ${byScore.length.toLocaleString('en')} images; ` +
    `a red frame: flagged at the slider's threshold (from a score of ${formatThreshold(threshold, SCORE_DECIMALS.images, decimals)})` +
    (s.labels ? '; a red bar: labelled anomalous; under each, what the flag got right or wrong: caught (a flagged anomaly), ' +
      'false alarm (a flagged normal image, dashed frame) or missed (an anomaly not flagged)' : '');
  const more = Math.min(gridPage(), byScore.length - picked.length);
  $('grid-more').hidden = more <= 0;
  $('grid-more').textContent = `Show ${more.toLocaleString('en')} more`;
  const n = sampleLength(s.size);
  for (const i of picked) {
    const button = document.createElement('button');
    const label = s.labels ? (s.labels[i] ? 'anomaly' : 'normal') : '';
    const flagged = s.scores[i] >= threshold;
    // With labels, the flag's outcome in words: a flagged normal image and a flagged anomaly differ.
    const outcome = !label ? '' : flagged ? (label === 'anomaly' ? 'caught' : 'false alarm') : label === 'anomaly' ? 'missed' : '';
    button.className = 'cell' + (flagged ? ' flagged' : '') + (label === 'anomaly' ? ' labelled-anomaly' : '') +
      (outcome ? ` ${outcome.replace(' ', '-')}` : '');
    button.dataset.outcome = outcome;
    // Whether it is flagged, in words too (the red frame alone says nothing to a screen reader).
    button.title = `${s.names[i]}: score ${s.scores[i].toFixed(4)}` +
      (label ? ` (${label}${outcome ? `: ${outcome}` : ''})` : flagged ? ' (flagged)' : '');
    button.setAttribute('aria-pressed', 'false');
    button.dataset.score = String(s.scores[i]);
    button.dataset.name = s.names[i];
    button.setAttribute('aria-label', button.title);
    button.append(picture(s.pixels.subarray(i * n, (i + 1) * n), s.size, 56));
    const caption = document.createElement('span');
    caption.textContent = scoreText(s.scores[i], threshold, 3);
    const name = document.createElement('span');
    name.className = 'name';
    // Lines break after a name's separators ("normal/", "img_", "2024-") where they can, not mid-word.
    for (const piece of s.names[i].split(/(?<=[/_.\-\s])/)) name.append(piece, document.createElement('wbr'));
    button.append(caption, name);
    if (outcome) {
      const tag = document.createElement('span');
      tag.className = 'outcome';
      tag.textContent = outcome;
      button.append(tag);
    }
    button.addEventListener('click', guard(async () => {
      for (const cell of grid.querySelectorAll('.cell.selected')) cell.classList.remove('selected'), cell.setAttribute('aria-pressed', 'false');
      button.classList.add('selected');
      button.setAttribute('aria-pressed', 'true');
      await inspect(s, i);
      // On a narrow screen the view is above the grid: bring it into sight.
      if (matchMedia('(max-width: 800px)').matches) $('inspect').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }));
    grid.append(button);
  }
}

// Every shown image's score as CSV: file, score, flag (at the model's threshold), label.
function imageScoresCsv() {
  const s = shown!;
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const threshold = imageDetector!.threshold;
  const lines = [['file', 'score', 'flag', ...(s.labels ? ['label'] : [])].join(',')];
  s.scores.forEach((score, i) =>
    lines.push([quote(s.names[i]), score.toPrecision(9), score >= threshold ? '1' : '0', ...(s.labels ? [s.labels[i] ? 'anomaly' : 'normal'] : [])].join(',')));
  return lines.join('\n') + '\n';
}

async function inspect(s: Images & { scores: Float32Array }, i: number) {
  if (!imageDetector) return;
  const n = sampleLength(s.size);
  const one = s.pixels.slice(i * n, (i + 1) * n);
  const [reconstruction, attribution] = await Promise.all([imageDetector.reconstruct(imageSet(one, undefined, s.size)), imageDetector.explain(imageSet(one, undefined, s.size))]);
  const error = perPixel(reconstruction.values.map((v, k) => (v - one[k]) ** 2), s.size, 'mean');
  const px = 168;  // two figures a row beside the grid
  const box = $('inspect');
  box.replaceChildren(
    figure(picture(one, s.size, px), `${s.names[i]} (score ${s.scores[i].toFixed(4)})`),
    figure(picture(reconstruction.values, s.size, px), 'target network’s reconstruction'),
    figure(heatmap(error, s.size.width, s.size.height, false, px / s.size.width), 'reconstruction error'),
    figure(heatmap(perPixel(attribution.values, s.size, 'sum'), s.size.width, s.size.height, true, px / s.size.width),
      'gradient × input: red raises the score, blue lowers it'),
  );
  await renderStacks(s, i);
}

// ---- the network, drawn with the image model's real sizes -------------------------------------------------
// Target: input -> encoder layers -> latent -> decoder -> reconstruction; every encoder layer is
// also pooled to the smallest one's size and stacked: the alarm's input -> its convolutions -> score.
async function renderArchitecture(stack: { shape: number[]; layerChannels: number[] }) {
  if (!imageDetector) return;
  const info = await imageDetector.info();
  const model = info.preset.model ?? {};
  const [h, w, c] = info.inputShape ?? [0, 0, 0];
  const [, sh, sw, stacked] = stack.shape;
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 980 215');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'the E2E-ConvA3 network of the image model on this page');
  const add = (tag: string, attributes: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(svgNs, tag);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
    if (text) e.textContent = text;
    svg.append(e);
    return e;
  };
  const box = (x: number, y: number, title: string, detail: string, fill: string) => {
    add('rect', { x, y, width: 112, height: 46, rx: 6, fill, stroke: '#5b6676' });
    add('text', { x: x + 56, y: y + 19, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 600 }, title);
    add('text', { x: x + 56, y: y + 36, 'text-anchor': 'middle', 'font-size': 11 }, detail);
    return { x, y };
  };
  const arrow = (x1: number, y1: number, x2: number, y2: number) => add('line', { x1, y1, x2, y2, stroke: '#5b6676', 'marker-end': 'url(#arrow)' });
  const marker = add('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
  const tip = document.createElementNS(svgNs, 'path');
  tip.setAttribute('d', 'M0,0 L10,5 L0,10 z');
  tip.setAttribute('fill', '#5b6676');
  marker.append(tip);
  add('text', { x: 8, y: 16, 'font-size': 12, fill: '#3b6ea5', 'font-weight': 600 }, 'target network (autoencoder): learns to reconstruct normal samples');
  const colour = colourOf(c);
  const input = box(8, 28, 'input', `${h}×${w} ${colour}`, '#ffffff');
  const encoder: { x: number; y: number }[] = [];
  stack.layerChannels.forEach((channels, i) => encoder.push(box(140 + i * 128, 28, `encoder ${i + 1}`, `${channels} channels`, '#e4ecf6')));
  let x = 140 + stack.layerChannels.length * 128;
  const latent = box(x, 28, 'latent', model.variational === false ? 'code' : 'μ, σ (variational)', '#e4ecf6');
  const decoder = box(x + 128, 28, 'decoder', 'transposed convs', '#e4ecf6');
  const output = box(x + 256, 28, 'reconstruction', `${h}×${w} ${colour}`, '#ffffff');
  for (const [a, b] of [[input, encoder[0]], ...encoder.map((e, i) => [e, encoder[i + 1] ?? latent]), [latent, decoder], [decoder, output]] as const)
    arrow(a.x + 112, a.y + 23, b.x, b.y + 23);
  add('text', { x: 8, y: 136, 'font-size': 12, fill: '#c0392b', 'font-weight': 600 }, 'alarm network: reads the target\'s activations, says how anomalous');
  const pooled = box(140, 150, 'pooled, stacked', `${sh}×${sw}, ${stacked} ch.`, '#fdecea');
  for (const e of encoder) arrow(e.x + 56, e.y + 46, pooled.x + 56, pooled.y);
  const alarm: { x: number; y: number }[] = [];
  (model.alarmChannels ?? []).forEach((channels: number, i: number) => alarm.push(box(268 + i * 128, 150, `alarm conv ${i + 1}`, `${channels} channels`, '#fdecea')));
  x = 268 + alarm.length * 128;
  const score = box(x, 150, 'score', 'dense → sigmoid', '#ffffff');
  for (const [a, b] of [[pooled, alarm[0] ?? score], ...alarm.map((e, i) => [e, alarm[i + 1] ?? score])] as const) arrow(a.x + 112, a.y + 23, b.x, b.y + 23);
  add('text', { x: x + 128, y: 168, 'font-size': 12 }, 'loss = reconstruction error (normal samples)');
  add('text', { x: x + 128, y: 186, 'font-size': 12 }, `+ γ (${model.gamma ?? 10}) × classification (all samples),`);
  add('text', { x: x + 128, y: 204, 'font-size': 12 }, 'trained end to end');
  $('architecture').replaceChildren(svg);
  $('architecture').hidden = false;
  $('learn-wait').hidden = true;
  hintScroll($('architecture'));
}

const CHANNELS_SHOWN = 6;  // per encoder layer, the most varied
// Under Learn, what the alarm network reads (every encoder layer pooled to one size and stacked),
// side by side for the most normal of the shown images and the one picked in the grid (at first
// the most anomalous): the input, the target's reconstruction, then per encoder layer the mean and
// the most varied channels.
let stacksRequest = 0;
async function renderStacks(s: Images & { scores: Float32Array }, picked: number) {
  if (!imageDetector) return;
  const detector = imageDetector;
  const request = ++stacksRequest;  // a later pick wins
  const byScore = order(s);
  const normal = (s.labels ? byScore.filter((i) => s.labels![i] === 0) : byScore).at(-1) ?? byScore.at(-1)!;
  const n = sampleLength(s.size);
  const samples = await Promise.all([normal, picked].map(async (i) => {
    const one = imageSet(s.pixels.slice(i * n, (i + 1) * n), undefined, s.size);
    const [stack, reconstruction] = await Promise.all([detector.activations(one), detector.reconstruct(one)]);
    return { i, stack, reconstruction };
  }));
  if (request !== stacksRequest || detector !== imageDetector) return;
  const { shape: [, h, w, channels], layerChannels } = samples[0].stack;
  await renderArchitecture(samples[0].stack);
  // Channel k of a stack as an h×w map.
  const channel = (values: Float32Array, k: number) => Float32Array.from({ length: h * w }, (_v, p) => values[p * channels + k]);
  const variance = (v: Float32Array) => {
    let sum = 0, squares = 0;
    for (const x of v) (sum += x), (squares += x * x);
    return squares / v.length - (sum / v.length) ** 2;
  };
  // Per encoder layer, the same channels for both: the most varied over the two (each channel is
  // one learned feature detector; the layer's mean alone looks like a blurred input).
  let first = 0;
  const shownChannels = layerChannels.map((c) => {
    const ks = Array.from({ length: c }, (_v, k) => first + k);
    first += c;
    const spread = ks.map((k) => [samples.reduce((t, x) => t + variance(channel(x.stack.values, k)), 0), k] as const);
    return [...spread].sort((a, b) => b[0] - a[0]).slice(0, CHANNELS_SHOWN).map(([, k]) => k);
  });
  const columns = samples.map(({ i, stack, reconstruction }, column) => {
    const box = document.createElement('div');
    box.className = 'stack';
    box.dataset.name = s.names[i];
    const heading = document.createElement('h3');
    const title = column === 0 ? (s.labels ? 'The most normal of the normal images' : 'The most normal image') : 'Picked in the grid';
    heading.textContent = `${title} — ${s.names[i]} (score ${s.scores[i].toFixed(3)}${s.labels ? `, ${s.labels[i] ? 'anomaly' : 'normal'}` : ''})`;
    box.append(heading, figure(picture(s.pixels.subarray(i * n, (i + 1) * n), s.size, 112), 'input'),
      figure(picture(reconstruction.values, s.size, 112), 'the target’s reconstruction'));
    let start = 0;
    layerChannels.forEach((c, layer) => {
      const mean = new Float32Array(h * w);
      for (let k = start; k < start + c; ++k) channel(stack.values, k).forEach((v, p) => (mean[p] += v / c));
      const row = document.createElement('div');
      row.className = 'channels';
      row.append(figure(heatmap(mean, w, h, false, 112 / w), `encoder layer ${layer + 1}: mean of ${c} channels, pooled to ${h}×${w}`));
      const grid = document.createElement('div');
      grid.className = 'channel-grid';
      for (const k of shownChannels[layer]) grid.append(figure(heatmap(channel(stack.values, k), w, h, false, 48 / w), `ch. ${k - start + 1}`));
      row.append(grid);
      box.append(row);
      start += c;
    });
    return box;
  });
  $('stacks').replaceChildren(...columns);
}


// Names in a note: the first 20, then how many more ("a.png, b.png and 3 more"), so that one read
// names the files to mend.
const namesListed = (names: string[]) =>
  names.slice(0, 20).join(', ') + (names.length > 20 ? ` and ${names.length - 20} more` : '');

// What decodeSkipping left out: files with the same reason together ("a.heic, b.heic: not an
// image this browser can decode ..."), every file named, each reason said once.
function leftOutNote(skipped: { name: string; message: string }[]) {
  // Keyed by what follows the name: "name is not an image ..." (the SDK's words), "name: the image
  // file ends too early ..." (the core's); a message without the name stays alone.
  const reasons = new Map<string, string[]>();
  // (in the order of their names, as a folder lists them: the browser hands files over in any order)
  for (const { name, message } of [...skipped].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) {
    const reason = message.startsWith(`${name} is `) ? message.slice(name.length)
      : message.startsWith(`${name}: `) ? message.slice(name.length) : `\u0000${message}`;
    reasons.set(reason, [...(reasons.get(reason) ?? []), name]);
  }
  const parts = [...reasons].map(([reason, names]) => reason.startsWith('\u0000') ? reason.slice(1)
    : names.length === 1 ? `${names[0]}${reason}` : `${namesListed(names)}: ${reason.replace(/^( is |: )/, '')}`);
  return `${counted(skipped.length, 'file')} left out: ${parts.join('; ')}`;
}

// Dropped files as model inputs; a file the browser cannot decode (or too large to) is left out
// with its reason, the others scored. Throws when none is left.
async function decodeSkipping(files: File[], size: ImageSize) {
  try {
    const { inputs, grey, sizes, frames } = await runtime.imagesFromFiles(files, size);
    return { inputs, grey, sizes, frames, used: files, skipped: [] as { name: string; message: string }[] };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (files.length === 1 || (code !== 'unsupported_file' && code !== 'bad_input')) throw e;
  }
  const used: File[] = [], skipped: { name: string; message: string }[] = [], parts: Float32Array[] = [], grey: boolean[] = [];
  const sizes: { width: number; height: number }[] = [], frames: number[] = [];
  for (const file of files) {  // one at a time, to tell which
    try {
      const read = await runtime.imagesFromFiles([file], size);
      parts.push(read.inputs);
      grey.push(read.grey[0]);
      sizes.push(read.sizes[0]);
      frames.push(read.frames[0]);
      used.push(file);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== 'unsupported_file' && code !== 'bad_input') throw e;
      skipped.push({ name: file.name, message: (e as Error).message });
    }
  }
  if (!used.length) throw new Error(`none of the ${files.length} files could be read as an image (${skipped[0].message})`);
  const inputs = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (inputs.set(p, at), at + p.length), 0);
  return { inputs, grey, sizes, frames, used, skipped };
}

async function scoreDroppedImages() {
  const files = [...($<HTMLInputElement>('score-files').files ?? [])];
  if (!files.length) return;
  if (!imageDetector) throw new Error('train or load an image model first');
  const size = imageSizeOf(imageDetector.inputShape ?? []);
  const before = $('why-what').textContent;
  $('why-what').textContent = `Reading and scoring ${files.length === 1 ? 'the image' : `${files.length.toLocaleString('en')} images`}…`;
  try {
    const { inputs, used, skipped } = await decodeSkipping(files, size);
    const note = skipped.length ? leftOutNote(skipped) : '';
    await showImages({ pixels: inputs, size, names: used.map((f) => f.name) }, 'dropped images', note);
  } catch (e) {
    $('why-what').textContent = before;  // what the grid still shows
    $<HTMLInputElement>('score-files').value = '';  // the files it names are not what the grid shows
    throw e;
  }
}

// ---- compare: the three variants on the same split; every run kept --------------------------------------------
const VARIANTS = [
  { variant: 'e2e', name: 'E2E-ConvA3', colour: '#c0392b' },
  { variant: 'a3', name: 'A³ two-stage', colour: '#3b6ea5' },
  { variant: 'reconstruction', name: 'reconstruction error', colour: '#7f8c8d' },
] as const;
type Variant = (typeof VARIANTS)[number]['variant'];
const compareChart = new Chart<'scatter', { x: number; y: number }[]>($<HTMLCanvasElement>('compare-chart'), {
  type: 'scatter',
  data: { datasets: [] },
  options: {
    animation: false,
    maintainAspectRatio: false,
    plugins: { legend: { labels: { boxWidth: 14, font: { size: 11 } } } },
    scales: { x: { min: 0, max: 1, title: { display: true, text: 'false positive rate' } },
      y: { min: 0, max: 1, title: { display: true, text: 'true positive rate' } } },
  },
});

// Epochs trained, per stage when there are two (A³: the target, then the alarm).
function epochsText(report: FitReport) {
  const target = report.history.filter((e) => e.stage === 'target').length;
  const alarm = report.history.filter((e) => e.stage === 'alarm').length;
  return target && alarm ? `${target} + ${alarm} (target, then alarm)` : String(report.epochs);
}

// Every run's ROC curve on the sample's held-out images (the same 800 for all), kept on one chart:
// the newest training's or comparison's drawn bold, the older ones thin and pale; a click on a
// legend entry hides a curve.
const CURVES_KEPT = 12;
// Earlier curves drawn thin and pale: before a training or before a comparison's three.
function fadeRunCurves() {
  for (const d of compareChart.data.datasets) {
    d.borderWidth = 1;
    d.borderColor = `${String(d.borderColor).slice(0, 7)}80`;
  }
}
function addRunCurve(run: number, name: string, colour: string, metrics: Metrics) {
  const datasets = compareChart.data.datasets;
  if (!imageWork.comparing) fadeRunCurves();
  datasets.push({ label: `run ${run}: ${name} (AUC ${metrics.rocAuc!.toFixed(4)})`, showLine: true, pointRadius: 0,
    borderColor: colour, borderWidth: 2.5, data: rocPoints(metrics.roc!) });
  datasets.splice(0, Math.max(0, datasets.length - CURVES_KEPT));
  compareChart.update();
  $('compare-box').hidden = false;
  $('compare-chart').setAttribute('aria-label', `ROC curves on the held-out sample images: ${datasets.map((d) => d.label).join('; ')}`);
}

let runCount = 0;
function addRun(variant: Variant, images: Images, gamma: number, report: FitReport, heldOut: Metrics | null, seconds: number) {
  const heldOutAuc = heldOut?.rocAuc ?? null;
  const { name, colour } = VARIANTS.find((v) => v.variant === variant)!;
  if (heldOut?.roc && heldOutAuc !== null) addRunCurve(runCount + 1, name, colour, heldOut);
  const table = $('runs');
  table.hidden = false;
  const row = table.querySelector('tbody')!.insertRow();
  for (const text of [String(++runCount), name, `${images.names.length} (${sizeText(images.size)})`,
    variant === 'reconstruction' ? '–' : String(gamma), epochsText(report),
    report.test.rocAuc === null ? 'none (no labelled anomalies)' : report.test.rocAuc.toFixed(4) +
      (testTooFew(report)
        ? ` (too few to trust: ${report.test.anomalies} anomalous, ${report.test.normal} normal)` : ''),
    heldOutAuc === null ? '–' : heldOutAuc.toFixed(4), seconds.toFixed(1)])
    row.insertCell().textContent = text;
  row.dataset.variant = variant;
  if (heldOutAuc !== null) row.dataset.heldOutAuc = String(heldOutAuc);
  hintScroll(table);
}

async function compareVariants() {
  if (!trainingImages) throw new Error('choose the sample or drop some images first');
  const images = trainingImages, held = heldOut;
  if (!images.labels.includes(1))
    throw new Error('comparing needs labelled anomalous images to measure the three by (the sample has them; or add an anomalous folder)');
  const gamma = Number($<HTMLInputElement>('gamma').value), epochs = epochsIn('image-epochs');
  const earlyStop = $<HTMLInputElement>('image-early-stop').checked;
  imageAbort = new AbortController();
  const signal = imageAbort.signal;
  imageWork.fitting = imageWork.comparing = true;
  updateImageButtons();
  fadeRunCurves();  // this comparison's three are drawn bold
  const status = $('compare-status');
  delete status.dataset.done;
  try {
    for (const { variant, name } of VARIANTS) {
      const detector = await runtime.createDetector({ preset: 'fashion-mnist-small', changes: { image: images.size, model: { variant } } });
      try {
        const started = performance.now();
        const report = await detector.fit(imageSet(images.pixels, images.labels, images.size), {
          epochs,
          gamma,
          presetChanges: earlyStop ? undefined : { training: { patience: 0 } },
          signal,
          onProgress: (p) => (status.textContent = `${name}: ${p.stage === 'e2e' ? '' : `${p.stage} stage, `}epoch ${p.epoch} of at most ${p.epochs}`),
        });
        const seconds = (performance.now() - started) / 1000;
        addRun(variant, images, gamma, report, held ? await detector.evaluate(imageSet(held.pixels, held.labels, held.size)) : null, seconds);
      } finally {
        await detector.dispose();
      }
    }
    status.textContent = held ? 'Done: their three ROC curves on the same held-out images are on the chart below (bold; earlier runs pale), ' +
      'every run in the table under it.'
      : 'Done: the test ROC-AUC of each (on the same test split) is in the table below.';
    status.dataset.done = 'true';
  } catch (e) {
    if ((e as Error).name === 'AbortError') status.textContent = 'Cancelled.';
    else throw e;
  } finally {
    imageWork.fitting = imageWork.comparing = false;
    updateImageButtons();
  }
}

// ---- tables -----------------------------------------------------------------------------------------------
let csvAbort: AbortController | undefined;
let columns: ColumnSummary[] = [], csvRows = 0;

// A browser holds a string of at most ~512 M characters, and the CSV is copied into the module's
// memory (4 GB at most) and parsed there: larger files are refused up front, by name.
const MAX_CSV_BYTES = 400e6;

async function readCsvFile(file: File) {
  if (file.size > MAX_CSV_BYTES)
    throw new Error(`${file.name} is ${megabytes(file.size)}: the page reads CSV files up to ${megabytes(MAX_CSV_BYTES)} ` +
      '(a browser tab cannot hold more as text); split it, or use the ca3 command line');
  return new Uint8Array(await file.arrayBuffer());
}

// The decimal mark the user chose for the training CSV (the menu), when not the one read from it.
let chosenDecimalMark: ',' | '.' | undefined;

async function loadCsv() {
  const file = $<HTMLInputElement>('csv-file').files?.[0];
  if (!file) return;
  const bytes = await readCsvFile(file);
  // A large file takes seconds to read: said meanwhile, beside the preview of the file before it
  // (kept if this one is refused).
  const reading = $('csv-reading');
  reading.textContent = `Reading ${file.name} (${megabytes(file.size)})…`;
  reading.hidden = false;
  const described = await runtime.describeCsv(bytes).catch((e: Error) => {  // the core's CSV parser: errors name the line
    e.message = `${file.name}: ${e.message}`;  // (and the page the file)
    throw e;
  }).finally(() => { reading.hidden = true; });
  // A file of the same columns as the one before (the same file, corrected and chosen again):
  // the label column and the roles the user gave stay.
  const same = !!trainCsv && described.columns.length === columns.length && described.columns.every((c, i) => c.name === columns[i].name);
  const label = $<HTMLSelectElement>('label-column').value, normal = $<HTMLSelectElement>('normal-value').value;
  const aside = setAside, roles = chosenRoles();
  const labelChosen = label !== suggestedLabel, kept = same && (labelChosen || Object.keys(roles).length > 0);
  trainCsv = bytes;
  trainCsvName = file.name;
  chosenDecimalMark = undefined;
  showCsv(described);
  if (!kept) return;
  const select = $<HTMLSelectElement>('label-column');
  if ([...select.options].some((o) => o.value === label)) select.value = label;
  setAside = aside;
  fillNormalValues();
  const normals = $<HTMLSelectElement>('normal-value');
  if ([...normals.options].some((o) => o.value === normal)) normals.value = normal, showLabelHint();
  renderSchema(roles);
  const given = Object.entries(chosenRoles()).map(([name, role]) => `'${name}' ${role}`);
  if (labelChosen || given.length)
    $('csv-info').textContent += ' Kept from the file before (the same columns): ' +
      [...(labelChosen ? [label ? `the label column '${label}'` : 'no labels'] : []), ...given].join(', ') + '.';
}

// The training CSV as read: its summary, the label column menu, the columns' roles.
function showCsv(described: CsvSummary) {
  columns = described.columns;
  csvRows = described.rows;
  $<HTMLSelectElement>('decimal-mark').value = described.decimalMark;
  $('csv-info').textContent = `${trainCsvName}: ${counted(described.rows, 'row')}, ${counted(columns.length, 'column')}. ` +
    readAs(described) + described.notes.map((n) => ` ${n[0].toUpperCase()}${n.slice(1)}.`).join('');
  const select = $<HTMLSelectElement>('label-column');
  select.replaceChildren(new Option('(no labels)', ''));
  // Columns that can mark anomalies first: 2 to 20 values, or named like labels; then the others
  // (one value marks nothing; many values are a measurement), apart, for a file that is unusual.
  const likely = (c: ColumnSummary) => (c.distinct >= 2 && c.distinct <= 20) || c.name === described.suggestedLabelColumn;
  const option = (c: ColumnSummary) => new Option(`${c.name} (${counted(c.distinct, 'value')})`, c.name);
  const others = columns.filter((c) => !likely(c));
  const group = (label: string, members: ColumnSummary[]) => {
    const g = Object.assign(document.createElement('optgroup'), { label });
    g.append(...members.map(option));
    return g;
  };
  if (others.length) select.append(group('columns that can hold labels (2 to 20 values)', columns.filter(likely)),
    group('other columns (under 2 values, or over 20: unlikely labels)', others));
  else for (const c of columns) select.append(option(c));
  // A column named like labels (Class, label, target, ...) is chosen; another that merely could be
  // (the last, of a few values: a region, a cost centre) is offered, not chosen: most files have no labels.
  const guess = described.suggestedLabelColumn ?? '';
  select.value = described.suggestedLabelByName ? guess : '';
  suggestedLabel = select.value;
  const offered = guess && !described.suggestedLabelByName ? columns.find((c) => c.name === guess) : undefined;
  if (offered)
    $('csv-info').textContent += ` Its last column, '${guess}' (${offered.distinct} values), could hold labels: choose it ` +
      'as the label column if it marks the anomalies (trained as it is, it is a feature).';
  setAside = '';
  fillNormalValues();
  renderSchema();
  $('csv-options').hidden = false;
}

// "1 row", "1,250 rows".
function counted(n: number, noun: string) {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}

// How the file was read, in words: encoding, separator, number format, skipped rows.
function readAs(d: CsvSummary) {
  const separator = d.separator === 'tab' ? 'tabs' : d.separator === 'spaces' ? 'spaces (columns aligned with them)' : `'${d.separator}'`;
  let text = `Read as ${d.encoding}, separated by ${separator}, decimal mark '${d.decimalMark}'`;
  if (d.thousandsSeparator) text += `, thousands separator '${d.thousandsSeparator}'`;
  if (d.emptyRows) text += `; ${counted(d.emptyRows, 'empty row')} skipped`;
  if (d.decimalMarkGuessed)
    text += `. No cell tells whether '${d.decimalMark === ',' ? '.' : ','}' or '${d.decimalMark}' is the decimal mark ` +
      `(each number with one reads either way): '${d.decimalMark}' was taken (${d.decimalMarkReason}); if the other one is, choose it below`;
  else if (chosenDecimalMark) text += ' (as chosen below)';
  return text + '.';
}

// Another decimal mark chosen: the file is read again with it (the roles may change with it).
async function chooseDecimalMark() {
  if (!trainCsv) return;
  const mark = $<HTMLSelectElement>('decimal-mark').value as ',' | '.';
  const described = await runtime.describeCsv(trainCsv, { decimalMark: mark });
  const label = $<HTMLSelectElement>('label-column').value, aside = setAside, roles = chosenRoles();
  chosenDecimalMark = mark;
  showCsv(described);
  // The label column chosen ("no labels" too) and the roles given stay.
  $<HTMLSelectElement>('label-column').value = label;
  setAside = aside;
  fillNormalValues();
  renderSchema(roles);
}

// The column that held the labels until the user chose "no labels" ('' if none).
let setAside = '';
// What each column will be: the core's decision, which the user may change; `roles`: those the
// user gave (chosenRoles), kept.
function renderSchema(roles: Record<string, string> = {}) {
  if (roles[setAside] && roles[setAside] !== 'ignore') setAside = '';  // the user made it a feature
  const label = $<HTMLSelectElement>('label-column').value;
  const body = $('csv-schema').querySelector('tbody')!;
  body.replaceChildren();
  for (const c of columns) {
    const row = body.insertRow();
    row.dataset.column = c.name;
    row.insertCell().textContent = c.name;
    const role = row.insertCell();
    if (c.name === label) {
      role.textContent = 'label';
    } else {
      const choice = document.createElement('select');
      choice.setAttribute('aria-label', `role of column ${c.name}`);
      const decided = c.role === 'numeric' || c.role === 'categorical' ? c.role : 'ignore';
      for (const r of ['numeric', 'categorical', 'ignore'])
        // (short: a phone shows the menu's chosen text in a third of its width)
        choice.append(new Option(r !== decided ? r : r === c.role ? `${r} (CA3's choice)` : `${r} (CA3's choice: ${c.role})`, r));
      choice.value = c.name === setAside ? 'ignore' : decided;
      if (roles[c.name] && [...choice.options].some((o) => o.value === roles[c.name])) choice.value = roles[c.name];
      choice.dataset.decided = decided;
      role.append(choice);
    }
    const marked = Object.entries(c.placeholders);
    const empty = c.missing - marked.reduce((sum, [, n]) => sum + n, 0);  // what no marker accounts for
    const markers = [...marked.map(([m, n]) => `'${m}' x${n}`), ...(marked.length && empty > 0 ? [`empty x${empty}`] : [])].join(', ');
    row.insertCell().textContent = c.missing ? `${c.missing}${markers ? ` (written as ${markers})` : ''}` : '';
    row.insertCell().textContent = c.name === setAside
      ? 'looks like the label column (CA3\'s guess), so it is ignored: labels would drive the scores; give it a role to use it as a feature'
      : columnNote(c);
  }
  $('csv-schema').hidden = false;
  hintScroll($('csv-schema'));
  showRefusals();
}

// What the column table says of a column CA3 decided on.
function columnNote(c: ColumnSummary) {
  return c.reason || (c.distinct === 1 ? 'the same value in every row: it cannot tell rows apart' : c.role === 'categorical' ? `${c.distinct} values` : '');
}

// The columns training refuses as they are (cells that are no numbers among numbers), said above
// the table before Train is pressed; a role other than numeric, or the column made the labels,
// takes the refusal away.
function showRefusals() {
  const label = $<HTMLSelectElement>('label-column').value, roles = chosenRoles();
  const refused = columns.filter((c) => c.stopsTraining && c.name !== label && (roles[c.name] ?? 'numeric') === 'numeric');
  for (const row of $('csv-schema').querySelectorAll<HTMLTableRowElement>('tbody tr')) {
    const c = columns.find((c) => c.name === row.dataset.column);
    row.classList.toggle('refused', refused.includes(c!));
    // Given another role, the column's note says what it is now, and why it is not numbers.
    const role = roles[c!.name];
    if (c?.stopsTraining && c.name !== label && c.name !== setAside)
      row.cells[row.cells.length - 1].textContent = !role || role === 'numeric' ? c.reason
        : `${role === 'categorical' ? 'read as categories' : 'left out'}, as chosen (as numbers, training would stop: ${c.reason})`;
  }
  const names = refused.map((c) => `'${c.name}'`).join(', ');
  $('csv-refused').hidden = !refused.length;
  $('csv-refused').textContent = !refused.length ? ''
    : `Training stops at ${refused.length === 1 ? 'column' : 'columns'} ${names} as ${refused.length === 1 ? 'it is' : 'they are'}: ` +
      `some cells are not numbers (the note in the table below names them). Correct them in the file, leave them empty ` +
      `or write NA for missing values; if the ${refused.length === 1 ? 'column holds' : 'columns hold'} categories (codes, not ` +
      `amounts), give ${refused.length === 1 ? 'it' : 'them'} the role categorical; the role ignore leaves ${refused.length === 1 ? 'it' : 'them'} out.`;
}

// What training added to a column's reason (it knows the scaling: "a long tail of large values
// (skewness 14.5 in the training rows): read on a log scale, log(1 + value / 0.0032)") is shown in
// the column table.
function showFitReasons(report: FitReport) {
  for (const d of report.data?.columns ?? []) {
    const row = $('csv-schema').querySelector<HTMLTableRowElement>(`tr[data-column="${CSS.escape(d.name)}"]`);
    const cell = row?.cells[row.cells.length - 1];
    if (cell && d.reason !== cell.textContent && d.reason.startsWith(cell.textContent ?? '')) cell.textContent = d.reason;
  }
}

// The roles the user changed.
function chosenRoles() {
  const roles: Record<string, 'numeric' | 'categorical' | 'ignore'> = {};
  for (const choice of $('csv-schema').querySelectorAll<HTMLSelectElement>('select'))
    if (choice.value !== choice.dataset.decided)
      roles[choice.closest('tr')!.dataset.column!] = choice.value as 'numeric' | 'categorical' | 'ignore';
  return roles;
}

function fillNormalValues() {
  const column = columns.find((c) => c.name === $<HTMLSelectElement>('label-column').value);
  const select = $<HTMLSelectElement>('normal-value');
  select.replaceChildren();
  select.disabled = !column;
  for (const v of column?.values ?? []) select.append(new Option(`${v.value} (${counted(v.count, 'row')})`, v.value));
  // Without a label column there is no normal value to pick: the choice gives way to "some rows
  // may be anomalies".
  $('normal-value-option').hidden = !column;
  $('contaminated-option').hidden = !!column;
  showLabelHint();
}

// What the label column and normal value make of the rows, said before training: which rows
// will be anomalies, and when they are most of the file (a column of kinds, such as Glass's
// Type, rather than of normal and anomalous).
function showLabelHint() {
  const name = $<HTMLSelectElement>('label-column').value;
  const column = columns.find((c) => c.name === name);
  const hint = $('label-hint');
  hint.hidden = !column;
  if (!column) return;
  const normal = $<HTMLSelectElement>('normal-value').value;
  hint.hidden = !column.values.length;
  if (hint.hidden) return;
  const normalRows = column.values.find((v) => v.value === normal)?.count ?? 0;
  // The rows as training reads them (heading lines merged, totals rows left out): the values'
  // counts when the summary lists every value, else the file's rows.
  const listed = column.values.reduce((n, v) => n + v.count, 0);
  const labelled = column.distinct <= column.values.length ? listed : csvRows - column.missing;
  const anomalies = labelled - normalRows;
  hint.textContent = `'${name}' holds the labels` + (name === suggestedLabel ? ' (CA3\'s guess, from its name)' : '') +
    `: the ${counted(normalRows, 'row')} with '${normal}' are normal, the ${counted(anomalies, 'other row')} ` +
    `(${Math.round((100 * anomalies) / Math.max(1, labelled))}%) anomalies` +
    (anomalies > normalRows ? `. That is more anomalies than normal rows: if '${name}' holds kinds rather than normal and ` +
      'anomalous, choose the kind that is normal, or "(no labels)" to take every row as normal.' : '.') +
    (column.missing ? ` ${counted(column.missing, 'row')} without a label: training needs one in each (give them their label).` : '');
}

// What a fit learned from and what its figures mean, in words.
// The test figure with what it was measured on. Below MIN_TEST_ANOMALIES anomalous or
// MIN_TEST_NORMAL normal test samples one sample more or less moves it by a lot: said so, not
// shown bare.
const MIN_TEST_ANOMALIES = 5, MIN_TEST_NORMAL = 20;
const testTooFew = (report: FitReport) => report.test.anomalies < MIN_TEST_ANOMALIES || report.test.normal < MIN_TEST_NORMAL;
// A fit without labelled anomalies (every sample taken as normal, or some may be anomalies).
const unlabelled = (report: FitReport) => report.setting === 'one_class' || report.setting === 'contaminated';
function testFigure(report: FitReport, unit: string) {
  const t = report.test;
  if (t.rocAuc === null) return '';
  const counts = `${t.anomalies} anomalous and ${t.normal} normal test ${unit}`;
  if (testTooFew(report))
    return `test ROC-AUC ${t.rocAuc.toFixed(4)} from only ${counts}: too few to trust (it needs at least ` +
      `${MIN_TEST_ANOMALIES} anomalous and ${MIN_TEST_NORMAL} normal ones; give more data), `;
  return `test ROC-AUC ${t.rocAuc.toFixed(4)} on ${counts}, `;
}

// What the score is made of (report.score), in words, of one `unit`.
function scoreTerms(report: FitReport, unit: 'row' | 'image') {
  const nearest = `how far it lies from its ${report.neighbours?.nearest ?? 5} nearest training ${unit}s` +
    (unit === 'image' ? ' (compared downscaled)' : '');
  // Each term standardised on the normal validation samples, averaged as log-odds, squashed to 0..1.
  const measured = (how: string) => `, each measured against the validation ${unit}s, averaged (in log-odds)${how} and shown from 0 to 1`;
  const averaged = measured('');
  // (with the neighbour distance, a weighted mean: E2EConvA3::rarity_weight and neighbour_weight)
  const weighted = measured(' with the distance weighing most,');
  switch (report.score) {
    case 'combined_neighbours': return `its alarm score, reconstruction error, how rare its values are and ${nearest}` + weighted;
    case 'alarm_neighbours': return `its alarm score and ${nearest}` + weighted;
    case 'combined_without_alarm':
      return `its reconstruction error, how rare its values are and ${nearest}` + weighted +
        '; not its alarm score, which learned the unlabelled anomalies among the training rows as normal';
    case 'combined_rarity': return 'its alarm score, reconstruction error and how rare its values are' + averaged;
    case 'combined': return 'its alarm score and reconstruction error' + averaged;
    case 'reconstruction': return 'its reconstruction error';
    default: return "the alarm's probability";
  }
}

// Whether the score compares with the training samples kept (report.neighbours): a model of rows
// keeps them whatever its score, to fill a row's missing cells from and explain it against.
const scoreUsesNeighbours = (report: FitReport) =>
  ['combined_neighbours', 'alarm_neighbours', 'combined_without_alarm'].includes(report.score);
// Which training samples the neighbour distance compares with, and which it left out and why.
function neighboursText(report: FitReport, unit: 'row' | 'image') {
  const n = report.neighbours;
  if (!n || !scoreUsesNeighbours(report)) return '';
  const parts: string[] = [];
  const a = unit === 'image' ? 'an image' : 'a row', copies = `${n.repeated.toLocaleString('en')} exact ${n.repeated === 1 ? 'copy' : 'copies'}`;
  if (n.repeated) parts.push(n.copies > 1
    ? `${copies} beyond ${a}'s first ${n.copies} ${n.repeated === 1 ? 'is' : 'are'} left out (the distance averages over the ` +
      `${n.nearest} nearest: more copies would change nothing)`
    : `${copies} of these ${n.repeated === 1 ? 'is' : 'are'} left out (${a} is not taken as normal only because it repeats)`);
  if (n.leftOut) parts.push(`the ${n.leftOut.toLocaleString('en')} ` +
    (unit === 'image' ? 'reconstructed worst' : 'least typical by reconstruction error and rare values') + ' are left out as likely anomalies');
  if (n.notSampled) parts.push(`${n.notSampled.toLocaleString('en')} more are left out: at most ${n.samples.toLocaleString('en')} are kept`);
  const of = report.rows.train.toLocaleString('en');
  return ` The distance is to ${n.samples.toLocaleString('en')} of the ${of} training ${unit}s` + (parts.length ? `: ${parts.join('; ')}.` : '.');
}

// The threshold is set so that at most its rate of the normal validation samples (held out;
// without labels, taken as normal) are flagged, with the test samples when the test split holds
// no labelled anomaly (thresholdShare.samples counts them all): with fewer than 1/rate - 1 of them
// it flags none and new samples more often than the rate, said so. The figures are the presets' defaults (models/presets/*.json: threshold.value,
// split.validation, split.test).
const THRESHOLD_FPR = 0.05, VALIDATION_SHARE = 0.1, TEST_SHARE = 0.1;
// The rate the fit set it at (report.thresholdRate: at least the contamination share when some
// samples may be anomalies); files saved before it was recorded: the presets' default.
const thresholdRate = (report: FitReport) => report.thresholdRate ?? THRESHOLD_FPR;
// The fewest normal held-out samples n on which the threshold keeps its rate: above all n, a new
// normal sample lies above it with chance 1 / (n + 1) (split conformal, as `ca3` says it).
const enoughNormal = (report: FitReport) => Math.ceil(1 / thresholdRate(report) - 1 - 1e-9);
// The normal samples the threshold was set on.
const thresholdSamples = (report: FitReport) => report.thresholdShare?.samples ?? report.validation.normal;
const shareWords = (share: number) => share === 0.1 ? 'a tenth' : `a share of ${share}`;
function thresholdText(report: FitReport, unit: 'row' | 'image') {
  const v = report.validation.normal, n = thresholdSamples(report), withTest = n > v;
  const rate = +(100 * thresholdRate(report)).toFixed(2);
  const enough = withTest
    ? ` (it needs at least ${enoughNormal(report)} ${unlabelled(report) ? '' : 'normal '}held-out ${unit}s; ` +
      `${shareWords(VALIDATION_SHARE)} of the ${unit}s ` +
      `validates and ${shareWords(TEST_SHARE)} tests).`
    : ` (it needs at least ${enoughNormal(report)} normal validation ${unit}s; ${shareWords(VALIDATION_SHARE)} of the ${unit}s validates).`;
  if (v < 2) return ` The threshold was set on the training ${unit}s, too few being held out to set it on: ` +
    `the share flagged on new ${unit}s can be far from ${rate}%` + enough;
  const raised = report.setting === 'contaminated' && rate > 100 * THRESHOLD_FPR
    ? ` — ${rate}% rather than ${100 * THRESHOLD_FPR}%, as about that share of the ${unit}s may be anomalies` : '';
  const text = ` The threshold flags at most ${rate}% of the ${n.toLocaleString('en')} ` + (unlabelled(report)
    ? (withTest ? `held-out ${unit}s (validation and test, taken as normal${raised})` : `validation ${unit}s (held out, taken as normal${raised})`)
    : (withTest ? `normal held-out ${unit}s (validation and test)` : `normal validation ${unit}s (held out)`));
  const share = report.thresholdShare;
  const range = share ? ` On new normal ${unit}s it will flag ${+(100 * share.low).toPrecision(2)}% to ` +
    `${+(100 * share.high).toPrecision(2)}%, ${Math.round(10 * share.probability)} times in 10 (the ${n.toLocaleString('en')} ` +
    `held-out ${unit}s are a sample; more ${unit}s narrow the range), and ${unit}s that really are unusual add to that.` : '';
  // Held-out samples at 1, the top of the score, would put the rate's threshold above every score.
  const k = report.thresholdAtTop ?? 0;
  const top = k > 0 ? ` But ${k.toLocaleString('en')} of the held-out ${unit}s score${k === 1 ? 's' : ''} 1, the highest score ` +
    `there is: a threshold above that would never flag, so it is 1 and flags ${k === 1 ? 'that one' : 'them'} too.` : '';
  if (n < enoughNormal(report))
    return text + `: too few to set it firmly (here it flags ${k === 1 ? 'only the one at 1' : k > 1 ? 'only those at 1' : 'none of them'}), so the share ` +
      `flagged on new ${unit}s can be far from ${rate}%` + enough.slice(0, -1) + '; or set it with the slider and "Flag from this threshold".' +
      top + range;
  return text + (report.setting === 'contaminated'
    ? `; ${unit === 'image' ? 'among all the images' : 'in the whole file'} the share differs: the ${unit}s it trained on usually score lower.`
    : `; the ${unit}s it trained on usually score lower` + (scoreUsesNeighbours(report) ? ' (each is among its own nearest neighbours)' : '') +
      ', so fewer of them are flagged.') + top + range;
}

// What a fit learned from, in a sentence (`said`); without labels, how its flags are made (`more`),
// shown folded under it (settingNodes).
function settingText(report: FitReport, unit: 'row' | 'image') {
  const a = unit === 'image' ? 'an image' : 'a row';
  const synthetic = `${report.syntheticAnomalies.toLocaleString('en')} synthetic anomalies an epoch`;
  // A threshold on weak footing is said in the sentence shown, in every setting.
  const weakThreshold = thresholdSamples(report) < enoughNormal(report) ? thresholdText(report, unit) : '';
  const more = `The flags come from how unlike the training ${unit}s ${a} is — ${scoreTerms(report, unit)}.` +
    neighboursText(report, unit) + (weakThreshold ? '' : thresholdText(report, unit));
  // A score that ranks the synthetic validation anomalies below the normal samples has learned
  // little from them (as `ca3 train` says).
  const auc = report.validationAnomalies === 'synthetic' ? report.validation.rocAuc : null;
  const belowChance = auc !== null && auc < 0.5
    ? ` Its validation ROC-AUC against the synthetic anomalies is ${auc.toFixed(4)}, below chance (0.5): the score ranks ` +
      `them below the normal ${unit}s, so it has not learned to tell them apart; more epochs or more ${unit}s may help.`
    : '';
  switch (report.setting) {
    case 'one_class':
      return { said: `No labels: every ${unit} taken as normal; the alarm learned from ${synthetic}. Without labelled ` +
        'anomalies there is no test ROC-AUC.' + belowChance + weakThreshold, more };
    case 'contaminated':
      return { said: `No labels, some ${unit}s may be anomalies: the ${unit}s the model reconstructed worst sat out each epoch; ` +
        `the alarm learned from ${synthetic}. Without labelled anomalies there is no test ROC-AUC.` + belowChance + weakThreshold, more };
    // With labels, the threshold's footing is said only when it is weak.
    case 'few_labels':
      return { said: `${report.labelledAnomalies} labelled anomalies in training, joined by synthetic ones; the score: ` +
        `${scoreTerms(report, unit)}.` + belowChance + weakThreshold, more: '' };
    default:
      return { said: `${report.labelledAnomalies} labelled anomalies in training.` + weakThreshold, more: '' };
  }
}
// A status line's sentence on the fit's setting, and what the flags mean folded under it.
function settingNodes(report: FitReport, unit: 'row' | 'image', after = ''): (Node | string)[] {
  const { said, more } = settingText(report, unit);
  if (!more) return [` ${said}${after}`];
  const details = document.createElement('details');
  details.className = 'more';
  const summary = document.createElement('summary');
  summary.textContent = `How ${unit === 'image' ? 'an image' : 'a row'} is scored and flagged without labels`;
  details.append(summary, ` ${more}`);
  return [` ${said}${after}`, details];
}

async function trainTable() {
  if (!trainCsv) throw new Error('drop a CSV file first');
  const epochs = epochsIn('csv-epochs');
  const contamination = !$<HTMLSelectElement>('label-column').value && $<HTMLInputElement>('contaminated').checked
    ? contaminationIn('contamination-share') : 0;  // refused before any training, as the epochs
  const source = trainCsv, sourceName = trainCsvName;  // another file may be dropped while this one trains
  const restoreFigures = clearFigures($('csv-status'));
  $('csv-status').textContent = `Starting to train on ${sourceName}…`;
  const labelColumn = $<HTMLSelectElement>('label-column').value;
  const normal = $<HTMLSelectElement>('normal-value').value;
  const detector = await runtime.createDetector({ preset: 'tabular' });
  csvAbort = new AbortController();
  const focused = focusedId();
  $<HTMLButtonElement>('train-csv').disabled = true;
  $<HTMLButtonElement>('cancel-csv').disabled = false;
  passFocus(focused, { 'train-csv': 'cancel-csv' });
  const bar = $<HTMLProgressElement>('csv-progress');
  bar.hidden = false;
  tabBusy('tables', true);
  scoringWaits(true);
  let report: FitReport;
  try {
    const roles = chosenRoles();
    const read = chosenDecimalMark ? { decimalMark: chosenDecimalMark } : {};
    const data = labelColumn ? tableFromCsv(source, { labelColumn, normalValues: [normal], roles, ...read })
      : tableFromCsv(source, { roles, ...read });
    report = await detector.fit(data, {
      epochs,
      presetChanges: {
        training: {
          ...(contamination > 0 ? { contamination } : {}),
          ...($<HTMLInputElement>('csv-early-stop').checked ? {} : { patience: 0 }),
        },
      },
      signal: csvAbort.signal,
      onProgress: (p) => {
        bar.value = (p.epoch - 1 + p.step / p.steps) / p.epochs;
        $('csv-status').textContent = progressText(p).replace('images/s', 'rows/s');
      },
    });
  } catch (e) {
    await detector.dispose();
    setTimeout(scoreWaitingCsv);  // (once the inputs are enabled again)
    if ((e as Error).name === 'AbortError') {
      restoreFigures('Cancelled');
      return;
    }
    restoreFigures();
    throw e;
  } finally {
    bar.hidden = true;
    tabBusy('tables', false);
    scoringWaits(false);
    const focusedAtEnd = focusedId();
    $<HTMLButtonElement>('train-csv').disabled = false;
    $<HTMLButtonElement>('cancel-csv').disabled = true;
    passFocus(focusedAtEnd, { 'cancel-csv': 'train-csv' });
  }
  // The new model is adopted: what follows cannot lose it.
  tableDetector?.dispose();
  tableDetector = detector;
  modelFiles.table = `${slug(baseName(sourceName))}-model.ca3`;
  $('score-demo-csv').hidden = true;
  forgetScoredCsv();
  modelInUse('table', `Table model in use: trained on this page on ${sourceName}, threshold {threshold}.`);
  const figure = testFigure(report, 'rows');
  $('csv-status').replaceChildren(`Trained on ${sourceName} (${stoppingText(report, epochs)}; ` +
    `${report.rows.train} training rows).` + (figure ? ` Test${figure.slice(4, -2)}.` : ''),
    ...settingNodes(report, 'row', report.data?.notes.length ? ` Note: ${report.data.notes.join('; ')}.` : ''));
  $<HTMLButtonElement>('download-table-model').disabled = false;
  if (trainCsv === source) showFitReasons(report);  // (not on another file's columns, dropped meanwhile)
  // The rows of the file it learned from, flagged: without labels, the flagged rows are what the
  // user came for (the rows least like the rest); with labels, the test figure above is the honest one.
  $('csv-status').dataset.testAuc = String(report.test.rocAuc);
  $('csv-status').dataset.report = JSON.stringify(report);
  scoredCsvSource = source;
  scoredCsvName = sourceName;
  tableTrainedOn = { bytes: source, report };
  $<HTMLButtonElement>('download-csv').disabled = false;
  $('download-csv').textContent = `Download ${sourceName} with scores`;
  // Scoring the file's rows takes a while for a large file: said until they show.
  const scoring = Object.assign(document.createElement('span'), { className: 'hint', textContent: ' Scoring its rows to show them below…' });
  $('csv-status').append(scoring);
  try {
    await showTableResults(sourceName, source, trainingRowsNote(report));
  } finally {
    scoring.remove();
    scoreWaitingCsv();
  }
}

// While a table model trains, no file is scored: the model in use is about to be replaced, and
// the rows shown with it (the new model shows the training file's rows when it is done).
function scoringWaits(waiting: boolean) {
  const input = $<HTMLInputElement>('csv-score-file');
  input.disabled = waiting;
  $<HTMLButtonElement>('score-demo-csv').disabled = waiting;
  input.closest('label')!.title = waiting ? 'a new model is training: drop the CSV to score once it is trained' : '';
}

// A CSV dropped to score while a table model trains: scored once the training ends, by the new
// model (or, cancelled or failed, by the one in use, if any).
let waitingToScore: FileList | undefined;
function scoreWhenTrained(files: FileList) {
  waitingToScore = files;
  $('csv-score-info').textContent = `${files[0].name} will be scored when the model in training is done.`;
}
function scoreWaitingCsv() {
  const files = waitingToScore;
  waitingToScore = undefined;
  if (!files) return;
  if (!tableDetector) {
    $('csv-score-info').textContent = `${files[0].name} was not scored: no table model was trained. Train one, then drop it again.`;
    return;
  }
  const input = $<HTMLInputElement>('csv-score-file');
  input.files = files;
  input.dispatchEvent(new Event('change'));
}

// The file the table model in use was trained on here: scored again, its rows are the ones it learned from.
let tableTrainedOn: { bytes: Uint8Array; report: FitReport } | undefined;
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
function trainingRowsNote(report: FitReport) {
  if (unlabelled(report)) return 'The rows the model learned from, scored: the highest scores are the rows least like the rest — the ones to check.';
  return 'The rows the model learned from, scored (training rows included: these counts are optimistic; ' +
    (testTooFew(report) ? 'the test figure above, from too few rows, is no firm figure either).' : 'the test ROC-AUC above is the honest figure).');
}

async function scoreCsv() {
  const file = $<HTMLInputElement>('csv-score-file').files?.[0];
  if (!file) return;
  if (!tableDetector) throw new Error('train or load a table model first');
  $<HTMLButtonElement>('download-csv').disabled = true;  // the last scores' download goes at once
  await scoreCsvBytes(file.name, await readCsvFile(file));
}

// Scores a CSV's rows with the table model: the counts, the rows and their "why", the download.
// `note`: what the file is, when the page knows (the demo model's own data).
async function scoreCsvBytes(name: string, text: Uint8Array, note = '') {
  if (!tableDetector) throw new Error('train or load a table model first');
  const info = $('csv-score-info');
  $<HTMLButtonElement>('download-csv').disabled = true;
  $('download-csv').textContent = 'Download scored CSV';  // (named again once this file is scored)
  scoredCsvSource = undefined;
  forgetCsvCounts();
  info.textContent = `Scoring ${name} (${megabytes(text.length)})…`;
  const training = tableTrainedOn && sameBytes(text, tableTrainedOn.bytes) ? tableTrainedOn.report : undefined;
  note ||= training ? `${name} is the file the model was trained on. ${trainingRowsNote(training)}` : `${name}, scored by the table model.`;
  const scores = await showTableResults(name, text, note).catch((e) => {
    info.textContent = '';
    $<HTMLInputElement>('csv-score-file').value = '';  // the file it names was not scored
    hideTableResults();  // (the rows and charts shown were another file's, whose notes and download are gone)
    throw e;
  });
  if (!scores) return;  // another file (or model) came meanwhile: its results are shown
  // What reading the file decided (columns left out or matched loosely, cells filled in, unseen values).
  // The column picked as the true labels of a model trained without them is in use, not "left out".
  const truth = $('truth-options').hidden ? '' : $<HTMLSelectElement>('truth-column').value;
  const notes = training ? [] : await tableDetector.scoringNotes(tableFromCsv(text, truth ? { labelColumn: truth } : undefined))
    .catch(() => [] as string[]);
  // The counts in a sentence, then what reading the file decided, a note a line (each names its lines).
  const list = document.createElement('ul');
  list.className = 'notes';
  // (a space between the items: the text reads as sentences when copied, or by a screen reader without lists)
  notes.forEach((n, k) => list.append(' ', Object.assign(document.createElement('li'), { textContent: `${n}${k + 1 < notes.length ? ';' : '.'}` })));
  const counts = document.createElement('p');
  info.replaceChildren(counts, ...(notes.length ? [list] : []));
  csvCounts = { name, scores, training: !!training, notes: notes.length, counts };
  await showCsvCounts();
  scoredCsvSource = text;
  scoredCsvName = name;
  $<HTMLButtonElement>('download-csv').disabled = false;
  $('download-csv').textContent = `Download ${name} with scores`;
}

// The scored file's counts (the first paragraph of #csv-score-info), said again when the model's
// threshold moves ("Flag from this threshold"): `notes`, how many notes on reading it follow;
// `counts`, the paragraph.
let csvCounts: { name: string; scores: Float32Array; training: boolean; notes: number; counts: HTMLElement } | undefined;
function forgetCsvCounts() {
  csvCounts = undefined;
  const info = $('csv-score-info');
  info.textContent = '';
  for (const key of ['rows', 'flagged', 'notScored', 'meanScore']) delete info.dataset[key];
}
async function showCsvCounts() {
  const c = csvCounts;
  if (!c || !tableDetector) return;
  const threshold = tableDetector.threshold;
  // (NaN: a row holding no sample, not scored; the notes say which)
  const { flagged, scored, sum } = countFlagged(c.scores, threshold);
  const notScored = c.scores.length - scored;
  // Most rows flagged: the file as a whole is unlike the training data (said right after the counts).
  const most = c.training ? '' : await tableDetector.flaggedNote(c.scores).catch(() => '');
  if (c !== csvCounts || !c.counts.isConnected) return;  // another file came meanwhile, or a message of training
  const info = $('csv-score-info');
  c.counts.textContent = `${c.name}: ${scored.toLocaleString('en')} rows scored` +
    (notScored ? ` (${notScored.toLocaleString('en')} not scored: headings, totals or repeated headers, not data)` : '') +
    `, ${flagged.toLocaleString('en')} flagged (score ≥ ${formatThreshold(threshold, SCORE_DECIMALS.rows)}); mean score ` +
    `${formatScore(sum / Math.max(scored, 1))}.` + (most ? ` Note: ${most}.` : '') + (c.notes ? ' How the file was read:' : '');
  info.dataset.rows = String(scored);
  info.dataset.flagged = String(flagged);
  info.dataset.notScored = String(notScored);
  info.dataset.meanScore = String(sum / Math.max(scored, 1));
}

// A loaded table model: the file chosen to train on, its columns and Train go (a file dropped again
// trains a new model).
function forgetTrainingCsv() {
  trainCsv = undefined;
  trainCsvName = '';
  $<HTMLInputElement>('csv-file').value = '';
  $('csv-info').textContent = '';
  $('csv-refused').hidden = true;
  $('csv-schema').hidden = true;
  $('csv-options').hidden = true;
  hintScroll($('csv-schema'));
}

// A new table model: the last scores were another model's, so the download goes until re-scored.
function forgetScoredCsv() {
  scoredCsvSource = undefined;
  hideTableResults();
  $<HTMLButtonElement>('download-csv').disabled = true;
  $('download-csv').textContent = 'Download scored CSV';
  $<HTMLInputElement>('csv-score-file').value = '';  // its file is no longer what the page shows
  forgetCsvCounts();
}

function megabytes(bytes: number) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

// Downloads are named after what they hold: the file or images a model learned from, the file scored.
const modelFiles = { image: 'image-model.ca3', table: 'table-model.ca3' };
const baseName = (name: string) => name.replace(/\.[^./]+$/, '');
const slug = (text: string) => text.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'ca3';
function download(data: string | Uint8Array, name: string, type: string) {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url, a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- tables: the rows of a file, and why they are flagged -------------------------------------------------
// The table model's scores of one file's rows, with the explanations of the rows on show.
let tableShown: {
  name: string; bytes: Uint8Array; note: string; data: TableData; scores: Float32Array;
  modelLabel: string; labels?: Int32Array; why: Map<number, RowExplanation>;
  // The rows the scoring notes ask to look at whatever their score, with why (RowToCheck).
  check: Map<number, string>;
} | undefined;
let tableSort: { key: 'line' | 'score'; descending: boolean } = { key: 'score', descending: true };
const TABLE_ROWS = 30;  // rows listed per view at first, and added by "Show more" (the download has them all)
let tableRowCount = TABLE_ROWS;

// Scores every row of `bytes` with the table model and shows the threshold, histogram (with true
// labels, the ROC) and the listed rows with their "why". The true labels: the model's label column
// in the file; for a model trained without labels, a column of the file the user picks (CA3
// suggests the one named like labels, its most frequent value normal).
let tableResultsRequest = 0;
async function showTableResults(name: string, bytes: Uint8Array, note: string) {
  const detector = tableDetector!;
  const request = ++tableResultsRequest;
  const data = tableFromCsv(bytes);
  const scores = await detector.score(data);
  const check = new Map((await detector.rowsToCheck(data)).map((c) => [c.row, c.reason]));
  const modelLabel = String((await detector.info()).preprocessing?.labelColumn ?? '');
  const described = modelLabel ? undefined : await runtime.describeCsv(bytes);
  if (request !== tableResultsRequest) return undefined;  // a later file (or model) is being shown
  tableShown = { name, bytes, note, data, scores, modelLabel, why: new Map(), check };
  tableRowCount = TABLE_ROWS;
  // A view of them when there are any (offered, not chosen: the flagged rows come first).
  const view = $<HTMLSelectElement>('table-rows-view');
  const checkOption = [...view.options].find((o) => o.value === 'check')!;
  checkOption.hidden = check.size === 0;
  checkOption.text = `rows to look at whatever their score (${counted(check.size, 'row')}: the notes above say why)`;
  if (!check.size && view.value === 'check') view.value = 'top';
  $('truth-options').hidden = !described;
  if (described) {
    // Columns that can hold labels: text with a few values, or numbers with two (0/1).
    const candidates = described.columns.filter((c) => c.distinct >= 2 && (c.numeric ? c.distinct === 2 : c.distinct <= 20));
    truthColumns = candidates;
    const select = $<HTMLSelectElement>('truth-column');
    select.replaceChildren(new Option('(none: the file has no true labels)', ''));
    for (const c of candidates) select.append(new Option(`${c.name} (${c.distinct} values)`, c.name));
    // Taken as the true labels at once only when named like labels: a file's last column of few
    // values (a "Region" of Nord / Süd) may be anything; it is offered, not chosen.
    const suggested = described.suggestedLabelByName ? candidates.find((c) => c.name === described.suggestedLabelColumn) : undefined;
    select.value = suggested?.name ?? '';
    fillTruthValues();
  }
  $('table-results').hidden = false;
  $('table-results-title').textContent = `Rows of ${name} and why they are flagged`;
  await showTableLabels();
  return request === tableResultsRequest ? scores : undefined;
}

// The columns of the shown file that can hold true labels, and the normal value chosen in one.
let truthColumns: ColumnSummary[] = [];
function fillTruthValues() {
  const column = truthColumns.find((c) => c.name === $<HTMLSelectElement>('truth-column').value);
  const select = $<HTMLSelectElement>('truth-normal');
  select.replaceChildren();
  for (const v of column?.values ?? []) select.append(new Option(`${v.value} (${counted(v.count, 'row')})`, v.value));
  $('truth-normal-option').hidden = !column;  // the most frequent value first: normal by default
}

// The shown rows' true labels (if any) and the views that compare the flags with them.
let tableLabelsRequest = 0;
async function showTableLabels() {
  const t = tableShown, detector = tableDetector;
  if (!t || !detector) return;
  const request = tableResultsRequest, labelsRequest = ++tableLabelsRequest;  // a later file or choice wins
  let labels: Int32Array | undefined;
  let labelNote: string;
  const truth = $<HTMLSelectElement>('truth-column').value, normal = $<HTMLSelectElement>('truth-normal').value;
  try {
    if (t.modelLabel) {
      labels = await detector.labels(t.data);
      labelNote = `Its ${t.modelLabel} column gives the true labels: the ROC and the counts below compare the flags with them.`;
    } else if (truth) {
      labels = await detector.labels(tableFromCsv(t.bytes, { labelColumn: truth, normalValues: [normal] }));
      labelNote = `The model was trained without labels; the file's ${truth} column is taken as the true labels ` +
        `(${normal} normal, its other values anomalies): the ROC and the counts below compare the flags with them.`;
      // A truth column the model reads as a feature has told it the answer.
      const features = ((await detector.info()).preprocessing?.columns ?? []) as { name: string }[];
      if (features.some((f) => f.name === truth))
        labelNote += ` Note: the model reads ${truth} as one of its features, so this ROC-AUC is higher than on rows whose ` +
          `labels it does not see: to measure it fairly, train again with ${truth}'s role set to ignore.`;
    } else {
      labelNote = 'The model was trained without labels: counts only, no ROC (if the file has a column of true labels, pick it below).';
    }
  } catch (e) {
    labelNote = `No ROC: the labels could not be read (${(e as Error).message}).`;
  }
  if (request !== tableResultsRequest || labelsRequest !== tableLabelsRequest || t !== tableShown) return;
  t.labels = labels;
  $('table-rows-label').hidden = !labels;
  await tableView.show({
    detector, scores: t.scores, labels, unit: 'rows', what: `all rows of ${t.name}`,
    evaluate: labels ? (threshold) => detector.evaluateScores(t.scores, labels!, threshold) : undefined,
  });
  // Said once the views show it (the ROC drawn).
  if (labelsRequest === tableLabelsRequest && t === tableShown) $('table-results-note').textContent = `${t.note} ${labelNote}`;
}

function hideTableResults() {
  tableShown = undefined;
  ++tableResultsRequest;
  tableView.clear();
  $('table-results').hidden = true;
}

// The slider moves many times a second: the rows (and their explanations) follow once it rests.
let tableRowsTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleTableRows() {
  clearTimeout(tableRowsTimer);
  tableRowsTimer = setTimeout(() => void renderTableRows().catch((e) => showError(e, $('table-rows'))), 150);
}

// The rows of the chosen view (most anomalous, around the threshold, most normal), sorted as
// asked; their explanations are fetched once per row.
let tableRowsRequest = 0;
async function renderTableRows() {
  if (!tableShown || !tableDetector) return;
  const t = tableShown;
  const request = ++tableRowsRequest;
  const byScore = order(t);
  const viewName = $<HTMLSelectElement>('table-rows-view').value;
  // (the rows to look at as the notes list them: by line)
  const picked = viewName === 'check' ? [...t.check.keys()].slice(0, tableRowCount)
    : pickView(byScore, t.scores, viewName, tableView.threshold, tableRowCount);
  const more = Math.min(TABLE_ROWS, (viewName === 'check' ? t.check.size : byScore.length) - picked.length);
  const missing = picked.filter((i) => !t.why.has(i));
  if (missing.length) for (const e of await tableDetector.explainRows(t.data, missing, 3)) t.why.set(e.row, e);
  if (request !== tableRowsRequest || t !== tableShown) return;
  const key = tableSort.key, sign = tableSort.descending ? -1 : 1;
  picked.sort((a, b) => sign * (key === 'score' ? t.scores[a] - t.scores[b] : a - b));
  const threshold = tableView.threshold;
  const body = $('table-rows').querySelector('tbody')!;
  body.replaceChildren();
  for (const i of picked) {
    const e = t.why.get(i)!;
    const row = body.insertRow();
    const flagged = t.scores[i] >= threshold;
    row.className = flagged ? 'flagged' : '';
    row.dataset.row = String(i);
    row.insertCell().textContent = String(e.line);
    row.insertCell().textContent = scoreText(t.scores[i], threshold);
    row.insertCell().textContent = flagged ? 'yes' : 'no';
    const label = row.insertCell();
    label.hidden = !t.labels;
    if (t.labels) label.textContent = t.labels[i] ? 'anomaly' : 'normal';
    const why = row.insertCell();
    why.className = 'why';
    const check = t.check.get(i);
    if (check) {  // the score says less, or the model never saw the like: first, whatever the score
      const mark = document.createElement('span');
      mark.className = 'check';
      mark.textContent = `look at it whatever its score: ${check}`;
      why.append(mark);
      row.classList.add('to-check');
    }
    // Its kind scores high, over the threshold or near it with the row little beyond it (as
    // `ca3 score --why` says it): the shares say only how far beyond it the row lies.
    const kindScore = likeRowsScore(e, threshold), kindOver = kindScore === 'over';
    if (kindScore !== 'apart') {
      const kind = document.createElement('em');
      kind.className = 'kind';
      kind.textContent = `rows like it score ${formatScore(e.baselineScore)}, ` +
        (kindOver ? 'over the threshold themselves' : `near the threshold (${formatThreshold(threshold, SCORE_DECIMALS.rows)})`) +
        ': rows of its kind score high (fewer, or more spread out, in training), and its shares say only how far ' +
        'beyond them this row lies ';
      why.append(kind);
    }
    for (const c of e.columns) {
      const part = document.createElement('span');
      // a value beside what it is compared with: the training rows most like this one (a model
      // keeping no training rows: the typical value); a missing cell (listed after the strongest
      // columns): the value the model saw, filled in from those rows
      // (compared with the value it was filled with, a missing cell adds nothing: said, not "0.00")
      const nothing = c.missing && Math.abs(c.contribution) < 0.005;
      const taken = (c.filled ? `taken as ${c.filled}, as in the most similar training rows` : `taken as ${c.typical}`) +
        (nothing ? '; adds nothing to the score' : '');
      const compared = e.likeRows > 1 ? 'like rows' : e.likeRows === 1 ? 'like row' : 'typical';
      part.textContent = !c.missing ? `${c.column} = ${c.value} (${compared}: ${c.baseline}) `
        : c.value ? `${c.column} '${c.value}' read as missing (${taken}) ` : `${c.column} missing (${taken}) `;
      if (e.likeRows) {
        part.title = (e.likeRows > 1 ? `compared with the ${e.likeRows} training rows most like this one`
          : 'compared with the training row most like this one (the mean of the 5 most like it scores as flagged)') +
          `; over all training rows typical ${c.typical}`;
      }
      const amount = document.createElement('b');
      // (a share that rounds to 0.00 neither raises nor lowers the score as shown: no sign, no colour)
      const shown = Math.abs(c.contribution).toFixed(2);
      amount.className = shown === '0.00' ? '' : c.contribution > 0 ? 'up' : 'down';
      amount.textContent = shown === '0.00' ? shown : `${c.contribution > 0 ? '+' : '−'}${shown}`;
      if (!nothing) part.append(amount);
      part.dataset.column = c.column;
      part.dataset.contribution = String(c.contribution);
      why.append(part);
    }
  }
  const view = $<HTMLSelectElement>('table-rows-view');
  // The threshold with as many decimals as the rows show, so that a "no" never stands beside a
  // score that reads above it ("0.8641" beside "threshold 0.864", which is 0.86437).
  const decimals = Math.max(4, ...picked.map((i) => scoreText(t.scores[i], threshold).split('.')[1]?.length ?? 0));
  $('table-rows-count').textContent = `${picked.length} of ${byScore.length.toLocaleString('en')} scored rows: ` +
    `${view.selectedOptions[0].text}, flagged from a score of ${formatThreshold(threshold, SCORE_DECIMALS.rows, decimals)}; the downloaded scored CSV has them all.`;
  $('table-more').hidden = more <= 0;
  $('table-more').textContent = `Show ${more.toLocaleString('en')} more`;
  hintScroll($('table-rows'));
  for (const b of $('table-rows').querySelectorAll<HTMLButtonElement>('button.sort')) {
    const sorted = b.dataset.key === tableSort.key;
    b.closest('th')!.setAttribute('aria-sort', sorted ? (tableSort.descending ? 'descending' : 'ascending') : 'none');
  }
}

// A score with 4 decimals, or as many more as tell it apart from the threshold (0.863306 under
// 0.863310 is not "0.8633" beside "score ≥ 0.8633").
function scoreText(score: number, threshold: number, fewest = 4) {
  let digits = fewest;
  while (digits < 9 && formatScore(score, digits) === formatScore(threshold, digits)) ++digits;
  return formatScore(score, digits);
}

// ---- model files --------------------------------------------------------------------------------------------
// A model file: the demo image model is shown on the sample images it was made for; any other
// image model only on images the user drops (the sample would say nothing about it).
// `file`: the name it is saved under again (the demo models' own file names).
async function adopt(bytes: Uint8Array, name: string, demo = false, file = name) {
  let detector: Detector;
  try {
    detector = await runtime.loadDetector(bytes);  // rejects damaged / foreign files with the reason
  } catch (e) {
    throw new Error(`${name} was not loaded: ${(e as Error).message}; the models in use are unchanged`);
  }
  // A fit under way would replace the loaded model when it ends: one or the other, said so.
  const training = detector.kind === 'image' ? imageWork.fitting : !$<HTMLButtonElement>('cancel-csv').disabled;
  if (training) {
    await detector.dispose();
    throw new Error(`${name} was not loaded: ${detector.kind === 'image' ? 'an image' : 'a table'} model is training ` +
      `(under ${detector.kind === 'image' ? 'Images' : 'Tables'}); wait for it to finish or cancel it, then load again`);
  }
  const info = await detector.info();
  const described = (threshold: string) => `Loaded ${name}: ${info.kind} model` +
    (info.inputShape && info.kind === 'image' ? ` for ${info.inputShape[0]}x${info.inputShape[1]} ${colourOf(info.inputShape[2])} images` : '') +
    `, ${info.parameters} parameters, threshold ${threshold}` + (info.features ? `, ${info.features.length} features` : '') + '.';
  const loaded = described(formatThreshold(info.threshold, scoreDecimals(info.kind)));
  const kind = detector.kind === 'image' ? 'image' : 'table';
  modelFiles[kind] = /\.ca3$/i.test(file) ? file : `${slug(file)}.ca3`;
  if (kind === 'image') {
    imageDetector?.dispose();
    imageDetector = detector;
    $<HTMLButtonElement>('download-image-model').disabled = false;
    const status = $('image-status');
    const earlier = status.dataset.testAuc !== undefined;  // figures of a fit on this page
    delete status.dataset.testAuc;
    delete status.dataset.report;
    status.textContent = loaded + (earlier ? ' (The figures of the earlier training were of another model.)' : '');
    clearLossChart();
    if (demo) {
      if (!heldOut) await useSample();
      await showImages(heldOut!, 'held-out sample images', 'the model was made on Fashion-MNIST T-shirts');
    } else clearImageViews(`${loaded} Drop images of its size to score them (the page's sample is not its data).`);
  } else {
    tableDetector?.dispose();
    tableDetector = detector;
    tableTrainedOn = undefined;
    forgetScoredCsv();
    forgetTrainingCsv();  // its Train would replace the model just loaded
    const status = $('csv-status');
    delete status.dataset.testAuc;
    delete status.dataset.report;
    const columns = (info.features ?? []).slice(0, 6).join(', ') + ((info.features?.length ?? 0) > 6 ? ', …' : '');
    status.textContent = loaded + (demo
      ? ' It was made on the Breast Cancer Wisconsin data (benign rows normal, malignant anomalous): score that data ' +
        'with the button below, or drop a CSV with the same columns.'
      : ` Drop a CSV with its columns (${columns}) to score below.`);
    $('score-demo-csv').hidden = !demo;
    $<HTMLButtonElement>('download-table-model').disabled = false;
  }
  // Its scores and views are in its part of the page: shown there.
  modelInUse(kind, `${described('{threshold}')} Shown under ${kind === 'image' ? 'Images' : 'Tables'}.`);
  // Focus on a control of the panel now hidden (the demo buttons, the model file) moves to the tab shown.
  const shown = detector.kind === 'image' ? 'images' : 'tables';
  const focusPanel = document.activeElement?.closest<HTMLElement>('[role=tabpanel]');
  showTab(shown, !!focusPanel && focusPanel.dataset.tab !== shown);
}

// What the Models part says about the image and the table model in use (what the downloads save).
// `text` says where the model comes from; '{threshold}' in it stands for the threshold it flags from
// now (moved by "Flag from this threshold").
const modelsInUse = { image: '', table: '' };
function modelInUse(kind: 'image' | 'table', text: string) {
  modelsInUse[kind] = text;
  showModelsInUse();
}
function showModelsInUse() {
  const threshold = (kind: 'image' | 'table') => (kind === 'image' ? imageDetector : tableDetector)?.threshold;
  const shown = (kind: 'image' | 'table') => { const t = threshold(kind); return t === undefined ? '–' : formatThreshold(t, scoreDecimals(kind)); };
  $('model-info').textContent = (['image', 'table'] as const).filter((k) => modelsInUse[k])
    .map((k) => modelsInUse[k].replace('{threshold}', shown(k))).join(' ');
}

async function fetchBytes(url: string) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

// ---- start ----------------------------------------------------------------------------------------------------
async function start() {
  runtime = await getRuntime();
  const mode = $('mode');
  // Isolated by the server's headers, or by the page's service worker where the host sends none.
  const byWorker = !!navigator.serviceWorker?.controller;
  mode.textContent = runtime.build === 'threads'
    ? `WebAssembly SIMD + ${runtime.threads} threads (cross-origin isolated${byWorker ? " by the page's service worker" : ''})`
    : 'WebAssembly SIMD, single thread (not cross-origin isolated: the server sends no COOP/COEP headers and ' +
      'this browser runs no service worker here)';
  mode.dataset.build = runtime.build;
  document.body.dataset.ready = 'true';
}

$('gamma').addEventListener('input', () => {
  const gamma = Number($<HTMLInputElement>('gamma').value);
  $('gamma-value').textContent = String(gamma);
  $('gamma-hint').textContent = gamma === 0 ? GAMMA_ZERO : '';
  showCompareSettings();
});
$('image-epochs').addEventListener('input', showCompareSettings);
$('image-early-stop').addEventListener('change', showCompareSettings);
showCompareSettings();
$('use-sample').addEventListener('click', guard(useSample));
$('normal-files').addEventListener('change', guard(() => ownImages('drops')));
$('anomaly-files').addEventListener('change', guard(() => ownImages('drops')));
$('image-folder').addEventListener('change', guard(() => ownImages('folder')));
$('normal-folder').addEventListener('change', guard(readOwnImages));
$('image-size').addEventListener('change', guard(readOwnImages));
$('grid-view').addEventListener('change', () => {
  gridCells = gridPage();
  renderGrid();
});
$('grid-more').addEventListener('click', () => {
  gridCells += gridPage();
  renderGrid();
});
$('download-image-scores').addEventListener('click', guard(() => download(imageScoresCsv(), `${slug(shown!.what)}-scores.csv`, 'text/csv')));
$('train-images').addEventListener('click', guard(trainImages));
$('compare').addEventListener('click', guard(compareVariants));
$('cancel-images').addEventListener('click', () => imageAbort?.abort());
$('cancel-compare').addEventListener('click', () => imageAbort?.abort());
$('score-files').addEventListener('change', guard(scoreDroppedImages));
$('csv-file').addEventListener('change', guard(loadCsv));
$('decimal-mark').addEventListener('change', guard(chooseDecimalMark));
let suggestedLabel = '';
$('label-column').addEventListener('change', () => {
  // The column CA3 took for the labels, set aside with "no labels", is not made a feature by
  // default: it would drive the scores.
  const roles = chosenRoles();  // the roles given stay (not the set-aside column's "ignore": CA3's, not the user's)
  delete roles[setAside];
  setAside = $<HTMLSelectElement>('label-column').value ? '' : suggestedLabel;
  fillNormalValues();
  renderSchema(roles);
});
$('normal-value').addEventListener('change', showLabelHint);
$('csv-schema').addEventListener('change', (e) => {  // a role chosen
  // The column set aside as labels, given a role by the user: a column like the others now.
  const row = (e.target as HTMLElement).closest('tr');
  const c = columns.find((c) => c.name === row?.dataset.column);
  if (row && c && c.name === setAside) {
    setAside = '';
    row.cells[row.cells.length - 1].textContent = columnNote(c);
  }
  showRefusals();
});
$('train-csv').addEventListener('click', guard(trainTable));
$('truth-column').addEventListener('change', guard(async () => {
  fillTruthValues();
  await showTableLabels();
}));
$('truth-normal').addEventListener('change', guard(showTableLabels));
$('table-rows-view').addEventListener('change', guard(async () => {
  // The most normal rows come most normal first; the other views most anomalous first.
  tableSort = { key: 'score', descending: $<HTMLSelectElement>('table-rows-view').value !== 'bottom' };
  tableRowCount = TABLE_ROWS;
  await renderTableRows();
}));
$('table-more').addEventListener('click', guard(async () => {
  tableRowCount += TABLE_ROWS;
  await renderTableRows();
}));
for (const b of $('table-rows').querySelectorAll<HTMLButtonElement>('button.sort'))
  b.addEventListener('click', guard(async () => {
    const key = b.dataset.key as 'line' | 'score';
    tableSort = { key, descending: tableSort.key === key ? !tableSort.descending : key === 'score' };
    await renderTableRows();
  }));
$('cancel-csv').addEventListener('click', () => csvAbort?.abort());
$('csv-score-file').addEventListener('change', guard(scoreCsv));
$('score-demo-csv').addEventListener('click', guard(async () => scoreCsvBytes('breast-cancer.csv', await fetchBytes('samples/breast-cancer.csv'),
  'breast-cancer.csv: the data the demo model was made on (its training rows included, so these counts are optimistic).')));
$('download-csv').addEventListener('click', guard(async () => {
  if (!scoredCsvSource || !tableDetector) return;
  download(await tableDetector.scoredCsv(tableFromCsv(scoredCsvSource)), `${baseName(scoredCsvName)}-scored.csv`, 'text/csv');
}));
$('demo-image').addEventListener('click', guard(async () =>
  adopt(await fetchBytes('models/fashion-mnist-tshirt.ca3'), 'the demo image model', true, 'fashion-mnist-tshirt.ca3')));
$('demo-table').addEventListener('click', guard(async () =>
  adopt(await fetchBytes('models/breast-cancer.ca3'), 'the demo table model', true, 'breast-cancer.ca3')));
$('model-file').addEventListener('change', guard(async () => {
  const file = $<HTMLInputElement>('model-file').files?.[0];
  if (file) await adopt(new Uint8Array(await file.arrayBuffer()), file.name);
}));
$('download-image-model').addEventListener('click', guard(async () => download(await imageDetector!.save(), modelFiles.image, 'application/octet-stream')));
$('download-table-model').addEventListener('click', guard(async () => download(await tableDetector!.save(), modelFiles.table, 'application/octet-stream')));
// A file chosen again in the dialog is read again (it may have been corrected meanwhile; the browser
// says no change for the file already chosen). Not the normal and anomalous images' inputs: each is
// read with the other's files, which a cancelled dialog would empty.
for (const id of ['csv-file', 'csv-score-file', 'score-files', 'model-file']) {
  const input = $<HTMLInputElement>(id);
  input.addEventListener('click', () => { input.value = ''; });
}
// Each drop zone is a <label> around a file input: files dropped anywhere on it go to the input.
for (const zone of document.querySelectorAll<HTMLLabelElement>('label.drop')) {
  const input = zone.querySelector('input[type=file]') as HTMLInputElement;
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (!e.dataTransfer?.files.length) return;
    if (input.disabled) {  // a CSV to score while a table model trains: scored when it is done (scoringWaits)
      if (input.id === 'csv-score-file') scoreWhenTrained(e.dataTransfer.files);
      return;
    }
    input.files = e.dataTransfer.files;
    input.dispatchEvent(new Event('change'));
  });
}
const started = start();
guard(() => started)();
