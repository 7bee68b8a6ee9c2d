// E2E-ConvA3 (Kozłowski et al.; after A3, Sperl et al., ECML PKDD 2020): a target network -- a
// convolutional, optionally variational, autoencoder -- and an alarm network that reads the
// target's encoder activations, each pooled to the smallest size among them and stacked along
// channels. One model for images and table rows: the trunk is rank-generic (the same stages on
// [N, H, W, C] images and on [N, L, C] signals), and rows enter and leave it through "soft-ordering".
//
// Target (child module "target"):
//   front   rows only: linear d -> k*L (no bias) + ELU, reshaped to [L, k], batch-norm
//           ("soft-ordering", the authors' tabular model); images enter as [H, W, C]
//   encoder stages [conv 3 -> ReLU -> max-pool 2 -> batch-norm]; their conv outputs (after the
//           ReLU) are what the alarm reads
//   latent  VAE only: 1x1 convs give mu and log-variance; z = mu + exp(log_var / 2) * noise
//   decoder stages [transposed conv 3, stride 2 -> ReLU -> batch-norm] back to each encoder size,
//           then a transposed conv 3 to C channels (images, then a sigmoid) or k channels (rows,
//           then flatten and a linear layer back to d features, no activation)
// Alarm (child module "alarm"): [conv 3 -> ReLU -> max-pool 2 (while every spatial size >= 2)]
//   stages over the pooled, stacked activations, then a linear layer to one logit.
//
// Loss (per batch; paper, eq. for L_E2E): mean over samples of
//     (1 - y) * [ MSE(x, x_hat) + beta * KL ]  +  gamma * BCE(y, alarm logit)
// i.e. the reconstruction term is masked *per sample* for anomalies (y = 1), so the target only
// learns to reconstruct normal data while the classification gradient still flows into the
// encoder. (The authors' released code sums the squared error over the batch before masking,
// which makes the mask a no-op; this is the paper's definition.)
//
//   E2EConvA3 model(ModelConfig::image(28, 28, 1));          // or ModelConfig::rows(34)
//   LossParts loss = model.loss(inputs, labels);              // labels 0 normal, 1 anomaly
//   loss.total.backward();
//   std::vector<float> scores = model.score(inputs);          // higher = more anomalous
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/nn/layers.h"

namespace ca3 {

// How a model is trained and what its score is.
enum class Variant {
  end_to_end,           // E2E-ConvA3: target and alarm trained together; score = alarm probability
  two_stage,            // A3: target trained on normal samples and frozen, then the alarm
  reconstruction_only,  // target only, trained on normal samples; score = reconstruction error
};
std::string to_string(Variant variant);
Variant variant_from_string(const std::string& name);  // throws on an unknown name

// A setting that can be left to the fit: automatic means "decided by whether the fit uses
// synthetic anomalies" (see each use).
enum class Choice { no, yes, automatic };

// What score() gives for the e2e and a3 variants (reconstruction-only always scores the
// reconstruction error).
enum class ScoreKind {
  alarm,      // the alarm's probability (the paper's score)
  combined,   // the alarm's logit and the log reconstruction error, each standardised on the
              // normal validation samples, averaged, through a sigmoid: what the alarm learned
              // from (synthetic) anomalies and how unlike normal data the target finds a sample
  combined_rarity,  // combined, and for rows how far out in its columns' distributions a row lies
  combined_neighbours,  // combined_rarity, and for rows how far a row lies from its nearest normal
                        // training rows (the k-nearest-neighbour distance, Ramaswamy et al. 2000)
  alarm_neighbours,     // the alarm's logit and the neighbour distance (images: of the image
                        // downscaled to at most 16 x 16 per channel) to the nearest normal
                        // training samples, standardised, weighted and averaged
  combined_without_alarm,  // rows: combined_neighbours without the alarm (the reconstruction
                           // error, the marginal rarity and the neighbour distance)
  automatic,  // with synthetic anomalies: combined_neighbours for rows (contaminated rows:
              // combined_without_alarm), alarm_neighbours for images; else (labelled data) alarm
};

struct ModelConfig {
  // One sample: {height, width, channels} (an image) or {features} (a table row).
  Shape sample_shape;
  // Rows only: soft-ordering to k channels of length L.
  int64_t soft_order_channels = 16, soft_order_length = 16;
  std::vector<int64_t> encoder_channels = {64, 128};  // each stage halves every spatial size
  std::vector<int64_t> alarm_channels = {64, 128};
  bool variational = true;                       // VAE target (paper) or plain AE (authors' code)
  PoolKind alarm_input_pooling = PoolKind::max;  // how activations are pooled to one size
  float gamma = 10.f;                            // weight of the classification loss
  float beta = 1.f;                              // weight of the KL term (VAE only)
  Variant variant = Variant::end_to_end;
  ScoreKind score = ScoreKind::alarm;
  // Batch-norm statistics in training from the normal samples of each batch only (anomalies are
  // normalized with them), or from all samples; automatic: normal ones when the fit uses
  // synthetic anomalies.
  Choice normal_statistics = Choice::automatic;
  uint64_t seed = 0;                             // weight initialisation and VAE noise

