// Every value that crosses from the C++ core to JavaScript, mirrored from core/anomaly/wire.h
// (one interface per C++ shape, same names, camelCase keys). test/wire.test.mjs checks real values
// from the wasm module against these interfaces both ways: a key the core sends that is not
// declared here, or a required member here that the core does not send, fails it.

/** The kinds of error the core and the SDK report (`CA3Error.code`). */
export type ErrorCode =
  | 'bad_input'         // the data, an option or a call does not fit; the message says how to fix it
  | 'unsupported_file'  // a file CA3 cannot read: foreign, damaged, of another format version, an unknown encoding
  | 'out_of_memory'     // the data or the model does not fit in WebAssembly's memory
  | 'cancelled'         // the caller stopped the work (an AbortSignal, dispose, close)
  | 'internal'          // a bug in CA3
  | 'disposed'          // a call on a detector after dispose(), or on a closed runtime
  | 'unsupported_environment';  // the runtime cannot start here (missing files, headers, a worker)

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/** One column's part in a row's score (Detector.explainRows), by integrated gradients
 *  (Sundararajan et al., ICML 2017, eq. 1): the gradient of the score's log-odds (of the
 *  reconstruction error for the reconstruction-only variant) averaged along the path from a
 *  baseline row's inputs to the row's, times the row's inputs minus the baseline's, summed over the
 *  column's model inputs. The baseline is the row's like rows (RowExplanation.likeRows > 0: its 5
 *  most similar normal training rows, found by its columns that lie near what its other columns
 *  lead one to expect; their mean, the category most of them have), so that a value
 *  is weighed against what rows of its kind have (an idle machine's temperature against idle
 *  machines'); for a model file that keeps no training rows (saved before every model of rows kept
 *  them, labelled ones too), the typical row (each column's training median or most frequent
 *  category). A value equal to the
 *  baseline's contributes 0 (so does a missing cell: it was filled with it); > 0 raises the score;
 *  over all columns, about the row's log-odds minus the baseline's. */
export interface ColumnContribution {
  column: string;
  /** The cell as written in the file ('' when missing; '(empty)' for an empty cell of a checkbox
   *  column, where it is a value of its own; a numeric cell that cannot be read, 'ERR', or a
   *  spreadsheet formula's error, '#VALUE!', as written, with `missing`); a cell in another size
   *  of its column's unit, also as read in the unit of `typical` ('1,2 kg = 1200 g'). */
  value: string;
  /** The cell was missing, or could not be read: the model saw `baseline`. */
  missing: boolean;
  /** What the cell is compared with: the like rows' value (likeRows > 0: their mean, to as many
   *  decimals as `typical` and at least 3 significant digits, or the category most of them have,
   *  '(another value)' when most have none of the column's categories), else `typical`. */
  baseline: string;
  /** The training median (in the file's number format) or the most frequent category. */
  typical: string;
  /** A missing cell's value as the model saw it, filled from the like rows (= `baseline`); '' for
   *  a cell not missing or filled with `typical` (likeRows 0). */
  filled: string;
  /** In log-odds of the score. */
  contribution: number;
}

/** Why a table row scores as it does. */
export interface RowExplanation {
  /** 0-based row of the table. */
  row: number;
  /** 1-based line of the file the row starts on. */
  line: number;
  score: number;
  /** score ≥ the detector's threshold. */
  flagged: boolean;
  /** How many normal training rows most like this one it is compared with (5; 1, the nearest of
   *  them, where their mean scores as flagged and that row does not: a mean of a sparse region's
   *  rows can be no row's values); 0: with the typical row (a model file that keeps no training
   *  rows, saved before every model of rows kept them, or a row with no cell present). */
  likeRows: number;
  /** The score of what the row is compared with (the like rows' mean, or the typical row). At or
   *  above the threshold, rows of its kind score high themselves (few training rows are like
   *  them): the contributions explain only how far the row lies beyond its kind (likeRowsScore
   *  says so against a threshold). */
  baselineScore: number;
  /** The `top` columns of largest |contribution| (explainRows): those that raise the score first,
   *  then those that lower it, each strongest first; then every column whose cell is missing (the
   *  model saw `baseline`). */
  columns: ColumnContribution[];
}

