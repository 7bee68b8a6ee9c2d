// The threshold, ROC curve and score histogram of one model's scores on one set of samples: the
// image model's held-out or dropped images, or the table model's rows of a file. The view writes
// its markup into a container; its elements' ids carry a prefix ('' for images, 'table-' for
// tables):
//   {p}threshold (range), {p}threshold-value (the threshold typed exactly), {p}apply-threshold, {p}model-threshold, {p}confusion,
//   {p}roc-chart, {p}histogram-chart (canvases), {p}roc-box (hidden without labels), {p}histogram-box
//   (both hidden before any scores).
// The slider only explores: the model's own threshold (its flags, the saved file) changes with
// "Flag from this threshold"; the histogram marks the slider's threshold. The ROC curve and
// confusion counts come from the core (evaluate).
import { Chart } from 'chart.js';
import type { Detector, Metrics, RocCurve } from 'ca3-sdk';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const BINS = 20;

/** A score with `decimals` decimals, or below 0.001 with `decimals` - 1 significant digits
 *  (0.0000513, not "0.0001"). */
export const formatScore = (s: number, decimals = 4) => (s === 0 || Math.abs(s) >= 0.001 ? s.toFixed(decimals) : s.toPrecision(decimals - 1));
/** The decimals a score is shown with: images' captions 3, table rows 4. */
export const SCORE_DECIMALS = { images: 3, rows: 4 } as const;
/** How many of `scores` are flagged at `threshold` (score >= threshold) and scored, and their sum;
 *  NaN (a row holding no sample: a totals row, a group's heading line) is not scored. */
export function countFlagged(scores: ArrayLike<number>, threshold: number) {
  let flagged = 0, scored = 0, sum = 0;
  for (let i = 0; i < scores.length; ++i)
    if (!Number.isNaN(scores[i])) ++scored, sum += scores[i], flagged += scores[i] >= threshold ? 1 : 0;
  return { flagged, scored, sum };
}
/** The decimals of a kind of model's scores (SCORE_DECIMALS). */
export const scoreDecimals = (kind: 'image' | 'table' | 'tabular') => kind === 'image' ? SCORE_DECIMALS.images : SCORE_DECIMALS.rows;
/** A threshold in words, written as the scores beside it are (`fewest` decimals, SCORE_DECIMALS;
 *  3 significant digits below 0.001: a model whose scores sit near 0 flags from 0.000104), with up
 *  to `most` decimals where the scores shown need them, the zeros past `fewest` dropped (a typed
 *  0.00005 is "0.00005", not "0.0000500000"). */
export function formatThreshold(t: number, fewest: number, most = fewest) {
  const text = formatScore(t, most);
  const point = text.indexOf('.');
  if (point < 0) return text;
  const keep = t === 0 || Math.abs(t) >= 0.001 ? point + 1 + fewest : point + 2;  // (at least "0.0" below 0.001)
  let end = text.length;
  while (end > keep && text[end - 1] === '0') --end;
  return text.slice(0, end);
}

/** The ROC curve as chart points (false positive rate, true positive rate). */
export function rocPoints(roc: RocCurve) {
  return roc.truePositives.map((tp, k) => ({ x: roc.falsePositives[k] / roc.normal, y: tp / roc.anomalies }));
}

/** `count` sample indices of a view: the highest scores ('top'), those around `threshold`
 *  ('border') or the lowest ('bottom'), from indices sorted by descending score. */
export function pickView(byScore: number[], scores: ArrayLike<number>, view: string, threshold: number, count: number) {
  if (view === 'bottom') return byScore.slice(-count).reverse();
  if (view === 'border') {
    let at = byScore.findIndex((i) => scores[i] < threshold);
    if (at < 0) at = byScore.length;
    const from = Math.max(0, Math.min(at - Math.floor(count / 2), byScore.length - count));
    return byScore.slice(from, from + count);
  }
  return byScore.slice(0, count);
}

/** Whether a scored sample has label `y` (a table row holding no sample, NaN, counts for neither). */
function hasLabel(s: Scored, y: number) {
  return !!s.labels && s.labels.some((label, i) => label === y && !Number.isNaN(s.scores[i]));
}

export interface Scored {
  detector: Detector;
  scores: Float32Array;
  labels?: Int32Array;
  /** What the scores are of, for the chart titles ("held-out images", "rows of data.csv"). */
  what: string;
  unit: 'images' | 'rows';
  /** The core's metrics at a threshold (with labels only). */
  evaluate?: (threshold: number) => Promise<Metrics>;
}