  static ModelConfig image(int64_t height, int64_t width, int64_t channels);
  static ModelConfig rows(int64_t features);  // with the authors' tabular layer sizes
  bool is_image() const { return sample_shape.size() == 3; }
  void validate() const;  // throws naming the problem
};

struct ModelForward {
  Var reconstruction;            // same shape as the input (undefined when not reconstructing)
  Var mu, log_variance;          // VAE latent statistics (undefined for a plain AE)
  std::vector<Var> activations;  // the encoder's conv outputs, what the alarm reads
  Var alarm_input;               // pooled + stacked activations: [N, h, w, C] or [N, l, C]
  Var logits;                    // [N, 1]
};

struct LossParts {
  Var total;                  // [1]
  double reconstruction = 0;  // mean MSE over normal samples
  double kl = 0;              // mean KL (per latent element) over normal samples
  double classification = 0;  // mean BCE
};

// Which terms loss() includes: the target's (reconstruction + KL, normal samples only) and/or
// the alarm's (gamma * BCE). Two-stage training uses one, then the other.
struct LossTerms {
  bool target = true;
  bool alarm = true;
};

// The autoencoder.
class Target : public Module {
  friend class OnnxExport;

 public:
  Target(const ModelConfig& config, Rng& rng);
  Var forward(const Var& input) override;  // the reconstruction with z = mu (no sampling)
  // The encoder always; the latent and the decoder when `reconstruct` (sampling z when `sample`).
  // `statistics_samples`: the samples whose batch-norm statistics count in training (null: all).
  ModelForward run(const Var& input, bool sample, bool reconstruct, Rng& noise,
                   const std::vector<uint8_t>* statistics_samples = nullptr);
  // The spatial shape ({h, w}, or {l} for rows) of each encoder stage's conv output.
  const std::vector<Shape>& activation_sizes() const { return activation_sizes_; }

 private:
  ModelConfig config_;
  std::shared_ptr<Linear> soft_order_;        // rows only
  std::shared_ptr<BatchNorm> soft_order_norm_;
  std::vector<std::shared_ptr<Module>> encoder_convs_;
  std::vector<std::shared_ptr<BatchNorm>> encoder_norms_;
  std::shared_ptr<Module> latent_mu_, latent_log_variance_;  // 1x1 convs (VAE)
  std::vector<std::shared_ptr<Module>> decoder_deconvs_;
  std::vector<std::shared_ptr<BatchNorm>> decoder_norms_;
  std::shared_ptr<Module> output_deconv_;
  std::shared_ptr<Linear> output_linear_;     // rows only
  std::vector<Shape> activation_sizes_;
};

// The CNN over the target's pooled, stacked activations.
class Alarm : public Module {
  friend class OnnxExport;

