#include "core/anomaly/onnx.h"

#include <cstring>
#include <string>
#include <string_view>

#include "core/engine/error.h"

namespace ca3 {

namespace {

// ---- the protobuf wire format, as far as ONNX's messages need it (onnx/onnx.proto) --------------
struct Proto {
  std::string bytes;
  void varint(uint64_t v) {
    while (v >= 0x80) bytes += char((v & 0x7F) | 0x80), v >>= 7;
    bytes += char(v);
  }
  void key(int field, int wire_type) { varint(uint64_t(field) << 3 | uint64_t(wire_type)); }
  Proto& int64(int field, int64_t v) {
    key(field, 0);
    varint(uint64_t(v));
    return *this;
  }
  Proto& text(int field, std::string_view s) {
    key(field, 2);
    varint(s.size());
    bytes.append(s);
    return *this;
  }
  Proto& message(int field, const Proto& p) { return text(field, p.bytes); }
  Proto& float32(int field, float f) {
    key(field, 5);
    char b[4];
    std::memcpy(b, &f, 4);
    bytes.append(b, 4);
    return *this;
  }
};

// AttributeProto: name 1, f 2, i 3, floats 7, ints 8, type 20 (FLOAT 1, INT 2, INTS 7).
Proto attribute(const char* name, int64_t value) { return std::move(Proto().text(1, name).int64(3, value).int64(20, 2)); }
Proto attribute(const char* name, float value) { return std::move(Proto().text(1, name).float32(2, value).int64(20, 1)); }
Proto attribute(const char* name, const std::vector<int64_t>& values) {
  Proto p;
  p.text(1, name);
  for (int64_t v : values) p.int64(8, v);
  p.int64(20, 7);
  return p;
}

// TensorProto: dims 1, data_type 2 (FLOAT 1, INT64 7), name 8, raw_data 9 (little-endian).
Proto tensor(const std::string& name, const Shape& dims, int type, const void* data, size_t bytes) {
  Proto p;
  for (int64_t d : dims) p.int64(1, d);
  p.int64(2, type).text(8, name).text(9, std::string_view(static_cast<const char*>(data), bytes));
  return p;
}

// ValueInfoProto: name 1, type 2 { tensor_type 1 { elem_type 1, shape 2 { dim 1 { dim_value 1 | dim_param 2 } } } }
Proto value_info(const std::string& name, const std::vector<int64_t>& dims) {
  Proto shape;
  for (int64_t d : dims) {
    Proto dim;
    if (d < 0) dim.text(2, "N");
    else dim.int64(1, d);
    shape.message(1, dim);
  }
  Proto tensor_type;
  tensor_type.int64(1, 1).message(2, shape);
  Proto type;
  type.message(1, tensor_type);
  return std::move(Proto().text(1, name).message(2, type));
}

class Graph {
 public:
  // A node; returns its (one) output's name.
  // `extra_outputs` unused outputs are named after the first (TopK's indices).
  std::string op(const std::string& type, const std::vector<std::string>& inputs, const std::vector<Proto>& attributes = {},
                 std::string output = "", int extra_outputs = 0) {
    if (output.empty()) output = type + "_" + std::to_string(nodes_.size());
    Proto node;
    for (const std::string& in : inputs) node.text(1, in);
    node.text(2, output);
    for (int i = 1; i <= extra_outputs; ++i) node.text(2, output + "_" + std::to_string(i));
    node.text(3, output).text(4, type);
    for (const Proto& a : attributes) node.message(5, a);
    nodes_.push_back(std::move(node));
    return output;
  }
  std::string constant(const std::string& name, const Shape& dims, const std::vector<float>& values) {
    initializers_.push_back(tensor(name, dims, 1, values.data(), values.size() * sizeof(float)));
    return name;
  }
  std::string constant_int64(const std::string& name, const std::vector<int64_t>& values) {
    initializers_.push_back(tensor(name, {int64_t(values.size())}, 7, values.data(), values.size() * sizeof(int64_t)));
    return name;
  }
  std::string scalar(float value) { return constant("c" + std::to_string(initializers_.size()), {1}, {value}); }

  std::vector<uint8_t> model(const std::vector<int64_t>& input_dims, const std::string& output) const {
    Proto graph;
    for (const Proto& n : nodes_) graph.message(1, n);
    graph.text(2, "ca3");
    for (const Proto& t : initializers_) graph.message(5, t);
    graph.message(11, value_info("input", input_dims));
    graph.message(12, value_info(output, {-1}));
    Proto opset;
    opset.text(1, "").int64(2, 13);
    Proto model;
    model.int64(1, 7).text(2, "CA3").text(3, "1").message(7, graph).message(8, opset);
    return std::vector<uint8_t>(model.bytes.begin(), model.bytes.end());
  }