export class ScoreView {
  private scored?: Scored;
  private request = 0;
  // The model's threshold exactly while the slider rests on it (the slider rounds to its 0.001 steps:
  // its flags would then differ from the model's).
  private exact?: number;
  // The threshold "Flag from this threshold" gave a model: the model flags from it, but it is the
  // user's, not the one its fit set.
  private applied?: { detector: Detector; threshold: number };
  private readonly roc: Chart<'scatter', { x: number; y: number }[]>;
  private readonly histogram: Chart<'bar', number[], string>;
  // The threshold written as the scores beside it (SCORE_DECIMALS).
  private readonly format: (t: number) => string;

  /** Fills `container`; `what` names the samples in the charts' labels for screen readers.
   *  `onChange` runs after the slider moved or the model's threshold changed (redraw flags);
   *  `onError` shows what went wrong; `onModelThreshold` after "Flag from this threshold" set
   *  the model's threshold. */
  constructor(container: HTMLElement, private readonly prefix: string, what: string,
    private readonly onChange: () => void, private readonly onError: (e: unknown) => void,
    private readonly onModelThreshold: (threshold: number) => void = () => {}) {
    const p = prefix;
    this.format = (t) => formatThreshold(t, scoreDecimals(what === 'images' ? 'image' : 'table'));
    // The slider under the charts, right above the samples it flags.
    container.innerHTML = `
      <div class="charts">
        <div class="chart" id="${p}roc-box" hidden><canvas id="${p}roc-chart" role="img" aria-label="ROC curve of the ${what}"></canvas></div>
        <div class="chart" id="${p}histogram-box" hidden><canvas id="${p}histogram-chart" role="img" aria-label="histogram of the ${what}' scores, the threshold marked"></canvas></div>
      </div>
      <div class="row">
        <label class="threshold">threshold <input id="${p}threshold" type="range" min="0" max="1" step="0.001" value="0.5" disabled
          title="arrow keys: 0.01; with Shift: 0.001; Page Up / Down: 0.1">
        </label>
        <input id="${p}threshold-value" class="threshold-value" type="text" inputmode="decimal" value="–" disabled
          aria-label="threshold, typed exactly" title="type a threshold, e.g. 0.00005, and press Enter">
        <button id="${p}apply-threshold" disabled>Flag from this threshold</button>
        <span id="${p}model-threshold" class="hint"></span>
      </div>
      <p id="${p}confusion" class="status" aria-live="polite"></p>`;
    this.roc = new Chart(this.el<HTMLCanvasElement>('roc-chart'), {
      type: 'scatter',
      data: { datasets: [{ label: 'ROC', data: [], showLine: true, borderColor: '#3b6ea5', pointRadius: 0 },
        { label: 'threshold', data: [], pointRadius: 6, backgroundColor: '#c0392b' }] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { min: 0, max: 1, title: { display: true, text: 'false positive rate' } },
          y: { min: 0, max: 1, title: { display: true, text: 'true positive rate' } } },
      },
    });
    this.histogram = new Chart(this.el<HTMLCanvasElement>('histogram-chart'), {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'normal', data: [], backgroundColor: '#3b6ea5aa' },
        { label: 'anomaly', data: [], backgroundColor: '#c0392baa' }] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { labels: { filter: (item, data) => !data.datasets[item.datasetIndex!].hidden } } },
        scales: { x: { stacked: true, title: { display: true, text: 'score' } }, y: { stacked: true, title: { display: true, text: 'count' } } },
      },
      plugins: [{
        // The slider's threshold as a vertical line (the bins split 0..1 evenly across the axis).
        id: 'threshold-line',
        afterDatasetsDraw: (chart) => {
          if (!this.scored) return;
          const { ctx, chartArea, scales } = chart;
          const x = scales.x.left + (scales.x.right - scales.x.left) * this.threshold;
          ctx.save();
          ctx.strokeStyle = '#c0392b';
          ctx.lineWidth = 2;
          ctx.setLineDash([5, 3]);
          ctx.beginPath();
          ctx.moveTo(x, chartArea.top);
          ctx.lineTo(x, chartArea.bottom);
          ctx.stroke();
          ctx.fillStyle = '#c0392b';
          // Right of the line where it fits (a phone's narrow chart: often not), else left of it,
          // never past the chart's edges.
          const text = `threshold ${this.format(this.threshold)}`, width = ctx.measureText(text).width;
          const right = x + 4 + width <= chartArea.right;
          ctx.textAlign = right ? 'left' : 'right';
          ctx.fillText(text, right ? x + 4 : Math.min(Math.max(x - 4, chartArea.left + width), chartArea.right), chartArea.top + 10);
          ctx.restore();
        },
      }],
    });
    this.el('threshold').addEventListener('input', () => {
      // Back on the model's threshold (within the slider's step): its exact value again.
      const model = this.scored?.detector.threshold;
      this.exact = model !== undefined && Math.abs(Number(this.el<HTMLInputElement>('threshold').value) - model) < 5e-4 ? model : undefined;
      this.showModelThreshold();
      void this.update().catch(this.onError);
    });
    // By keyboard the arrow keys move it 0.01 (a hundred steps across), with Shift the slider's own
    // 0.001; Page Up / Down move it 0.1 as a range input does.
    this.el('threshold').addEventListener('keydown', (e) => {
      const direction = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[e.key];
      if (!direction || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      const slider = this.el<HTMLInputElement>('threshold');
      slider.value = String(Math.min(1, Math.max(0, Math.round((Number(slider.value) + 0.01 * direction) * 1000) / 1000)));
      slider.dispatchEvent(new Event('input'));
    });
    // A threshold typed exactly: any the slider's steps cannot reach (a model whose scores sit near
    // 0 flags from 0.0000513). Taken on Enter or when the field is left; what is no number of the
    // scores' range (0 to 1, or to the highest score) is refused beside the slider, the field marked.
    const typed = this.el<HTMLInputElement>('threshold-value');
    typed.addEventListener('change', () => {
      if (!this.scored) return;
      const text = typed.value.trim().replace(',', '.');
      const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
      // (a reconstruction-only model's scores, reconstruction errors, may pass 1)
      let top = Math.max(1, this.scored.detector.threshold);
      for (const s of this.scored.scores) if (s > top) top = s;
      if (!(value >= 0 && value <= top)) {
        typed.setAttribute('aria-invalid', 'true');
        this.onError(new Error(`the threshold must be a number from 0 to ${top === 1 ? '1' : this.format(top)} (the scores' range), ` +
          `such as 0.5 or 0.00005, not "${typed.value}"`));
        return;
      }
      typed.removeAttribute('aria-invalid');
      typed.value = this.format(value);  // (as when the field is left)
      this.exact = value;
      this.el<HTMLInputElement>('threshold').value = String(value);
      this.showModelThreshold();
      void this.update().catch(this.onError);
    });
    this.el('apply-threshold').addEventListener('click', () => {
      if (!this.scored) return;
      const threshold = this.threshold;
      const detector = this.scored.detector;
      detector.setThreshold(threshold).then(() => {
        this.exact = threshold;
        this.applied = { detector, threshold: detector.threshold };
        // The button is disabled now (nothing left to apply): keyboard focus goes back to the slider.
        const focused = document.activeElement === this.el('apply-threshold');
        this.showModelThreshold();
        if (focused) this.el('threshold').focus();
        this.onModelThreshold(threshold);
        this.onChange();
      }).catch(this.onError);
    });
  }

  /** The slider's threshold (what the flags on screen use). */
  get threshold() {
    return this.exact ?? Number(this.el<HTMLInputElement>('threshold').value);
  }

  async show(scored: Scored) {
    this.scored = scored;
    const request = ++this.request;
    const slider = this.el<HTMLInputElement>('threshold');
    slider.disabled = false;
    this.el<HTMLInputElement>('threshold-value').disabled = false;
    slider.value = String(scored.detector.threshold);
    this.exact = scored.detector.threshold;
    // New scores start from the model's threshold: the field says it, even while it has the focus.
    const typed = this.el<HTMLInputElement>('threshold-value');
    typed.value = this.format(this.exact);
    typed.removeAttribute('aria-invalid');
    const { scores, labels, unit } = scored;
    const normal = new Array(BINS).fill(0), anomaly = new Array(BINS).fill(0);
    // (NaN: a table row holding no sample, not scored)
    scores.forEach((s, i) => Number.isNaN(s) || ((labels?.[i] ? anomaly : normal)[Math.min(BINS - 1, Math.floor(s * BINS))] += 1));
    this.histogram.data.labels = Array.from({ length: BINS }, (_v, b) => (b / BINS).toFixed(2));
    this.histogram.data.datasets[0].data = normal;
    const anomalies = hasLabel(scored, 1);
    this.histogram.data.datasets[0].label = anomalies ? `normal ${unit}` : labels ? `${unit} (all taken as normal)` : `${unit} (no labels)`;
    this.histogram.data.datasets[1].label = `anomalous ${unit}`;
    this.histogram.data.datasets[1].data = anomalies ? anomaly : [];
    this.histogram.data.datasets[1].hidden = !anomalies;
    this.histogram.options.scales!.y!.title = { display: true, text: unit };
    this.el('histogram-box').hidden = false;  // (no empty chart before any scores)
    this.histogram.update();
    // A ROC curve needs both classes (a file of normal rows only has none).
    const bothClasses = hasLabel(scored, 0) && hasLabel(scored, 1);
    this.el('roc-box').hidden = !bothClasses;
    if (!bothClasses) this.clearRoc();
    if (bothClasses && scored.evaluate) {
      const metrics = await scored.evaluate(scored.detector.threshold);
      if (request !== this.request) return;  // a later show() or slider move is drawing
      this.roc.data.datasets[0].data = rocPoints(metrics.roc!);
      this.roc.data.datasets[0].label = `ROC (AUC ${metrics.rocAuc?.toFixed(4) ?? '–'}, ${scored.what})`;
      this.el('roc-chart').dataset.auc = String(metrics.rocAuc);
      this.el('roc-chart').setAttribute('aria-label', `ROC curve, ${scored.what}: ROC-AUC ${metrics.rocAuc?.toFixed(4) ?? 'not defined'}`);
      this.roc.update();
    }
    this.showModelThreshold();
    await this.update();
  }

  clear() {
    this.scored = undefined;
    this.exact = undefined;
    ++this.request;
    for (const chart of [this.roc, this.histogram] as Chart[]) {
      chart.data.datasets.forEach((d) => (d.data = []));
      chart.update();
    }
    this.clearRoc();
    this.el('roc-box').hidden = true;
    this.el('histogram-box').hidden = true;
    this.el<HTMLInputElement>('threshold').disabled = true;
    this.el<HTMLInputElement>('threshold-value').value = '–';
    this.el<HTMLInputElement>('threshold-value').disabled = true;
    this.el('confusion').textContent = '';
    this.el('model-threshold').textContent = '';
    this.el<HTMLButtonElement>('apply-threshold').disabled = true;
  }

  // No ROC on show (no labels, or one class only): none kept from an earlier set either.
  private clearRoc() {
    this.roc.data.datasets.forEach((d) => (d.data = []));
    this.roc.update();
    delete this.el('roc-chart').dataset.auc;
  }

  showModelThreshold() {
    const model = this.scored?.detector.threshold;
    // (the slider near the model's threshold stands on it exactly: `exact`; a typed one is compared
    // relatively, as thresholds may be 0.00005)
    const same = model !== undefined && this.exact !== undefined && Math.abs(this.exact - model) <= 1e-6 * Math.abs(model);
    // The slider explores; what the model flags (and a downloaded model keeps) moves only on the button.
    const applied = this.applied?.detector === this.scored?.detector && this.applied?.threshold === model;
    this.el('model-threshold').textContent = model === undefined ? ''
      : same && applied ? `the threshold you set, ${this.format(model)}: the model flags from it now (a downloaded model keeps it)`
      : same ? `the model's own threshold, ${this.format(model)} (a downloaded model keeps it)`
        : `exploring: the model still flags from ${this.format(model)} until you press "Flag from this threshold"`;
    this.el<HTMLButtonElement>('apply-threshold').disabled = model === undefined || same;
  }

  // The counts at the slider's threshold (with labels: the core's confusion counts); the latest
  // request wins.
  private async update() {
    const threshold = this.threshold;
    const typed = this.el<HTMLInputElement>('threshold-value');
    if (document.activeElement !== typed) typed.value = this.format(threshold);  // (not while typed in)
    const scored = this.scored;
    if (!scored) return;
    const request = ++this.request;
    const { flagged, scored: total } = countFlagged(scored.scores, threshold), notScored = scored.scores.length - total;
    let text = `${flagged.toLocaleString('en')} of ${total.toLocaleString('en')} ${scored.unit} flagged ` +
      `(${(100 * flagged / Math.max(total, 1)).toFixed(1)}%) at ${this.format(threshold)}` +
      (notScored ? ` (${notScored.toLocaleString('en')} ${notScored === 1 ? 'row' : 'rows'} not scored: headings, totals or repeated headers, not data)` : '');
    if (hasLabel(scored, 0) && hasLabel(scored, 1) && scored.evaluate) {
      const m = await scored.evaluate(threshold);
      if (request !== this.request) return;
      const c = m.confusion;
      text += `: true positives ${c.truePositives}, false positives ${c.falsePositives}, true negatives ${c.trueNegatives}, ` +
        `false negatives ${c.falseNegatives} · TPR ${m.truePositiveRate!.toFixed(3)} · FPR ${m.falsePositiveRate!.toFixed(3)}`;
      this.roc.data.datasets[1].data = [{ x: m.falsePositiveRate!, y: m.truePositiveRate! }];  // both classes present
      this.roc.update();
    }
    this.el('confusion').textContent = text;
    this.el('confusion').dataset.flagged = String(flagged);
    this.histogram.draw();  // the threshold line
    this.onChange();
  }

  private el<T extends HTMLElement = HTMLElement>(id: string) {
    return $<T>(this.prefix + id);
  }
}
