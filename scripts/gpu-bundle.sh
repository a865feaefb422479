#!/usr/bin/env bash
# Packs a CUDA-host bundle into .gpu-bundle/ (git-ignored):
#   dotnet-runtime.tar.xz  the local .NET runtime (dotnet, host/, shared/Microsoft.NETCore.App/<version>)
#   app/                   `dotnet publish` of the CLI WITHOUT TorchSharp-cpu's ~500 MB libtorch natives
#                          (-p:NoetherTorchNatives=none), with the libstdc++ compatibility step always applied
#                          (-p:NoetherTorchCompat=always: the CUDA host may be Ubuntu 22.04, and the patch is harmless elsewhere)
#   gpu-run.sh, app-name   the launcher
# On the CUDA machine (Linux x64, PyTorch installed, no .NET needed): copy the folder and run
#   ./gpu-run.sh train --config <yaml> --device cuda --out runs/<name>
#   data/                  theory/catalog and validation/ (protocols, cases), so `validate --experiment` works there
# Usage: scripts/gpu-bundle.sh [project-dir (default: src/NoetherTheory.Cli)] [assembly-name (default: noether)]
# Environment:
#   NOETHER_BUNDLE_SLIM=1          leave out SkiaSharp/HarfBuzz natives (~11 MB): training and validation work, but
#                                  figures/reports and Tiny ImageNet JPEG decoding do not (make reports on the workstation)
#   NOETHER_BUNDLE_FASHION=N       add the first N Fashion-MNIST training images (and the whole test set) as IDX .gz
#                                  under data/fashion-mnist, for GPU hosts without the Debian dataset package
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="${1:-$repo/src/NoetherTheory.Cli}"
app="${2:-noether}"
out="$repo/.gpu-bundle"
say() { printf '[gpu-bundle] %s\n' "$*" >&2; }

command -v dotnet >/dev/null || { say "dotnet not on PATH"; exit 2; }
[ -d "$project" ] || { say "project folder not found: $project"; exit 2; }
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime="$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" { print $2 }' | sort -V | tail -n 1)"
[ -n "$runtime" ] && [ -d "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" ] \
  || { say "no Microsoft.NETCore.App runtime under $dotnet_root"; exit 2; }

rm -rf "$out"
mkdir -p "$out/app"
say "publishing $project (runtime $runtime, no CPU libtorch natives)…"
# A separate ArtifactsPath keeps this restore (TorchSharp without natives) out of the main build's obj/ folders.
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -o "$out/app" \
  -p:NoetherTorchNatives=none -p:NoetherTorchCompat=always -p:NoetherBundle=true -p:ArtifactsPath="$out/.artifacts" \
  --nologo -v q -clp:ErrorsOnly
rm -rf "$out/.artifacts"
if ls "$out/app" | grep -q '^libtorch_cpu\.so$'; then say "CPU libtorch natives leaked into the bundle"; exit 1; fi
[ -f "$out/app/$app.dll" ] || { say "$app.dll not in the publish output (pass the assembly name as 2nd argument)"; exit 2; }

find "$out/app" \( -name '*.pdb' -o -name '*.xml' \) -delete
if [ "${NOETHER_BUNDLE_SLIM:-0}" = 1 ]; then
  rm -f "$out/app/libSkiaSharp.so" "$out/app/libHarfBuzzSharp.so"
  say "slim bundle: no SkiaSharp/HarfBuzz natives (no figures or JPEG decoding on this host)"
fi
mkdir -p "$out/data/theory" "$out/data/validation"
cp -r "$repo/theory/catalog" "$out/data/theory/"
cp -r "$repo/validation/." "$out/data/validation/"
if [ -n "${NOETHER_BUNDLE_FASHION:-}" ]; then
  src=/usr/share/datasets/fashion-mnist
  [ -f "$src/train-images-idx3-ubyte.gz" ] || { say "Fashion-MNIST not found in $src (apt-get install dataset-fashion-mnist)"; exit 2; }
  mkdir -p "$out/data/fashion-mnist"
  /usr/bin/python3 "$repo/scripts/idx-subset.py" "$src" "$out/data/fashion-mnist" "$NOETHER_BUNDLE_FASHION"
fi
say "packing the .NET runtime…"
XZ_OPT=-9e tar -C "$dotnet_root" -cJf "$out/dotnet-runtime.tar.xz" dotnet host "shared/Microsoft.NETCore.App/$runtime"
cp "$repo/scripts/gpu-run.sh" "$out/gpu-run.sh"
chmod +x "$out/gpu-run.sh"
printf '%s\n' "$app" > "$out/app-name"
# The commit the bundle was built from (gpu-session.sh's manifest), and whether the tree had uncommitted changes.
git -C "$repo" rev-parse HEAD > "$out/commit" 2>/dev/null || echo unknown > "$out/commit"
if [ -n "$(git -C "$repo" status --porcelain 2>/dev/null)" ]; then echo yes; else echo no; fi > "$out/commit-dirty"
size="$(du -sm "$out" | cut -f1)"
say "bundle: $out (${size} MB)"
if [ "$size" -ge 60 ]; then say "bundle exceeds 60 MB"; exit 1; fi
