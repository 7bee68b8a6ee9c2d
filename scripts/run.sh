#!/usr/bin/env bash
# Main job (until the demo page lands): builds the engine natively and as WebAssembly and runs
# its benchmark side by side with PyTorch.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec scripts/bench.sh
