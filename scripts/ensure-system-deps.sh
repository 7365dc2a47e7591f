#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing:
# Chromium (browser tests), PyTorch + ONNX (training tests), Fashion-MNIST.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
/usr/bin/python3 -c 'import torch, onnx, numpy, PIL' 2>/dev/null || need+=(python3-torch python3-numpy python3-onnx python3-pil)
[ -e /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "installing system packages: ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: these Debian packages are missing and installing them needs root: ${need[*]}" >&2
  echo "run: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${need[@]}"
