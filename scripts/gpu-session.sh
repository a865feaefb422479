#!/usr/bin/env bash
# The GPU agenda on a CUDA host, from a checkout that carries .gpu-bundle/ (see scripts/gpu-bundle.sh):
#   doctor   load trace + each CUDA operation the trainer uses, probed in turn
#   smoke    a 200-step CUDA training run
#   filters  the filter-level protocol (strict float32: its identities are checked at round-off)
#   grid     the Fig. 4 grid (--tf32, as a PyTorch user would run it), --jobs $JOBS
#   bench    the training-step benchmark beside PyTorch eager, strict float32 and TF32
#   cell     one Fig. 4 cell through our engine and through PyTorch (the grid-time comparison)
# Pick stages with STAGES="doctor smoke" (default: all, in this order). Fashion-MNIST comes from the bundle's data/.
#
# Run folders live in $WORK (default ./gpu-work, kept on the host between calls), so a stage cut short — by LIMIT
# (seconds per stage: the stage gets SIGINT, which checkpoints, then 30 s to exit) or by the caller — continues where it
# stopped when the same stage runs again. After each stage its logs, summaries and CSVs (no checkpoints) are copied
# to $OUT (default ./gpu-out), and a native crash leaves a .NET crash report (every thread's native and managed stack)
# under $OUT/crash (the dump itself is deleted: too large to bring back).
#
# DRY=1 DEVICE=cpu: a rehearsal on any machine (e.g. NOETHER_LIBTORCH_DIR=<TorchSharp-cpu natives>): every stage runs
# its real command line, shrunk — 20 smoke steps, the protocols parsed and exported with --emit slurm instead of
# trained, a one-round train bench, a 20-step cell — so a typo costs seconds here instead of GPU time there.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$here/.gpu-bundle"
out="${OUT:-$here/gpu-out}"
work="${WORK:-$here/gpu-work}"
stages="${STAGES:-doctor smoke filters grid bench cell}"
jobs="${JOBS:-4}"
device="${DEVICE:-cuda}"
limit="${LIMIT:-0}"
if [ "${DRY:-0}" = 1 ]; then
  smoke_steps=20; protocol_mode=(--emit slurm); train_bench=(--rounds 1 --train-steps 2 --warmup 1 --batch-sizes 8 --image-size 32 --width 0.125)
  cell_bench=(--cell-steps 20 --cell-repeats 1)
else
  smoke_steps=200; protocol_mode=(); train_bench=(); cell_bench=()
fi
mkdir -p "$out/crash" "$work"
trap 'find "$out" \( -name "*.ckpt" -o -name "*.dmp" \) -delete' EXIT
export DOTNET_DbgEnableMiniDump=1 DOTNET_DbgMiniDumpType=1 DOTNET_EnableCrashReport=1 DOTNET_DbgMiniDumpName="$out/crash/%e.%p.dmp"
[ -x "$bundle/gpu-run.sh" ] || { echo "no .gpu-bundle/: run scripts/gpu-bundle.sh on a machine with .NET first" >&2; exit 2; }
data="$bundle/data/fashion-mnist"
[ -d "$data" ] || { echo "the bundle has no data/fashion-mnist (build it with NOETHER_BUNDLE_FASHION=N)" >&2; exit 2; }
protocols="$bundle/data/validation/experiments"

# run NAME ARGS…: one CLI call, logged to $out/NAME.log, its run folder $work/NAME copied back without checkpoints.
run() {
  local name=$1; shift
  echo "== $name: $*" | tee -a "$out/session.log"
  local start=$SECONDS rc
  if [ "$limit" -gt 0 ]; then
    timeout -s INT -k 30 "$limit" "$bundle/gpu-run.sh" "$@" > "$out/$name.log" 2>&1; rc=$?
  else
    "$bundle/gpu-run.sh" "$@" > "$out/$name.log" 2>&1; rc=$?
  fi
  echo "   exit $rc after $((SECONDS - start)) s" | tee -a "$out/session.log"
  tail -n 5 "$out/$name.log"
  if [ "$rc" = 124 ]; then echo "   stopped at LIMIT=$limit s: run the stage again to continue" | tee -a "$out/session.log"
  elif [ "$rc" -ge 128 ]; then echo "   killed by signal $((rc - 128)); crash reports: $(ls "$out/crash" 2>/dev/null | tr '\n' ' ')" | tee -a "$out/session.log"; fi
  if [ -e "$work/$name" ]; then tar -C "$work" --exclude='*.ckpt' -cf - "$name" | tar -C "$out" -xf -; fi
  return $rc
}

{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1
  python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)" 2>&1; } > "$out/gpu.txt"
for stage in $stages; do
  case $stage in
    doctor) run doctor doctor --device "$device" || exit 1 ;;
    smoke)
      mkdir -p "$work/smoke"
      cat > "$work/smoke.yaml" <<YAML
name: gpu-smoke
seed: 1
steps: $smoke_steps
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
      run smoke train --config "$work/smoke.yaml" --device "$device" --out "$work/smoke" --resume || exit 1 ;;
    filters) run filters validate --experiment "$protocols/filters-gpu.yaml" --device "$device" \
               --dataset-path "$data" --out "$work/filters" "${protocol_mode[@]}" || exit 1 ;;
    grid) run fig4 validate --experiment "$protocols/fig4-gpu.yaml" --device "$device" --jobs "$jobs" --tf32 \
            --dataset-path "$data" --out "$work/fig4" "${protocol_mode[@]}" || exit 1 ;;
    bench) run bench-train bench --suite train --device "$device" --out "$out/bench-train.json" "${train_bench[@]}" || exit 1
           run bench-train-tf32 bench --suite train --device "$device" --tf32 --out "$out/bench-train-tf32.json" "${train_bench[@]}" || exit 1 ;;
    cell) run bench-cell bench --suite cell --device "$device" --tf32 --cell-jobs "$jobs" "${cell_bench[@]}" \
            --protocol "$protocols/fig4-gpu.yaml" --dataset-path "$data" --out "$out/bench-cell.json" || exit 1 ;;
    *) echo "unknown stage '$stage' (doctor smoke filters grid bench cell)" >&2; exit 2 ;;
  esac
done
echo "done: $out"
