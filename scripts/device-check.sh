#!/usr/bin/env bash
# The GPU check in one command, for a machine with an NVIDIA GPU and Vulkan but no network.
#   here:   bash scripts/device-check.sh prepare    -> .device/ (git-ignored): xz-compressed Deno from the npm
#           package, a one-file bundle of scripts/device-check.ts, the goldens, and Vulkan/GL loader .debs
#   there:  bash scripts/device-check.sh run [--sizes 1024,2048,4096,8192] [--factor-sizes 1024,2048,4096]   (carry .device)
# Prints the WebGPU verification result, a table of GEMM GFLOP/s beside cuBLAS SGEMM (FP32), and
# Cholesky, LU and QR times beside cuSOLVER (both through PyTorch).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
shift || true
case "$mode" in
  prepare)
    mkdir -p .device
    grep -qx '/.device/' .git/info/exclude 2>/dev/null || echo '/.device/' >> .git/info/exclude
    xz -T0 -6 -c node_modules/deno/deno > .device/deno.xz
    node_modules/deno/deno bundle --platform deno -o .device/device-check.js scripts/device-check.ts
    rm -rf .device/golden && cp -r golden .device/golden
    mkdir -p /tmp/amd64/partial
    o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
    apt-get $o update -qq
    (cd .device && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null)
    du -sh .device
    ;;
  run)
    for f in .device/*.deb; do dpkg -x "$f" /; done
    ldconfig
    export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
    [ -f "$VK_DRIVER_FILES" ] || unset VK_DRIVER_FILES
    export DENO_WEBGPU_BACKEND=vulkan XDG_RUNTIME_DIR=$(mktemp -d)
    xz -dc .device/deno.xz > /tmp/deno && chmod +x /tmp/deno
    /tmp/deno run -A --unstable-webgpu .device/device-check.js --golden .device/golden "$@"
    ;;
  *)
    echo "usage: bash scripts/device-check.sh prepare | run [--sizes LIST]" >&2
    exit 2
    ;;
esac
