#!/usr/bin/env bash
# Runs the bundled CLI on a Linux CUDA machine with PyTorch and no .NET (see scripts/gpu-bundle.sh).
#   ./gpu-run.sh <noether arguments…>        e.g. ./gpu-run.sh train --config fig4.yaml --device cuda --out runs/fig4
# libtorch: NOETHER_LIBTORCH_DIR if set, else the torch/lib folder of `${PYTHON:-python3}`'s PyTorch.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf '[gpu-run] %s\n' "$*" >&2; }
runtime="$here/.dotnet"
if [ ! -x "$runtime/dotnet" ]; then
  [ -f "$here/dotnet-runtime.tar.xz" ] || { say "dotnet-runtime.tar.xz missing next to $0"; exit 2; }
  mkdir -p "$runtime"
  tar -C "$runtime" -xJf "$here/dotnet-runtime.tar.xz"
fi
if [ -z "${NOETHER_LIBTORCH_DIR:-}" ]; then
  py="${PYTHON:-python3}"
  NOETHER_LIBTORCH_DIR="$("$py" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)" \
    || { say "PyTorch not importable by $py: install it, set PYTHON, or set NOETHER_LIBTORCH_DIR to a libtorch lib folder"; exit 2; }
fi
[ -f "$NOETHER_LIBTORCH_DIR/libtorch.so" ] || { say "no libtorch.so in $NOETHER_LIBTORCH_DIR"; exit 2; }
export NOETHER_LIBTORCH_DIR
export LD_LIBRARY_PATH="$NOETHER_LIBTORCH_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
[ -d "$here/data/theory/catalog" ] && export NOETHER_HOME="${NOETHER_HOME:-$here/data}"
export DOTNET_ROOT="$runtime" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
app="$(cat "$here/app-name" 2>/dev/null || echo noether)"
exec "$runtime/dotnet" "$here/app/$app.dll" "$@"
