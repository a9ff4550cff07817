#!/usr/bin/env bash
# Installs a software Vulkan driver so WebGPU runs without a GPU: Mesa's lavapipe from Debian 12
# backports (Mesa 25). Dawn (the npm 'webgpu' package Node uses) rejects Debian 12's own Mesa 22
# lavapipe ("Vulkan shaderUniform*ArrayDynamicIndexing required"); Mesa 25's works, as does Deno's wgpu.
# Needs root and Debian's apt; does nothing when a recent enough lavapipe is already installed.
set -euo pipefail
have=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
if [ -n "$have" ] && dpkg --compare-versions "$have" ge 25; then
  echo "setup-webgpu: mesa-vulkan-drivers $have already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-webgpu: needs root (apt-get install mesa-vulkan-drivers from bookworm-backports)" >&2
  exit 2
fi
. /etc/os-release
codename=${VERSION_CODENAME:-bookworm}
list=/etc/apt/sources.list.d/${codename}-backports.sources
if ! grep -rqs "${codename}-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > "$list" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: ${codename}-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t "${codename}-backports" mesa-vulkan-drivers libvulkan1 >/dev/null
echo "setup-webgpu: installed mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
