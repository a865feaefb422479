#!/usr/bin/env bash
# One batched GPU session on a CUDA host, from a checkout that carries .gpu-bundle/ (see scripts/gpu-bundle.sh):
#   1. doctor (load trace + each CUDA operation probed in turn),  2. a 200-step CUDA smoke run,
#   3. the filter-level protocol (strict float32: its identities are checked at round-off),
#   4. the Fig. 4 grid (--tf32, as a PyTorch user would run it), 5. the training-step benchmark beside PyTorch eager,
#   strict float32 and TF32, 6. one Fig. 4 cell through our engine and through PyTorch (the grid-time comparison).
# Each stage stops the session on failure and writes its output under ${OUT:-./gpu-out}; stages can be picked with
# STAGES="doctor smoke filters grid bench cell" (default: all). Fashion-MNIST comes from the bundle's data/ folder.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$here/.gpu-bundle"
out="${OUT:-$here/gpu-out}"
stages="${STAGES:-doctor smoke filters grid bench cell}"
jobs="${JOBS:-4}"
mkdir -p "$out" "$out/crash"
# A native crash (segfault) writes a .NET crash report (JSON with the native and managed stack of every thread) under
# crash/; the dump beside it is deleted at the end (too large to bring back). createdump ships with the bundled runtime.
# Checkpoints and dumps stay on the GPU host, also when a stage fails; summaries, CSVs and crash reports come back.
trap 'find "$out" \( -name "*.ckpt" -o -name "*.dmp" \) -delete' EXIT
export DOTNET_DbgEnableMiniDump=1 DOTNET_DbgMiniDumpType=1 DOTNET_EnableCrashReport=1 DOTNET_DbgMiniDumpName="$out/crash/%e.%p.dmp"
[ -x "$bundle/gpu-run.sh" ] || { echo "no .gpu-bundle/: run scripts/gpu-bundle.sh on a machine with .NET first" >&2; exit 2; }
data="$bundle/data/fashion-mnist"
[ -d "$data" ] || { echo "the bundle has no data/fashion-mnist (build it with NOETHER_BUNDLE_FASHION=N)" >&2; exit 2; }
run() { local name=$1; shift; echo "== $name: $*" | tee -a "$out/session.log"
  local start=$SECONDS
  "$bundle/gpu-run.sh" "$@" > "$out/$name.log" 2>&1; local rc=$?
  echo "   exit $rc after $((SECONDS - start)) s" | tee -a "$out/session.log"; tail -n 5 "$out/$name.log"
  if [ "$rc" -ge 128 ]; then echo "   killed by signal $((rc - 128)); crash reports: $(ls "$out/crash" 2>/dev/null | tr '\n' ' ')" | tee -a "$out/session.log"; fi
  return $rc; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > "$out/gpu.txt" 2>&1
python3 -c "import torch; print(torch.__version__, torch.version.cuda)" >> "$out/gpu.txt" 2>&1
for stage in $stages; do
  case $stage in
    doctor) run doctor doctor --device cuda || exit 1 ;;
    smoke)
      cat > "$out/smoke.yaml" <<YAML
name: gpu-smoke
seed: 1
steps: 200
batch_size: 128
log_every: 20
measure_every: 20
checkpoint_every: 100
dataset:
  kind: fashion-mnist
  path: $data
model:
  width: 1
  head: gap
optimizer:
  lr: 0.03
  momentum: 0.9
  weight_decay: 0.0005
YAML
      run smoke train --config "$out/smoke.yaml" --device cuda --out "$out/smoke" || exit 1 ;;
    filters) run filters validate --experiment "$bundle/data/validation/experiments/filters-gpu.yaml" --device cuda \
               --dataset-path "$data" --out "$out/filters" || exit 1 ;;
    grid) run grid validate --experiment "$bundle/data/validation/experiments/fig4-gpu.yaml" --device cuda --jobs "$jobs" --tf32 \
            --dataset-path "$data" --out "$out/fig4" || exit 1 ;;
    bench) run bench bench --suite train --device cuda --out "$out/bench-train.json" || exit 1
           run bench-tf32 bench --suite train --device cuda --tf32 --out "$out/bench-train-tf32.json" || exit 1 ;;
    cell) run bench-cell bench --suite cell --device cuda --tf32 --cell-jobs "$jobs" \
            --protocol "$bundle/data/validation/experiments/fig4-gpu.yaml" --dataset-path "$data" --out "$out/bench-cell.json" || exit 1 ;;
    *) echo "unknown stage '$stage' (doctor smoke filters grid bench cell)" >&2; exit 2 ;;
  esac
done
echo "done: $out"
