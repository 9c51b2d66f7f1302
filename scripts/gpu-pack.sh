#!/usr/bin/env bash
# Packs what `npm run gpu:verify` needs on a GPU machine that has no node, no npm and no network (the project's
# device machine): the addon built for Hopper (sm_90), dist/, the .wasm builds, and this machine's node binary
# compressed into .gpu/ (ignored by git). Prints the paths to carry and the command to run there.
set -euo pipefail
cd "$(dirname "$0")/.."
AAE_CUDA_ARCH="${AAE_CUDA_ARCH:-90}" npm run --silent build:native
npm run --silent build
mkdir -p .gpu
xz -T0 -c "$(command -v node)" > .gpu/node.xz
du -ch .gpu/node.xz dist build/wasm build/native/Release/aae_cuda.node | tail -1
cat <<'USAGE'
carry:   .gpu  dist  build/wasm  build/native/Release/aae_cuda.node
command: xz -dc .gpu/node.xz > /tmp/node && chmod +x /tmp/node && /tmp/node dist/gpu/verify.js --out "$OUT/gpu"
USAGE