 public:
  Alarm(const ModelConfig& config, const std::vector<Shape>& activation_sizes, Rng& rng);
  Var forward(const Var& stack) override;   // [N, h, w, C] or [N, l, C] -> logits [N, 1]
  Var stack(const std::vector<Var>& activations) const;  // pooled to the smallest size, concatenated

 private:
  PoolKind pooling_;
  std::vector<std::shared_ptr<Module>> convs_;
  std::vector<bool> pools_;
  std::shared_ptr<Linear> output_;
};

class E2EConvA3 : public Module {
  friend class OnnxExport;

 public:
  explicit E2EConvA3(ModelConfig config);
  const ModelConfig& config() const { return config_; }
  Variant variant() const { return config_.variant; }
  // The fit's decision for Choice::automatic batch-norm statistics.
  void set_normal_statistics(bool normal) { normal_statistics_ = normal; }
  Shape sample_shape() const { return config_.sample_shape; }
  Target& target() { return *target_; }
  Alarm& alarm() { return *alarm_; }

  // Runs target and alarm. `sample` draws the VAE's latent noise (training); otherwise the mean.
  // Without `reconstruct` the decoder is skipped (reconstruction, mu, log_variance undefined):
  // the alarm's score needs only the encoder.
  ModelForward run(const Var& inputs, bool sample, bool reconstruct = true,
                   const std::vector<uint8_t>* statistics_samples = nullptr);
  Var forward(const Var& inputs) override { return run(inputs, is_training(), true).logits; }

  // Loss of a batch [N, sample_shape...]; labels 0 normal, 1 anomaly. Checks shapes, not values
  // (check_inputs once per data set).
  LossParts loss(const Tensor& inputs, const std::vector<int>& labels, LossTerms terms = {});

