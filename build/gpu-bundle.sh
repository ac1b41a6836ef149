#!/usr/bin/env bash
# Builds a self-contained bundle of the tool for a Linux x64 GPU machine that has a PyTorch install but no .NET
# (docs/gpu.md): the tool published self-contained with TorchSharp and LibTorchSharp, WITHOUT libtorch (the
# `external` backend), packed as one tar.gz. On the GPU machine:
#   tar xzf icl-prune-linux-x64.tar.gz
#   ./icl-prune/IclPrune.Tool doctor --libtorch "$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')/lib"
# Usage: build/gpu-bundle.sh [OUTPUT_DIR]   (default artifacts/gpu-bundle)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/artifacts/gpu-bundle}" && cd "${1:-$root/artifacts/gpu-bundle}" && pwd)

rm -rf "$out/icl-prune" "$out/icl-prune-linux-x64.tar.gz"
# A separate artifacts path keeps this external-backend restore out of the checkout's obj/ folders.
dotnet publish "$root/src/Tool/Tool.csproj" -c Release -r linux-x64 --self-contained \
  -p:TorchBackend=external -p:DebugType=none --artifacts-path "$out/.build" -o "$out/icl-prune"
if ls "$out/icl-prune" | grep -q '^libtorch_cpu.so$'; then
  echo "error: the bundle contains libtorch; it must use the external backend" >&2
  exit 1
fi
tar -C "$out" -czf "$out/icl-prune-linux-x64.tar.gz" icl-prune
echo "bundle: $out/icl-prune-linux-x64.tar.gz ($(du -h "$out/icl-prune-linux-x64.tar.gz" | cut -f1) compressed, $(du -sh "$out/icl-prune" | cut -f1) unpacked)"