/** A row that scoring notes ask to look at whatever its score (Detector.rowsToCheck). */
export interface RowToCheck {
  /** 0-based row of the table, as score() orders its scores. */
  row: number;
  /** 1-based line of the file the row starts on. */
  line: number;
  /** What, in a few words: a cell that cannot be read or a spreadsheet formula's error (both read
   *  as missing: the score says less), a value far outside the training's range, another value
   *  than the one its column had in every training row (the model never saw the like); several
   *  joined by "; ". */
  reason: string;
}

/** Sent after every training step and at every epoch end. */
export interface TrainProgress {
  stage: 'e2e' | 'target' | 'alarm';
  epoch: number;
  /** The maximum number of epochs of this stage. */
  epochs: number;
  step: number;
  steps: number;
  /** True once per epoch, after validation (then validationAuc / validationLoss are set). */
  epochEnd: boolean;
  loss: number;
  reconstruction: number;
  kl: number;
  classification: number;
  /** At epoch ends; null when the validation split lacks a class. */
  validationAuc?: number | null;
  validationLoss?: number;
  samplesPerSecond: number;
}

/** Counts at a threshold: a sample is flagged when its score >= the threshold. */
export interface Confusion {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

/** The ROC curve: one point per distinct score, from the highest down; the first point
 *  (threshold null = +infinity) flags nothing. */
export interface RocCurve {
  thresholds: (number | null)[];
  truePositives: number[];
  falsePositives: number[];
  anomalies: number;
  normal: number;
}

export interface Metrics {
  normal: number;
  anomalies: number;
  /** null when a class is missing. */
  rocAuc: number | null;
  averagePrecision: number | null;
  threshold: number;
  confusion: Confusion;
  /** Rates at `threshold`; null where there is nothing to measure them on: without anomalies
   *  (truePositiveRate, f1, precision: flagged samples then are unlabelled, not known normal),
   *  without normal samples (falsePositiveRate), with nothing flagged (precision). */
  truePositiveRate: number | null;
  falsePositiveRate: number | null;
  precision: number | null;
  f1: number | null;
  /** Samples left out of the measure because their score is NaN (table rows that hold no sample:
   *  see Detector.score()); absent when none. */
  notScored?: number;
  /** From evaluate(); not in a fit report. */
  roc?: RocCurve;
}

export interface EpochRecord {
  stage: 'e2e' | 'target' | 'alarm';
  epoch: number;
  loss: number;
  reconstruction: number;
  kl: number;
  classification: number;
  validationAuc: number | null;
  validationLoss: number;
  seconds: number;
}

/** What a fit learned from. */
export type FitSetting =
  | 'labelled'      // labelled anomalies
  | 'few_labels'    // a few labelled anomalies, joined by synthetic ones
  | 'one_class'     // no labelled anomaly, the rows are normal: synthetic anomalies
  | 'contaminated'; // no labelled anomaly, some rows may be anomalies (preset training.contamination)

export interface FitReport {
  /** True when the fit was cancelled: the detector kept its previous model. */
  cancelled: boolean;
  setting: FitSetting;
  rows: { train: number; validation: number; test: number };
  /** Labelled anomalies in the training split. */
  labelledAnomalies: number;
  /** Synthetic anomalies added to training (and validation) data. */
  syntheticAnomalies: number;
  /** What `validation` measures the score against: 'labelled' anomalies; 'synthetic' ones (drawn
   *  like those trained on, when validation holds no labelled anomaly: the figures say how well the
   *  score separates those, not real anomalies; in 'contaminated' the samples taken as normal may
   *  hold anomalies too); 'none' (no validation anomaly). */
  validationAnomalies: 'labelled' | 'synthetic' | 'none';
  /** The score the model gives, 'auto' resolved (see Preset's `model.score`); 'reconstruction'
   *  for the reconstruction-only variant. */
  score: 'alarm' | 'combined' | 'combined_rarity' | 'combined_neighbours' | 'alarm_neighbours' | 'combined_without_alarm'
    | 'reconstruction';
  /** The normal training samples kept: when the score has the neighbour distance, those it
   *  compares with; a model of rows keeps them whatever its score, to fill a row's missing cells
   *  from and explain it against (RowExplanation's likeRows). And those left out of them: exact repeats of another one beyond `copies` of it
   *  (5, the k the distance averages over, when the samples are taken as normal: a sample the data repeats is as near as its copies
   *  make it; 1 when some may be anomalies, and for a score without the distance),
   *  the least typical share of a contaminated fit (rows: by reconstruction error and rare values;
   *  images: the worst reconstructed),
   *  those beyond the cap (8,192 samples, 2^20 values; a seeded random choice). */
  neighbours?: { samples: number; repeated: number; leftOut: number; notSampled: number;
    /** How many of the nearest samples the distance averages over: 5; for images fitted with
     *  training.contamination c, ceil(c * M / 2) of the M samples (5 to 256). */
    nearest: number;
    /** How many times a distinct sample is kept at most (see above). */
    copies: number };
  epochs: number;
  bestEpoch: number;
  /** What made `bestEpoch` the best of the last stage: 'auc' (the validation ROC-AUC, ties by the
   *  loss), 'loss' (the lowest validation loss: no labelled anomaly, or training.monitor 'loss'),
   *  '' (no validation split: the last epoch; also reports saved before this was written). */
  bestBy: 'auc' | 'loss' | '';
  seconds: number;
  samplesPerSecond: number;
  /** On the validation split, at the chosen threshold; see `validationAnomalies`. */
  validation: Metrics;
  /** The false-positive rate the threshold was set at on the normal held-out samples
   *  (`thresholdShare.samples`; without labels every held-out sample is taken as normal):
   *  the preset's threshold.value, and in the 'contaminated' setting at least
   *  training.contamination (the share of them expected to be anomalies, as scikit-learn's
   *  `contamination` sets it). Null when the threshold maximises F1 (threshold.rule 'best_f1' with
   *  labelled anomalies in validation) or the model file was saved before this was recorded. */
  thresholdRate: number | null;
  /** The share of new samples like the normal held-out ones that this threshold flags lies
   *  between `low` and `high` (shares in [0, 1]) with `probability` (0.9): the `samples` normal
   *  samples it was set on are a sample, so one model's share differs from `thresholdRate`
   *  (Beta(k + 1, n - k) with k of the n flagged; Vovk 2012, conditional validity of conformal
   *  predictors). `samples`: the normal validation samples, and the test ones when the test split
   *  holds no labelled anomaly (without labels: every held-out sample, taken as normal). Null when
   *  `thresholdRate` is, or when the threshold was set on the training samples (fewer than 2 normal
   *  validation ones). */
  thresholdShare: { low: number; high: number; probability: number; samples: number } | null;
  /** How many of those normal held-out samples score 1, the top of every score but the
   *  reconstruction error, when so many do that a threshold at `thresholdRate` would lie above 1
   *  and flag nothing ever: the threshold is then 1 and flags them too (`thresholdShare` counts
   *  them flagged). 0 otherwise, and in model files saved before this was recorded. */
  thresholdAtTop: number;
  /** On the test split: labelled anomalies only (its ROC-AUC is null without them). Without
   *  labelled anomalies there its samples join those the threshold is set on, so its
   *  false-positive rate is no check of the threshold on new samples. */
  test: Metrics;
  history: EpochRecord[];
  droppedColumns: string[];
  /** Tables: what was read and decided. */
  data?: TableDescription;
}

export interface DetectorInfo {
  kind: 'image' | 'tabular';
  preset: Preset;
  trained: boolean;
  threshold: number;
  parameters?: number;
  /** One sample: [height, width, channels] or [features]. */
  inputShape?: number[];
  features?: string[];
  preprocessing?: Record<string, unknown>;
  training?: FitReport;
}

/** How a table's rows are labelled (JavaScript -> C++). */
export interface TableOptions {
  /** The column holding the labels; omit when every row is normal (synthetic anomalies are used). */
  labelColumn?: string;
  /** Label values meaning "normal" (every other value is an anomaly)... */
  normalValues?: string[];
  /** ...or the values meaning "anomaly" (every other value is normal). */
  anomalyValues?: string[];
  /** Columns to ignore (identifiers); columns named like "id" are dropped anyway. */
  idColumns?: string[];
  /** Roles you give columns, overriding what CA3 decides: e.g. { zip: 'categorical', note: 'ignore' }. */
  roles?: Record<string, 'numeric' | 'categorical' | 'ignore'>;
  /** How the CSV writes its numbers, where its cells cannot tell ("1.016" only: a decimal mark, or
   *  a thousands separator?): ',' or '.'; the other mark groups thousands. Default: decided from
   *  the cells (CsvSummary.decimalMark says what was decided). */
  decimalMark?: ',' | '.';
}

/** What a column is used as: numeric and categorical columns are features. */
export type ColumnRoleName = 'numeric' | 'categorical' | 'label' | 'identifier' | 'ignored' | 'empty' | 'free text' | 'dates';

export interface ColumnSummary {
  name: string;
  numeric: boolean;
  missing: number;
  distinct: number;
  /** The most frequent values, most frequent first. */
  values: { value: string; count: number }[];
  /** The role a fit would give it (without a label column), and why. */
  role: ColumnRoleName;
  reason: string;
  /** A fit refuses the column as it is: some cells are no numbers among its numbers (a typo, a
   *  word, the other decimal mark, a limit such as "<0.5"); `reason` names them and the fixes
   *  (correct the cells, leave them empty, or give the column the role 'categorical'). */
  stopsTraining: boolean;
  /** Missing-value markers seen ('--', 'n/a', ...) with their counts. */
  placeholders: Record<string, number>;
}

/** How a CSV file was read. */
export interface CsvSummary {
  /** The rows a fit trains on: those of the file but lines it leaves out (see notes). */
  rows: number;
  /** What a fit says of the file's lines and cells before it learns a column: lines above the
   *  header skipped, heading lines given to the rows below them, totals rows and repeated headers
   *  left out, a few words among a column's numbers read as missing; each with its lines. */
  notes: string[];
  /** 'UTF-8', 'UTF-8 (byte-order mark)', 'UTF-16LE', 'UTF-16BE' or 'Windows-1252'. */
  encoding: string;
  /** ',', ';', '|', 'tab', or 'spaces' (columns aligned with spaces, split at each run of them). */
  separator: string;
  decimalMark: string;
  /** No cell told the decimal mark (only numbers such as "1.016", which read either way): it was
   *  guessed; TableOptions.decimalMark names it. */
  decimalMarkGuessed: boolean;
  /** Why that mark was taken, where it was guessed ('' otherwise): a column whose whole numbers lie
   *  near its numbers read so ("1.020" beside "800" is 1020), else the file's separator. */
  decimalMarkReason: string;
  /** '' when the file groups no digits. */
  thousandsSeparator: string;
  /** Rows with no value (only separators), skipped. */
  emptyRows: number;
  /** The column most likely to hold labels (by name, else the last column with few values). */
  suggestedLabelColumn: string | null;
  /** Whether that column was suggested for its name ("Class", "label", ...), not only for being
   *  the last column with few values. */
  suggestedLabelByName: boolean;
  columns: ColumnSummary[];
}

/** What a fit decided about one column of its table. */
export interface ColumnDecision {
  name: string;
  role: ColumnRoleName;
  reason: string;
  /** Missing cells in the training rows. */
  missing: number;
  placeholders: Record<string, number>;
}

/** What a table fit read and decided. */
export interface TableDescription {
  encoding: string;
  separator: string;
  decimalMark: string;
  thousandsSeparator: string;
  rows: number;
  emptyRows: number;
  columns: ColumnDecision[];
  /** Things the user should know, e.g. label values merged that differ only in case. */
  notes: string[];
}

/** Kinds of synthetic anomalies (core/anomaly/synthetic.h). */
export type SyntheticKind = 'gaussian' | 'marginal' | 'local' | 'geometric' | 'cutpaste' | 'blotch';

/** The bundled presets (models/presets/*.json). */
export type PresetName = 'fashion-mnist' | 'fashion-mnist-small' | 'rgb-32' | 'tabular';

/** Every hyper-parameter of a detector (models/presets/*.json); a preset object or a change only
 *  needs the keys it sets, `null` restores a key's default. */
export interface Preset {
  name?: string;
  kind: 'image' | 'tabular';
  image?: { height?: number; width?: number; channels?: number };
  model?: {
    variant?: 'e2e' | 'a3' | 'reconstruction';
    variational?: boolean;
    encoderChannels?: number[];
    alarmChannels?: number[];
    alarmInputPooling?: 'max' | 'average';
    gamma?: number;
    beta?: number;
    softOrderChannels?: number;
    softOrderLength?: number;
    /** Batch-norm statistics in training from the normal samples of a batch, or from all; 'auto':
     *  normal ones when the fit uses synthetic anomalies. */
    batchNormStatistics?: 'normal' | 'all' | 'auto';
    /** The score: the alarm's probability; combined with the reconstruction error; for rows also
     *  with how far out a row lies in its columns' distributions (combined_rarity), and with its
     *  distance to its 5 nearest normal training rows (combined_neighbours); the alarm and that
     *  distance alone (alarm_neighbours; images compared average-pooled to at most 16 x 16, over
     *  more neighbours when training.contamination > 0: FitReport's neighbours.nearest); for
     *  rows combined_neighbours without the alarm (combined_without_alarm); or 'auto': when the fit
     *  uses synthetic anomalies combined_neighbours for rows (combined_without_alarm for contaminated
     *  rows, whose alarm learned the unlabelled anomalies as normal) and alarm_neighbours for
     *  images, else alarm. */
    score?: 'alarm' | 'combined' | 'combined_rarity' | 'combined_neighbours' | 'alarm_neighbours' | 'combined_without_alarm'
      | 'auto';
  };
  training?: {
    epochs?: number;
    batchSize?: number;
    microBatchSize?: number;
    learningRate?: number;
    patience?: number;
    /** Early stopping on the validation ROC-AUC or loss; 'auto': the AUC with labelled anomalies,
     *  the loss with synthetic ones. */
    monitor?: 'auc' | 'loss' | 'auto';
    /** The share of anomalies expected among unlabelled training rows, 0 to below 0.5 (0: they
     *  are clean). Above threshold.value it is also the false-positive rate the threshold is set
     *  to (FitReport's thresholdRate). */
    contamination?: number;
  };
  /** The quantile transform (the authors' choice), standardisation (clipped to ±20), or 'auto':
   *  standardised when the fit uses synthetic anomalies, the quantile transform otherwise.
   *  `logSkewed` (default true): standardisation reads a column skewed to large values (none
   *  below 0, skewness above 2.5) as log(1 + v / c), c the median of its positive values. */
  preprocessing?: { scaling?: 'quantile_normal' | 'standard' | 'auto'; maxCategories?: number; logSkewed?: boolean };
  threshold?: { rule?: 'false_positive_rate' | 'best_f1'; value?: number };
  syntheticAnomalies?: {
    /** Rows: 'gaussian' | 'marginal' | 'local'; images: 'gaussian' | 'geometric' | 'cutpaste' | 'blotch'. */
    kinds?: SyntheticKind[];
    mean?: number;
    sd?: number;
    ratio?: number;
    scaleMin?: number;
    scaleMax?: number;
    /** Add synthetic anomalies also when training has fewer labelled ones than this. */
    belowLabelled?: number;
  };
  split?: { validation?: number; test?: number };
  seed?: number;
}

/** A partial preset for one fit (`kind` cannot change); null restores a key's default. */
export type PresetChanges = { [K in keyof Omit<Preset, 'kind'>]?: Preset[K] extends object | undefined
  ? { [L in keyof NonNullable<Preset[K]>]?: NonNullable<Preset[K]>[L] | null } | null
  : Preset[K] | null };

export interface TensorData {
  values: Float32Array;
  shape: number[];
}
