// ONNX export of a detector's scoring graph, for serving a model where users outgrow one machine:
// ONNX Runtime on servers, in Spark, or onnxruntime-web in pages that already use it.
//
// The graph (opset 13) computes exactly what Detector::score_inputs computes from model inputs:
//   input  "input"  float32 [N, H, W, C] (images in [0, 1]) or [N, features] (table rows after the
//                   preprocessing -- a separate step: its statistics are the model's
//                   `preprocessing` description, `ca3 info` / detector.info(), core/anomaly/data/tabular.h)
//   output "score"  float32 [N]: the alarm's probability, the reconstruction error, the combined
//                   score, or the alarm and the neighbour distance (model.h: ScoreKind), as the
//                   model scores
// Layers map one to one (Conv, ConvTranspose, BatchNormalization in eval form, MaxPool, Relu,
// Elu, Gemm, Concat); the neighbour distance adds AveragePool (images), Gemm, TopK, Gather,
// ReduceSumSquare; the trunk runs in ONNX's channels-first layout.
//
//   std::vector<uint8_t> bytes = export_onnx(detector);   // a .onnx file
#pragma once

#include <cstdint>
#include <vector>

#include "core/anomaly/detector.h"

namespace ca3 {

// Throws ca3::Error when the model has a layer ONNX cannot express as CA3 computes it (an
// alarm-input pooling whose window does not divide an activation's size).
std::vector<uint8_t> export_onnx(Detector& detector);

}  // namespace ca3
