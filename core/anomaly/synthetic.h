// Synthetic anomalies: what the alarm network is shown as "not normal" when the data has no (or
// few) labelled anomalies. A3 (Sperl et al. 2020) uses Gaussian noise far from the data, which
// the alarm separates in the first epoch and which then teaches it nothing about real
// anomalies. These generators make samples *near* the data, from real normal samples:
//
// rows (model inputs: columns quantile-transformed to a standard normal or standardised, one-hot
// categories):
//   gaussian   A3's: every value N(mean, sd)
//   marginal   every value taken from another random normal row, column by column: the
//              columns' distributions stay, the dependencies between them break (as the
//              feature shuffling of Shenkar & Wolf 2022 / ICL)
//   local      a real row with a random subset of its values moved by N(0, s) with s drawn
//              log-uniformly in [scale_min, scale_max] (the columns' spread is 1): local density
//              contrast, as noise-contrastive estimation with a local reference; a categorical
//              column (SyntheticOptions::category_blocks) moves to another of its categories or
//              to none of them (a value never seen in training), each as likely
// images [H, W, C] in [0, 1]:
//   gaussian   A3's: every pixel N(mean, sd)
//   geometric  the image rotated by 90, 180 or 270 degrees or flipped (Golan & El-Yaniv 2018);
//              a transform that leaves an image nearly unchanged (a symmetric one) is not used
//   cutpaste   a rectangle of the image pasted elsewhere in it, sometimes brighter or darker
//              (CutPaste, Li et al. CVPR 2021)
//   blotch     a smooth blob of another intensity painted over the image (a stain, a scratch)
//
// Each synthetic sample picks one of the configured kinds at random. Fits draw them anew every
// epoch, so the alarm never learns a fixed set by heart.
//
//   SyntheticOptions options{.kinds = {SyntheticKind::local, SyntheticKind::marginal}};
//   Tensor fake = synthesize(normal_rows, 500, options, rng);   // [500, features]
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/engine/tensor.h"

namespace ca3 {

enum class SyntheticKind { gaussian, marginal, local, geometric, cutpaste, blotch };
std::string to_string(SyntheticKind kind);
SyntheticKind synthetic_kind_from_string(const std::string& name);  // throws naming the known kinds
bool for_rows(SyntheticKind kind);    // gaussian, marginal, local
bool for_images(SyntheticKind kind);  // gaussian, geometric, cutpaste, blotch

struct SyntheticOptions {
  std::vector<SyntheticKind> kinds = {SyntheticKind::gaussian};
  float mean = 0.5f, sd = 1.f;                // gaussian
  float scale_min = 0.25f, scale_max = 4.f;   // local: the perturbation's standard deviation
  double ratio = 1.0;                         // synthetic samples per normal training sample
  // Rows: each categorical column's one-hot inputs {first input, categories}, ascending (a row
  // has at most one of them 1; none for a value not among them). Empty: every input numeric.
  std::vector<std::pair<int64_t, int64_t>> category_blocks;
};

// `count` synthetic samples [count, sample shape...] made from `normal` [N, ...] (N >= 1): rows
// when the samples are rank 1, images [H, W, C] when rank 3.
Tensor synthesize(const Tensor& normal, int64_t count, const SyntheticOptions& options, Rng& rng);

}  // namespace ca3