  // The model's anomaly score per sample, in eval mode, without gradients, higher = more
  // anomalous: the reconstruction error (reconstruction-only), else the alarm probability or the
  // combined score (see ScoreKind; combined once set_score_reference chose it).
  std::vector<float> score(const Tensor& inputs, int64_t batch_size = 64);
  std::vector<float> alarm_probability(const Tensor& inputs, int64_t batch_size = 64);
  std::vector<float> alarm_logit(const Tensor& inputs, int64_t batch_size = 64);
  std::vector<float> reconstruction_error(const Tensor& inputs, int64_t batch_size = 64);
  // Whether score() combines the alarm and the reconstruction error (mode 1; with mode 2 also
  // the marginal rarity of a row; with mode 3 also its neighbour distance), or the alarm and the
  // neighbour distance (mode 4), or mode 3's terms without the alarm (mode 5), standardising each
  // with the statistics of `normal` [N, ...] (normal validation samples, not among the
  // neighbours; N >= 2). Mode 0: the alarm alone. A term equal on every sample of `normal` is
  // scaled by its standard deviation over the samples `spread` gives instead (normal training
  // samples, called only when such a term needs them; empty: none).
  void set_score_reference(float mode, const Tensor& normal, const std::function<Tensor()>& spread = {});
  bool combined_score() const { return score_reference_.at(0) > 0.5f; }
  // Whether the score needs the target's reconstruction (modes 1-3 and 5).
  bool score_reconstructs() const { return combined_score() && score_mode() != 4.f; }
  float score_mode() const { return score_reference_.at(0); }
  // The score in ScoreKind's words: "alarm", "combined", "combined_rarity", "combined_neighbours",
  // "alarm_neighbours", "combined_without_alarm"; "reconstruction" for the reconstruction-only variant.
  std::string score_name() const;
  // Rows: how far out in the columns' own distributions a row lies: log of the mean, over its
  // columns, of a continuous column's squared input (set_rarity_columns; all inputs by default) and
  // a categorical column's squared normal score of its value's rarity (set_category_rarity). [N]
  std::vector<float> marginal_rarity(const Tensor& inputs) const;
  Var marginal_rarity(const Var& inputs) const;
  // Rows: how untypical each row of `inputs` [N, d] is among them, [N]: its log reconstruction
  // error and its marginal rarity, each standardised over `inputs`, summed (contaminated data:
  // fit.h's least_typical).
  std::vector<float> atypicality(const Tensor& inputs, int64_t batch_size = 64);
  // Which inputs count in marginal_rarity (rows only; 1 = counts): continuous columns, not 0/1
  // flags, whose standardised rare value would outweigh everything else.
  void set_rarity_columns(const std::vector<uint8_t>& counts);
  // The categorical columns' part of marginal_rarity, from the normal training rows `normal`
  // [N, d] and each categorical column's one-hot inputs `blocks` ({first input, categories}; a
  // value not among them, or never seen, has all of them 0). A value taken by a share p of the
  // rows lies in a tail of probability t = the share of rows whose value is at most as frequent
  // (1 for the most frequent; 0.5 / N for a value no training row has; the values beyond the
  // preprocessing's most frequent -- the inputs `others`, or none of the categories in files
  // without them -- each rarer than any kept, lie in every kept category's tail, and their own
  // tail is their share) and counts as the squared
  // two-sided normal score z = Phi^-1(1 - t / 2), what a continuous input with that tail counts:
  // a category never seen in training is as rare as a continuous value |z| = 3.5 at N = 1,000.
  // Held as a linear function of the one-hot inputs: a weight per input and a constant. The
  // blocks also add to a row's neighbour embedding one input per categorical column, 1 when the
  // row has none of its categories (see neighbour_embedding).
  void set_category_rarity(const std::vector<std::pair<int64_t, int64_t>>& blocks, const Tensor& normal,
                           const std::vector<int64_t>& others = {});
  int64_t rarity_categories() const;  // how many categorical columns set_category_rarity was given
  // What is wrong with the categorical part of the rarity as read from a file ("" when nothing):
  // a weight on a numeric input, or a value whose squared score would be negative.
  std::string category_rarity_problem() const;
  // How much each input of a row counts in the neighbour distance [features]: 1, but for a numeric
  // column that takes two values (a 0/1 flag) sqrt(2) / the distance between its two inputs
  // (`spans`, TabularPreprocessor::two_value_spans; 0 = not such a column), so that a row whose
  // flag differs differs by 2 in the squared distance, as one whose category differs does (two
  // one-hot inputs, 1 apart each). Standardised, a flag set in 1 % of the rows lies 10 sd from the
  // rest: it counted 100, more than all continuous columns together. Saved with the model (format
  // version 5); all 1 by default and in earlier files.
  void set_neighbour_scales(const std::vector<float>& spans);
  bool neighbour_scaled() const;  // some input's scale is not 1 (rows)
  std::string neighbour_scales_problem() const;  // as read from a file: a scale not > 0 ("" when none)
  // What the neighbour distance compares, per sample [N, D]: a row's inputs (scaled as above), then per categorical
  // column (set_category_rarity) 1 - the sum of its one-hot inputs, so that a value never seen in
  // training differs from every training row's as much as another category does; or an image
  // average-pooled by f = ceil(max(height, width) / 16) (28 x 28 -> 14 x 14; 32 and 64 -> 16 x 16),
  // its pixels flattened as height, width, channel.
  Tensor neighbour_embedding(const Tensor& inputs) const;
  Var neighbour_embedding(const Var& inputs) const;
  int64_t neighbour_embedding_size() const;
  int64_t neighbour_pool_factor() const;  // f above (1 for rows)
  // The embeddings [M, D] of normal training samples that neighbour_distance measures against;
  // saved with the model. M = 0 (the default) turns the distance off.
  void set_neighbours(const Tensor& embeddings);
  const Tensor& neighbours() const { return neighbours_; }
  // Log of the mean over the k = neighbour_count() nearest neighbours of the mean squared
  // difference per embedding value, (1/k) sum_i ||e(x) - n_i||^2 / D. [N]. With the neighbours held fixed this
  // equals log(||e(x) - c||^2 / D + s) for c the neighbours' centroid and s their spread around
  // it, which is how its gradient is taken.
  // With a model's offset o (neighbour_distance_offset), log(that + o) instead.
  std::vector<float> neighbour_distance(const Tensor& inputs) const;
  Var neighbour_distance(const Var& inputs) const;
  // The offset o: kNeighbourDistanceOffset for a score of rows set with the distance
  // (set_score_reference); 0 for images, models without the distance, and models saved before it
  // (format version 6 and earlier).
  float neighbour_distance_offset() const { return score_reference_.at(9); }
  // In squared units of the standardised inputs, the squared difference per input below which
  // neighbours count as near as identical: without it a row the training rows repeat (distance 0)
  // lies at log 0, far below every other normal row, and those far values set the term's spread.
  static constexpr float kNeighbourDistanceOffset = 0.1f;
  // Rows: the inputs marked 1 in `missing` [N, features] (cells missing in the file, filled with
  // their column's training median or most frequent category) set as the row's like rows have
  // them (like_rows: the k = neighbour_count() training rows most like it by its values present,
  // a column that is off left out of the search; a numeric input their mean, a categorical
  // column's inputs the category most of them take, none of them when most take a value outside
  // its inputs) -- a k-nearest-neighbour imputer (Troyanskaya et al., Bioinformatics 2001). A
  // value that depends on the other columns (a machine's vibration on its mode) is then filled
  // with what rows like this one have, not the median of all rows, which is no row's value and
  // scored as an anomaly; and a value far off (the vibration of a machine that shakes) does not
  // choose the rows (a boost machine's temperature for a running one's), so that the row's why
  // compares it with the rows its cell was filled from. Rows missing every input, or none, are
  // left as they are; so are all rows when the model has no neighbours. A categorical column's
  // inputs are marked alike.
  void fill_from_neighbours(Tensor& inputs, const std::vector<uint8_t>& missing) const;
  // Rows [N, features]: what a row's why compares it with (Detector::explain_rows): each column
  // as the row's like rows have it -- the k = neighbour_count() nearest neighbours by the row's
  // other columns (their mean; a categorical column's most frequent category, as
  // fill_from_neighbours sets a value), the value its other columns lead one to expect. The
  // distance is over the embedding values present (`missing` [N, features] 0), a numeric value
  // adding at most 1 (standardised) to the squared distance, half what a category that differs
  // adds: so that another column far out (a second anomaly) does not choose the rows either. An
  // idle machine too hot is then compared with idle machines' temperature, not the hottest of
  // them (the column itself choosing) nor the median of all machines; a power that does not fit
  // its voltage and current with the power of rows of that voltage and current. [N, features];
  // a row missing every input is returned as it is, so are all rows when the model has no
  // neighbours. `each` (optional) gets the like rows themselves [N, k, features], nearest first
  // (a row missing every input: k copies of it): the nearest alone is a row of the training data
  // as it is, where the mean of rows of a sparse region is no row's values (quantity of one, price
  // of another); and a numeric column's mean value is their values' mean, where the mean input
  // stands for a value none of them has (a column scaled by its quantiles or on a log scale).
  Tensor like_rows(const Tensor& inputs, const std::vector<uint8_t>& missing, Tensor* each = nullptr) const;
  static constexpr int64_t kNeighbours = 5;
  // k above: kNeighbours unless a fit set more (images fitted with training.contamination > 0,
  // Fit::conclude; at most kMaxNeighbourCount), at most M.
  // Saved in the fit's report (FitReport::Neighbours::nearest), which a loaded model restores.
  int64_t neighbour_count() const { return std::min(neighbour_count_, neighbours_.dim(0)); }
  void set_neighbour_count(int64_t k);
  static constexpr int64_t kMaxNeighbourCount = 256;  // bounds the search and ONNX's [N, k, D] gather
  // The terms' weights in the combined score, the score reference's 11th and 12th values: the
  // marginal rarity's (rarity_weight; the alarm and the reconstruction error weigh 1) and the
  // neighbour distance's (neighbour_weight). Rows scored with the distance (modes 3 and 5):
  // kRarityWeight and kRowsNeighbourWeight, the two terms that compare a row with the training
  // rows themselves (its values with their columns', the row with its nearest rows) above the
  // networks' terms, the distance above half the score (measured on the no-labels tables, where
  // the alarm trained against synthetic anomalies was the least steady term from seed to seed,
  // and on a contextual anomaly, a row given another machine's name, which the rarity cannot see;
  // docs/no-labels.md). The alarm and the distance alone (alarm_neighbours, the images' score):
  // the distance kNeighbourWeight, three times the alarm (measured on 4 Fashion-MNIST classes).
  // Models saved before the weights were (format version 7 and earlier): rarity 1, distance
  // kNeighbourWeight.
  static constexpr float kNeighbourWeight = 3.f;
  static constexpr float kRarityWeight = 2.f, kRowsNeighbourWeight = 5.f;
  float rarity_weight() const { return score_reference_.at(10); }
  float neighbour_weight() const { return score_reference_.at(11); }

