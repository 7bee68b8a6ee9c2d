#include "core/anomaly/synthetic.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/engine/error.h"

namespace ca3 {

namespace {
constexpr const char* kNames[] = {"gaussian", "marginal", "local", "geometric", "cutpaste", "blotch"};
}

std::string to_string(SyntheticKind kind) { return kNames[int(kind)]; }

SyntheticKind synthetic_kind_from_string(const std::string& name) {
  for (int k = 0; k < int(std::size(kNames)); ++k)
    if (name == kNames[k]) return SyntheticKind(k);
  throw Error("unknown kind of synthetic anomalies '" + name +
              "' (rows: gaussian, marginal, local; images: gaussian, geometric, cutpaste, blotch)");
}

bool for_rows(SyntheticKind kind) {
  return kind == SyntheticKind::gaussian || kind == SyntheticKind::marginal || kind == SyntheticKind::local;
}
bool for_images(SyntheticKind kind) { return kind == SyntheticKind::gaussian || !for_rows(kind); }

namespace {

float log_uniform(Rng& rng, float low, float high) {
  return std::exp(std::log(low) + rng.uniform() * (std::log(high) - std::log(low)));
}

// ---- rows ---------------------------------------------------------------------------------------

// A row's columns as model inputs: {first input, inputs, categorical} (a numeric column is one
// input; a categorical column its one-hot block).
struct RowColumn {
  int64_t first, width;
  bool categorical;
};
std::vector<RowColumn> row_columns(int64_t d, const std::vector<std::pair<int64_t, int64_t>>& blocks) {
  std::vector<RowColumn> columns;
  int64_t j = 0;
  for (const auto& [first, width] : blocks) {
    if (width == 0) continue;
    CA3_CHECK(first >= j && first + width <= d, "synthetic anomalies: categorical inputs ", first, " + ",
              width, " overlap or lie outside the ", d, " inputs");
    for (; j < first; ++j) columns.push_back({j, 1, false});
    columns.push_back({first, width, true});
    j = first + width;
  }
  for (; j < d; ++j) columns.push_back({j, 1, false});
  return columns;
}

void make_row(SyntheticKind kind, const Tensor& normal, const std::vector<RowColumn>& columns, const SyntheticOptions& o,
              Rng& rng, float* out) {
  const int64_t n = normal.dim(0), d = normal.dim(1);
  const float* rows = normal.data();
  const uint64_t count = columns.size();
  switch (kind) {
    case SyntheticKind::gaussian:
      for (int64_t j = 0; j < d; ++j) out[j] = o.mean + o.sd * rng.normal();
      return;
    case SyntheticKind::marginal:  // a categorical column's one-hot inputs come from one row together
      for (const RowColumn& c : columns)
        std::memcpy(out + c.first, rows + int64_t(rng.below(uint64_t(n))) * d + c.first, size_t(c.width) * sizeof(float));
      return;
    case SyntheticKind::local: {
      std::memcpy(out, rows + int64_t(rng.below(uint64_t(n))) * d, size_t(d) * sizeof(float));
      const float scale = log_uniform(rng, o.scale_min, o.scale_max);
      // A random number of columns (1..columns), chosen at random. A categorical column moves to
      // another of its values, or to none of them (a value never seen in training), each as likely.
      const int64_t moved = 1 + int64_t(rng.below(count));
      for (int64_t k = 0; k < moved; ++k) {
        const float step = scale * rng.normal();  // drawn first, as the seeded results have always been
        const RowColumn& c = columns[rng.below(count)];
        if (!c.categorical) {
          out[c.first] += step;
          continue;
        }
        int64_t current = c.width;  // none
        for (int64_t v = 0; v < c.width; ++v)
          if (out[c.first + v] > 0.5f) current = v;
        int64_t next = int64_t(rng.below(uint64_t(c.width)));  // one of the c.width values other than current
        if (next >= current) ++next;
        std::fill(out + c.first, out + c.first + c.width, 0.f);
        if (next < c.width) out[c.first + next] = 1.f;
      }
      return;
    }
    default:
      throw Error("synthetic anomalies of kind '" + to_string(kind) + "' are for images, not table rows");
  }
}

// ---- images -------------------------------------------------------------------------------------

struct ImageView {
  int64_t h, w, c;
  float* p;
  float& at(int64_t y, int64_t x, int64_t k) const { return p[(y * w + x) * c + k]; }
};

// One of the geometric transforms of `src` into `dst`; false when it leaves the image nearly as it was.
bool transform(int which, const ImageView& src, const ImageView& dst) {
  const int64_t h = src.h, w = src.w;
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      for (int64_t k = 0; k < src.c; ++k) {
        float v = 0;
        switch (which) {
          case 0: v = src.at(x, w - 1 - y, k); break;          // rotate 90 (square images)
          case 1: v = src.at(h - 1 - y, w - 1 - x, k); break;  // rotate 180
          case 2: v = src.at(h - 1 - x, y, k); break;          // rotate 270 (square images)
          case 3: v = src.at(h - 1 - y, x, k); break;          // upside down
          default: v = src.at(y, w - 1 - x, k); break;         // mirrored
        }
        dst.at(y, x, k) = v;
      }
  double difference = 0;
  for (int64_t i = 0; i < h * w * src.c; ++i) difference += std::fabs(double(dst.p[i]) - double(src.p[i]));
  return difference / double(h * w * src.c) > 0.02;
}

void blotch(const ImageView& img, Rng& rng) {
  const float cy = rng.uniform() * float(img.h), cx = rng.uniform() * float(img.w);
  const float size = float(std::min(img.h, img.w));
  const float along = size * (0.05f + 0.15f * rng.uniform());
  const float across = rng.uniform() < 0.5f ? along : along * 0.2f;  // a round stain or a scratch
  const float angle = rng.uniform() * 3.14159265f, ca = std::cos(angle), sa = std::sin(angle);
  const float amplitude = 0.5f + 0.5f * rng.uniform();
  std::vector<float> colour(size_t(img.c));
  const float grey = rng.uniform();
  for (auto& v : colour) v = img.c == 1 ? grey : rng.uniform();
  for (int64_t y = 0; y < img.h; ++y)
    for (int64_t x = 0; x < img.w; ++x) {
      const float dy = float(y) - cy, dx = float(x) - cx;
      const float u = (dx * ca + dy * sa) / along, v = (-dx * sa + dy * ca) / across;
      const float m = amplitude * std::exp(-0.5f * (u * u + v * v));
      for (int64_t k = 0; k < img.c; ++k) img.at(y, x, k) = img.at(y, x, k) * (1 - m) + colour[size_t(k)] * m;
    }
}

void cutpaste(const ImageView& img, Rng& rng) {
  const int64_t ph = std::max<int64_t>(1, img.h / 8 + int64_t(rng.below(uint64_t(std::max<int64_t>(1, img.h * 3 / 8))))),
                pw = std::max<int64_t>(1, img.w / 8 + int64_t(rng.below(uint64_t(std::max<int64_t>(1, img.w * 3 / 8)))));
  const int64_t sy = int64_t(rng.below(uint64_t(img.h - ph + 1))), sx = int64_t(rng.below(uint64_t(img.w - pw + 1)));
  const int64_t ty = int64_t(rng.below(uint64_t(img.h - ph + 1))), tx = int64_t(rng.below(uint64_t(img.w - pw + 1)));
  const float gain = rng.uniform() < 0.5f ? 1.f : 0.5f + rng.uniform();
  std::vector<float> patch(size_t(ph * pw * img.c));
  for (int64_t y = 0; y < ph; ++y)
    for (int64_t x = 0; x < pw; ++x)
      for (int64_t k = 0; k < img.c; ++k) patch[size_t((y * pw + x) * img.c + k)] = img.at(sy + y, sx + x, k);
  for (int64_t y = 0; y < ph; ++y)
    for (int64_t x = 0; x < pw; ++x)
      for (int64_t k = 0; k < img.c; ++k)
        img.at(ty + y, tx + x, k) = std::clamp(gain * patch[size_t((y * pw + x) * img.c + k)], 0.f, 1.f);
}

void make_image(SyntheticKind kind, const Tensor& normal, const SyntheticOptions& o, Rng& rng, float* out) {
  const int64_t n = normal.dim(0), h = normal.dim(1), w = normal.dim(2), c = normal.dim(3), size = h * w * c;
  const ImageView dst{h, w, c, out};
  if (kind == SyntheticKind::gaussian) {
    for (int64_t i = 0; i < size; ++i) out[i] = o.mean + o.sd * rng.normal();
    return;
  }
  const float* source = normal.data() + int64_t(rng.below(uint64_t(n))) * size;
  std::memcpy(out, source, size_t(size) * sizeof(float));
  switch (kind) {
    case SyntheticKind::geometric: {
      std::vector<float> copy(source, source + size);
      const ImageView src{h, w, c, copy.data()};
      std::vector<int> choices = {1, 3, 4};
      if (h == w) choices.insert(choices.end(), {0, 2});
      for (size_t i = choices.size(); i > 1; --i) std::swap(choices[i - 1], choices[rng.below(i)]);
      for (int which : choices)
        if (transform(which, src, dst)) return;
      std::memcpy(out, source, size_t(size) * sizeof(float));  // symmetric under all of them
      blotch(dst, rng);
      return;
    }
    case SyntheticKind::cutpaste: cutpaste(dst, rng); return;
    case SyntheticKind::blotch: blotch(dst, rng); return;
    default:
      throw Error("synthetic anomalies of kind '" + to_string(kind) + "' are for table rows, not images");
  }
}

}  // namespace

Tensor synthesize(const Tensor& normal, int64_t count, const SyntheticOptions& options, Rng& rng) {
  CA3_CHECK(normal.rank() == 2 || normal.rank() == 4, "synthetic anomalies: samples must be rows or images, got ",
            shape_to_string(normal.shape()));
  CA3_CHECK(normal.dim(0) >= 1, "synthetic anomalies need at least one normal sample");
  CA3_CHECK(!options.kinds.empty(), "synthetic anomalies: no kind given");
  CA3_CHECK(options.scale_min > 0 && options.scale_max >= options.scale_min, "synthetic anomalies: local scales must "
            "be 0 < min <= max");
  Shape shape = normal.shape();
  shape[0] = count;
  Tensor out(shape);
  const int64_t per_sample = normal.numel() / normal.dim(0);
  const std::vector<RowColumn> columns = normal.rank() == 2 ? row_columns(per_sample, options.category_blocks) : std::vector<RowColumn>{};
  for (int64_t i = 0; i < count; ++i) {
    const SyntheticKind kind = options.kinds[rng.below(options.kinds.size())];
    float* target = out.mutable_data() + i * per_sample;
    if (normal.rank() == 2) make_row(kind, normal, columns, options, rng, target);
    else make_image(kind, normal, options, rng, target);
  }
  return out;
}

}  // namespace ca3
