// Every differentiable op, one header per family.
#pragma once
#include "core/engine/ops/conv.h"
#include "core/engine/ops/elementwise.h"
#include "core/engine/ops/linear.h"
#include "core/engine/ops/loss.h"
#include "core/engine/ops/normalization.h"
#include "core/engine/ops/pool.h"
#include "core/engine/ops/reduce.h"
#include "core/engine/ops/shape.h"