  // What the page shows about *why* (eval mode, no sampling):
  // the target's reconstruction, same shape as `inputs`;
  Tensor reconstruct(const Tensor& inputs, int64_t batch_size = 64);
  // the alarm network's input -- the encoder activations pooled to one size and stacked:
  // [N, h, w, C] (images) or [N, l, C] (rows), with the channels each encoder layer contributes;
  struct AlarmInput {
    Tensor stack;
    std::vector<int64_t> layer_channels;
  };
  AlarmInput alarm_input(const Tensor& inputs, int64_t batch_size = 64);
  // the gradient of s with respect to each input element, where s is the score's log-odds (the
  // alarm's logit, or the combined score's standardised average: it does not saturate for samples
  // scored ~1) and, for the reconstruction-only variant, the reconstruction error itself;
  Tensor score_gradient(const Tensor& inputs, int64_t batch_size = 64);
  // attribution of the score to each input element: gradient x input (score_gradient x inputs).
  // An input of 0 (a black pixel) contributes nothing. Same shape as `inputs`.
  Tensor explain(const Tensor& inputs, int64_t batch_size = 64);

  // Train/eval mode per network: a frozen target runs in eval mode (batch-norm statistics fixed).
  void set_modes(bool target_training, bool alarm_training);

  // Throws a message naming the problem unless `inputs` is [N, sample_shape...] (and, with
  // `values`, every value finite).
  void check_inputs(const Tensor& inputs, bool values = true) const;