 private:
  std::vector<Proto> nodes_, initializers_;
};

// Our layouts -> ONNX's: weights [Co, K.., Ci] -> [Co, Ci, K..]; transposed [Ci, K.., Co] -> [Ci, Co, K..]
// (the same permutation: the first axis stays, the last moves second).
std::vector<float> channels_first(const Tensor& w) {
  const Shape& s = w.shape();
  const int64_t a = s.front(), b = s.back(), k = w.numel() / (a * b);
  std::vector<float> out(size_t(w.numel()));
  for (int64_t i = 0; i < a; ++i)
    for (int64_t j = 0; j < k; ++j)
      for (int64_t c = 0; c < b; ++c) out[size_t((i * b + c) * k + j)] = w.data()[(i * k + j) * b + c];
  return out;
}

Shape channels_first_shape(const Shape& s) {
  Shape out = {s.front(), s.back()};
  out.insert(out.end(), s.begin() + 1, s.end() - 1);
  return out;
}

}  // namespace

// Walks the model's layers in the order E2EConvA3::run does.
class OnnxExport {
 public:
  explicit OnnxExport(E2EConvA3& model) : model_(model), target_(model.target()), alarm_(model.alarm()) {}

  std::vector<uint8_t> run() {
    const ModelConfig& config = model_.config();
    const bool image = config.is_image();
    const Shape sample = config.sample_shape;
    spatial_ = image ? 2 : 1;
    std::string x = "input";
    std::string input_cf;  // the input, channels first (images) or as given (rows)
    if (image) {
      input_cf = g_.op("Transpose", {x}, {attribute("perm", std::vector<int64_t>{0, 3, 1, 2})});
      x = input_cf;
    } else {
      input_cf = x;
      const int64_t k = config.soft_order_channels, length = config.soft_order_length;
      x = g_.op("Elu", {linear(*target_.soft_order_, x, "soft_order")}, {attribute("alpha", 1.f)});
      x = g_.op("Reshape", {x, g_.constant_int64("soft_order_shape", {0, length, k})});
      x = g_.op("Transpose", {x}, {attribute("perm", std::vector<int64_t>{0, 2, 1})});  // [N, k, L]
      x = batch_norm(*target_.soft_order_norm_, x, "soft_order_norm");
    }
    std::vector<std::string> activations;
    std::vector<Shape> sizes = target_.activation_sizes();
    for (size_t i = 0; i < target_.encoder_convs_.size(); ++i) {
      const std::string a = g_.op("Relu", {conv(*target_.encoder_convs_[i], x, "encoder" + std::to_string(i))});
      activations.push_back(a);
      x = batch_norm(*target_.encoder_norms_[i], halve(a), "encoder_norm" + std::to_string(i));
    }
    // The alarm: each activation pooled to the last one's size, stacked along channels.
    std::vector<std::string> pooled;
    for (size_t i = 0; i < activations.size(); ++i) pooled.push_back(pool_to(activations[i], sizes[i], sizes.back()));
    std::string h = pooled.size() == 1 ? pooled[0] : g_.op("Concat", pooled, {attribute("axis", int64_t(1))});
    for (size_t i = 0; i < alarm_.convs_.size(); ++i) {
      h = g_.op("Relu", {conv(*alarm_.convs_[i], h, "alarm" + std::to_string(i))});
      if (alarm_.pools_[i]) h = halve(h);
    }
    // Our flatten reads channels last.
    h = g_.op("Transpose", {h}, {attribute("perm", image ? std::vector<int64_t>{0, 2, 3, 1} : std::vector<int64_t>{0, 2, 1})});
    h = g_.op("Flatten", {h}, {attribute("axis", int64_t(1))});
    const std::string logit = g_.op("Reshape", {linear(*alarm_.output_, h, "alarm_output"), g_.constant_int64("flat", {-1})});

    std::string score;
    const float* r = model_.score_reference_.data();
    const bool reconstruction_only = model_.variant() == Variant::reconstruction_only;
    auto standardised = [&](const std::string& v, float mean, float sd) {
      return g_.op("Div", {g_.op("Sub", {v, g_.scalar(mean)}), g_.scalar(sd)});
    };
    if (!reconstruction_only && !model_.combined_score()) {
      score = g_.op("Sigmoid", {logit});
    } else if (!reconstruction_only && !model_.score_reconstructs()) {  // the alarm and the neighbour distance
      const float w = r[11];
      const std::string z = g_.op("Add", {standardised(logit, r[1], r[2]),
                                          g_.op("Mul", {standardised(neighbour_distance(input_cf), r[7], r[8]), g_.scalar(w)})});
      score = g_.op("Sigmoid", {g_.op("Mul", {z, g_.scalar(1.f / (1.f + w))})});
    } else {
      // The decoder, from z = mu (eval mode).
      std::string y = x;
      if (config.variational) y = conv(*target_.latent_mu_, x, "latent_mu");
      for (size_t j = 0; j < target_.decoder_deconvs_.size(); ++j)
        y = batch_norm(*target_.decoder_norms_[j], g_.op("Relu", {deconv(*target_.decoder_deconvs_[j], y, "decoder" + std::to_string(j))}),
                       "decoder_norm" + std::to_string(j));
      y = deconv(*target_.output_deconv_, y, "output_deconv");
      std::string reconstruction;
      if (image) {
        reconstruction = g_.op("Sigmoid", {y});
      } else {
        y = g_.op("Transpose", {y}, {attribute("perm", std::vector<int64_t>{0, 2, 1})});  // [N, L, k]
        y = g_.op("Flatten", {y}, {attribute("axis", int64_t(1))});
        reconstruction = linear(*target_.output_linear_, y, "output_linear");
      }
      const std::string difference = g_.op("Sub", {reconstruction, input_cf});
      const std::vector<int64_t> all_axes = image ? std::vector<int64_t>{1, 2, 3} : std::vector<int64_t>{1};
      const std::string error = g_.op("ReduceMean", {g_.op("Mul", {difference, difference})},
                                      {attribute("axes", all_axes), attribute("keepdims", int64_t(0))});
      if (reconstruction_only) {
        score = error;
      } else {
        std::string z = standardised(log_of(g_, error), r[3], r[4]);
        float parts = 1;
        if (r[0] != 5.f) z = g_.op("Add", {standardised(logit, r[1], r[2]), z}), parts = 2;  // mode 5: no alarm
        if (r[0] > 1.5f) {  // marginal rarity of the flagged columns
          const Tensor& columns = model_.rarity_columns_;
          double counted = 0;
          std::vector<float> weights(size_t(columns.numel()));
          for (int64_t j = 0; j < columns.numel(); ++j) weights[size_t(j)] = columns.at(j), counted += columns.at(j);
          const std::string squares = g_.op("Mul", {g_.op("Mul", {input_cf, input_cf}), g_.constant("rarity_columns", {columns.numel()}, weights)});
          std::string mean_square = g_.op("ReduceMean", {squares}, {attribute("axes", std::vector<int64_t>{1}), attribute("keepdims", int64_t(0))});
          const int64_t categories = model_.rarity_categories();
          if (categories == 0) {
            mean_square = g_.op("Mul", {mean_square, g_.scalar(float(double(columns.numel()) / std::max(counted, 1.0)))});
          } else {  // the categorical columns' squared rarity scores: one-hot inputs . weights + constant
            const int64_t d = columns.numel();
            const Tensor& category = model_.category_rarity_;
            const std::vector<float> all = category.to_vector();
            const std::string part = g_.op("Add", {g_.op("MatMul", {input_cf, g_.constant("category_rarity", {d}, std::vector<float>(all.begin(), all.end() - 1))}),
                                                   g_.scalar(all.back())});
            mean_square = g_.op("Mul", {g_.op("Add", {g_.op("Mul", {mean_square, g_.scalar(float(d))}), part}),
                                        g_.scalar(float(1.0 / (counted + double(categories))))});
          }
          z = g_.op("Add", {z, g_.op("Mul", {standardised(log_of(g_, mean_square), r[5], r[6]), g_.scalar(r[10])})});
          parts += r[10];
        }
        if (r[0] > 2.5f) {  // neighbour distance
          z = g_.op("Add", {z, g_.op("Mul", {standardised(neighbour_distance(input_cf), r[7], r[8]), g_.scalar(r[11])})});
          parts += r[11];
        }
        score = g_.op("Sigmoid", {g_.op("Mul", {z, g_.scalar(1.f / parts)})});
      }
    }
    score = g_.op("Identity", {score}, {}, "score");
    std::vector<int64_t> input_dims = {-1};
    input_dims.insert(input_dims.end(), sample.begin(), sample.end());
    return g_.model(input_dims, score);
  }

