#!/usr/bin/env bash
# Every test: unit (Node), training (PyTorch), browser (headless Chromium on the built app).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
npm run build
# The layer rules (core stays pure, runtime below workers and ui) and both TypeScript configs.
npm run lint
npx vitest run "$@"