 private:
  // Runs `per_batch` over batches of `inputs` in eval mode (without recording gradients unless
  // `gradients`), concatenating the results.
  std::vector<float> inference(const Tensor& inputs, int64_t batch_size,
                               const std::function<std::vector<float>(const Tensor&)>& per_batch,
                               bool gradients = false);
  // The combined score before its sigmoid, for a forward pass `f` of `x` with the reconstruction
  // (score() and score_gradient() share it). [N]
  Var combined_log_odds(const Var& x, const ModelForward& f) const;

  ModelConfig config_;
  Rng noise_rng_;
  std::shared_ptr<Target> target_;
  std::shared_ptr<Alarm> alarm_;
  // {mode (0-4), alarm logit mean, sd, log reconstruction error mean, sd, marginal rarity mean,
  // sd, neighbour distance mean, sd} (saved with the model)
  bool normal_statistics_ = false;
  Tensor& score_reference_;
  Tensor& rarity_columns_;  // [features] 0 / 1 (rows), [1] for images
  // The categorical columns' part of the marginal rarity, sum_j x_j w_j + u: [features + 1]
  // {w_1 .. w_features, u} (rows), [1] for images; zeros: no categorical column counted.
  Tensor& category_rarity_;
  Tensor& category_columns_;  // [features] 0 for a numeric input, k for the k-th categorical column's (rows), [1] for images
  Tensor& neighbour_scales_;  // [features] (rows), [1] for images: set_neighbour_scales
  Tensor& neighbours_;      // [M, neighbour_embedding_size()]
  int64_t neighbour_count_ = kNeighbours;
};

}  // namespace ca3
