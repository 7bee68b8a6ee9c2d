// The app every example runs (copied into each as src/app.js): train a table detector on a small
// CSV with labelled anomalies, score it, and put the outcome on the page for the test to read.
import { createDetector, getRuntime, tableFromCsv } from 'ca3-sdk';

// 200 sensor rows: 'fault' rows have a shifted temperature and pressure.
function sensorCsv() {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = ['temperature,pressure,flow,state'];
  for (let i = 0; i < 200; ++i) {
    const fault = i % 10 === 9;
    const t = 20 + random() * 2 + (fault ? 6 : 0), p = 100 + random() * 5 - (fault ? 15 : 0), f = 3 + random();
    lines.push(`${t.toFixed(2)},${p.toFixed(1)},${f.toFixed(2)},${fault ? 'fault' : 'ok'}`);
  }
  return lines.join('\n') + '\n';
}

export async function run() {
  const started = performance.now();
  try {
    const csv = sensorCsv();
    const detector = await createDetector({ preset: 'tabular' });
    const report = await detector.fit(tableFromCsv(csv, { labelColumn: 'state', normalValues: ['ok'] }), { epochs: 5 });
    const scores = await detector.score(tableFromCsv(csv));
    const runtime = await getRuntime();
    document.body.dataset.result = JSON.stringify({
      build: runtime.build, threads: runtime.threads, rocAuc: report.test.rocAuc, scored: scores.length,
      flagged: scores.filter((s) => s >= detector.threshold).length, milliseconds: Math.round(performance.now() - started),
    });
  } catch (error) {
    document.body.dataset.error = `${error.name}: ${error.message}`;
  }
}