 private:
  static std::string log_of(Graph& g, const std::string& v) { return g.op("Log", {g.op("Max", {v, g.scalar(1e-12f)})}); }

  // E2EConvA3::neighbour_distance of `input_cf` (channels first for images): the embedding
  // (images average-pooled, then height, width, channel), its neighbours ranked by
  // ||n||^2 - 2 e.n (Gemm, no [N, M, D] tensor) as the core ranks them, the k nearest gathered and
  // their mean squared difference per value taken from them, as the core computes it, plus the
  // model's offset (rows since format version 7), its log. [N]
  std::string neighbour_distance(const std::string& input_cf) {
    const Tensor& rows = model_.neighbours_;
    const int64_t m = rows.dim(0), d = rows.dim(1), k = model_.neighbour_count();
    std::string e = input_cf;
    if (model_.neighbour_scaled())  // E2EConvA3::set_neighbour_scales
      e = g_.op("Mul", {e, g_.constant("neighbour_scales", {model_.neighbour_scales_.numel()}, model_.neighbour_scales_.to_vector())});
    if (const int64_t categories = model_.rarity_categories(); categories > 0) {  // E2EConvA3::neighbour_embedding
      const Tensor& columns = model_.category_columns_;
      std::vector<float> membership(size_t(columns.numel() * categories), 0.f);
      for (int64_t j = 0; j < columns.numel(); ++j)
        if (const int64_t k = std::lround(columns.at(j)); k > 0) membership[size_t(j * categories + k - 1)] = 1.f;
      const std::string present = g_.op("MatMul", {e, g_.constant("category_columns", {columns.numel(), categories}, membership)});
      e = g_.op("Concat", {e, g_.op("Sub", {g_.scalar(1.f), present})}, {attribute("axis", int64_t(1))});
    }
    if (model_.config().is_image()) {
      const Shape& sample = model_.config().sample_shape;
      const int64_t f = model_.neighbour_pool_factor();
      CA3_CHECK(sample[0] % f == 0 && sample[1] % f == 0, "ONNX export: the score compares images downscaled by ", f,
                ", which does not divide their size ", sample[0], " x ", sample[1],
                " (ONNX's AveragePool cannot do the same): use an image size that ", f, " divides, or model.score \"alarm\"");
      e = g_.op("AveragePool", {e}, {attribute("kernel_shape", std::vector<int64_t>{f, f}), attribute("strides", std::vector<int64_t>{f, f})});
      e = g_.op("Flatten", {g_.op("Transpose", {e}, {attribute("perm", std::vector<int64_t>{0, 2, 3, 1})})}, {attribute("axis", int64_t(1))});
    }
    std::vector<float> norms(size_t(m), 0.f);
    for (int64_t j = 0; j < m; ++j)
      for (int64_t c = 0; c < d; ++c) norms[size_t(j)] += rows.data()[j * d + c] * rows.data()[j * d + c];
    const std::string neighbours = g_.constant("neighbours", {m, d}, rows.to_vector());
    const std::string rank = g_.op("Gemm", {e, neighbours, g_.constant("neighbour_norms", {m}, norms)},
                                   {attribute("alpha", -2.f), attribute("transB", int64_t(1))});
    const std::string nearest = g_.op("TopK", {rank, g_.constant_int64("neighbour_count", {k})},
                                      {attribute("axis", int64_t(1)), attribute("largest", int64_t(0))}, "", 1);
    const std::string chosen = g_.op("Gather", {neighbours, nearest + "_1"}, {attribute("axis", int64_t(0))});  // [N, k, D]
    const std::string differences = g_.op("Sub", {g_.op("Unsqueeze", {e, g_.constant_int64("neighbour_axis", {1})}), chosen});
    const std::string squares = g_.op("ReduceSumSquare", {differences},
                                      {attribute("axes", std::vector<int64_t>{2}), attribute("keepdims", int64_t(0))});
    const std::string mean_square = g_.op("ReduceMean", {squares}, {attribute("axes", std::vector<int64_t>{1}), attribute("keepdims", int64_t(0))});
    std::string squared = g_.op("Mul", {mean_square, g_.scalar(1.f / float(d))});
    if (const float offset = model_.neighbour_distance_offset(); offset != 0.f) squared = g_.op("Add", {squared, g_.scalar(offset)});
    return log_of(g_, squared);
  }

  std::string conv(Module& m, const std::string& x, const std::string& name) {
    if (auto* c = dynamic_cast<Conv2d*>(&m)) {
      const int64_t k = c->weight.dim(1);
      const Conv2dOptions& o = c->options;
      return g_.op("Conv", {x, weights(c->weight, name), bias(c->bias, name)},
                   {attribute("kernel_shape", std::vector<int64_t>{k, k}), attribute("strides", std::vector<int64_t>{o.stride_height, o.stride_width}),
                    attribute("pads", std::vector<int64_t>{o.pad_height, o.pad_width, o.pad_height, o.pad_width})});
    }
    auto& c = dynamic_cast<Conv1d&>(m);
    return g_.op("Conv", {x, weights(c.weight, name), bias(c.bias, name)},
                 {attribute("kernel_shape", std::vector<int64_t>{c.weight.dim(1)}), attribute("strides", std::vector<int64_t>{c.stride}),
                  attribute("pads", std::vector<int64_t>{c.pad, c.pad})});
  }
  std::string deconv(Module& m, const std::string& x, const std::string& name) {
    if (auto* c = dynamic_cast<ConvTranspose2d*>(&m)) {
      const int64_t k = c->weight.dim(1);
      const Conv2dOptions& o = c->options;
      return g_.op("ConvTranspose", {x, weights(c->weight, name), bias(c->bias, name)},
                   {attribute("kernel_shape", std::vector<int64_t>{k, k}), attribute("strides", std::vector<int64_t>{o.stride_height, o.stride_width}),
                    attribute("pads", std::vector<int64_t>{o.pad_height, o.pad_width, o.pad_height, o.pad_width}),
                    attribute("output_padding", std::vector<int64_t>{o.output_padding_height, o.output_padding_width})});
    }
    auto& c = dynamic_cast<ConvTranspose1d&>(m);
    return g_.op("ConvTranspose", {x, weights(c.weight, name), bias(c.bias, name)},
                 {attribute("kernel_shape", std::vector<int64_t>{c.weight.dim(1)}), attribute("strides", std::vector<int64_t>{c.stride}),
                  attribute("pads", std::vector<int64_t>{c.pad, c.pad}), attribute("output_padding", std::vector<int64_t>{c.output_padding})});
  }
  std::string linear(Linear& l, const std::string& x, const std::string& name) {
    const Tensor& w = l.weight.value();  // [out, in]
    std::vector<std::string> inputs = {x, g_.constant(name + ".weight", w.shape(), w.to_vector())};
    if (l.bias.defined()) inputs.push_back(g_.constant(name + ".bias", l.bias.shape(), l.bias.value().to_vector()));
    return g_.op("Gemm", inputs, {attribute("transB", int64_t(1))});
  }
  std::string batch_norm(BatchNorm& b, const std::string& x, const std::string& name) {
    const int64_t c = b.gamma.numel();
    return g_.op("BatchNormalization",
                 {x, g_.constant(name + ".gamma", {c}, b.gamma.value().to_vector()), g_.constant(name + ".beta", {c}, b.beta.value().to_vector()),
                  g_.constant(name + ".running_mean", {c}, b.running_mean.to_vector()),
                  g_.constant(name + ".running_var", {c}, b.running_var.to_vector())},
                 {attribute("epsilon", b.epsilon)});
  }
  std::string weights(const Var& w, const std::string& name) {
    return g_.constant(name + ".weight", channels_first_shape(w.shape()), channels_first(w.value()));
  }
  std::string bias(const Var& b, const std::string& name) {
    return g_.constant(name + ".bias", b.shape(), b.value().to_vector());
  }
  std::vector<int64_t> all(int64_t v) const { return std::vector<int64_t>(size_t(spatial_), v); }
  std::string halve(const std::string& x) {
    return g_.op("MaxPool", {x}, {attribute("kernel_shape", all(2)), attribute("strides", all(2))});
  }
  // The alarm's input pooling (adaptive) where its windows are whole, equal blocks.
  std::string pool_to(const std::string& x, const Shape& from, const Shape& to) {
    if (from == to) return x;
    std::vector<int64_t> factor;
    for (size_t d = 0; d < from.size(); ++d) {
      CA3_CHECK(from[d] % to[d] == 0, "ONNX export: the alarm pools an activation of size ", shape_to_string(from), " to ",
                shape_to_string(to), ", which ONNX's pooling cannot do the same way (a model for images whose size halves "
                "evenly at every stage, e.g. 28 or 32 pixels, exports)");
      factor.push_back(from[d] / to[d]);
    }
    const bool max = model_.config().alarm_input_pooling == PoolKind::max;
    return g_.op(max ? "MaxPool" : "AveragePool", {x}, {attribute("kernel_shape", factor), attribute("strides", factor)});
  }
  E2EConvA3& model_;
  Target& target_;
  Alarm& alarm_;
  Graph g_;
  int spatial_ = 2;
};

std::vector<uint8_t> export_onnx(Detector& detector) {
  CA3_CHECK(detector.trained(), "nothing to export: the detector is not trained yet");
  return OnnxExport(detector.model()).run();
}

}  // namespace ca3
