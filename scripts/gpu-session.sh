#!/usr/bin/env bash
# The GPU agenda on a CUDA host, from a checkout that carries .gpu-bundle/ (see scripts/gpu-bundle.sh). Default stages,
# sized to finish within BUDGET (default 480 s = 8 minutes) on an H100:
#   doctor   load trace, versions, and each CUDA operation the trainer uses, each probe in a process of its own
#            (a native crash is named per probe; the deliberate-error probe says whether libtorch errors are fatal here)
#   smoke    a 200-step CUDA training run
#   bench    the training-step benchmark beside PyTorch eager, batch 256 at 64×64, VGG11-BN width 1: float32, then TF32
#   filters  the filter-level protocol (strict float32), with whatever time is left (cut by SIGINT, which checkpoints)
# Also available by name (not in the default list: they need more than 8 minutes):
#   grid     the Fig. 4 grid (--tf32, as a PyTorch user would run it), --jobs $JOBS
#   cell     one Fig. 4 cell through our engine and through PyTorch (the grid-time comparison)
# Pick stages with STAGES="doctor smoke" (in the given order). Fashion-MNIST comes from the bundle's data/.
# A failing or crashing stage is recorded and the next one still runs (a crash is what this session is for).
#
# Time: a stage starts only if BUDGET leaves it its minimum (doctor 60 s, smoke 60 s, bench 90 s, filters 45 s), and
# runs under LIMIT seconds (0: none) or the time left, whichever is less, keeping RESERVE (default 20 s) for packing. A
# stage cut short gets SIGINT (training checkpoints), then 30 s to exit; its run folder lives in $WORK (default
# ./gpu-work, kept on the host between calls), so running the same stage again continues where it stopped.
#
# Results: everything is gathered in $WORK/results and packed into ONE archive, $OUT/gpu-session.tar.gz (logs, doctor.json,
# bench JSON, run folders without checkpoints, .NET crash reports), next to two small copies for a quick look:
# $OUT/manifest.json (commit, device, versions, per-stage exit status, signal and wall time) and $OUT/session.log.
# A native crash of any CLI process leaves a .NET crash report (every thread's native and managed stack) under crash/
# in the archive (the dump itself is deleted: too large to bring back).
#
# DRY=1 DEVICE=cpu: a rehearsal on any machine (e.g. NOETHER_LIBTORCH_DIR=<TorchSharp-cpu natives>): every stage runs
# its real command line, shrunk — 20 smoke steps at width 1/8, the protocols parsed and exported with --emit slurm instead of
# trained, a one-round train bench on a narrow net, a 20-step cell — so a typo costs seconds here instead of GPU time there.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$here/.gpu-bundle"
out="${OUT:-$here/gpu-out}"
work="${WORK:-$here/gpu-work}"
stages="${STAGES:-doctor smoke bench filters}"
jobs="${JOBS:-4}"
device="${DEVICE:-cuda}"
limit="${LIMIT:-0}"
budget="${BUDGET:-480}"
reserve="${RESERVE:-20}"
if [ "${DRY:-0}" = 1 ]; then
  smoke_steps=20; smoke_width=0.125; protocol_mode=(--emit slurm)
  train_bench=(--rounds 1 --train-steps 2 --warmup 1 --batch-sizes 8 --image-size 32 --width 0.125)
  cell_bench=(--cell-steps 20 --cell-repeats 1); probe_timeout=120
else
  smoke_steps=200; smoke_width=1; protocol_mode=(); train_bench=(--batch-sizes 256 --image-size 64 --width 1); cell_bench=(); probe_timeout=90
fi
[ -x "$bundle/gpu-run.sh" ] || { echo "no .gpu-bundle/: run scripts/gpu-bundle.sh on a machine with .NET first" >&2; exit 2; }
data="$bundle/data/fashion-mnist"
[ -d "$data" ] || { echo "the bundle has no data/fashion-mnist (build it with NOETHER_BUNDLE_FASHION=N)" >&2; exit 2; }
protocols="$bundle/data/validation/experiments"

res="$work/results"
rm -rf "$res"
mkdir -p "$out" "$res/crash" "$work"
log="$res/session.log"
stage_rows="$res/stages.tsv"
: > "$stage_rows"
export DOTNET_DbgEnableMiniDump=1 DOTNET_DbgMiniDumpType=1 DOTNET_EnableCrashReport=1 DOTNET_DbgMiniDumpName="$res/crash/%e.%p.dmp"
started=$SECONDS
say() { echo "$*" | tee -a "$log"; }

# manifest: commit, device, versions (from doctor.json when the doctor stage ran) and one row per stage.
write_manifest() {
  local commit dirty
  commit="$(cat "$bundle/commit" 2>/dev/null || git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)"
  dirty="$(cat "$bundle/commit-dirty" 2>/dev/null || echo unknown)"
  python3 - "$res/manifest.json" "$commit" "$dirty" "$device" "${DRY:-0}" "$budget" "$((SECONDS - started))" "$stage_rows" \
            "$res/gpu.txt" "$res/doctor.json" <<'PY' 2>> "$log" || { echo "manifest: python3 unavailable or failed" >> "$log"; }
import json, sys, os
path, commit, dirty, device, dry, budget, elapsed, rows, gpu, doctor = sys.argv[1:11]
stages = []
for line in open(rows, encoding="utf-8"):
    name, rc, seconds, signal, outcome, command = line.rstrip("\n").split("\t", 5)
    stages.append({"stage": name, "exit": int(rc), "seconds": int(seconds), "signal": signal or None, "outcome": outcome, "command": command})
m = {"schema": "noether-gpu-session/1", "commit": commit, "uncommitted_changes": dirty, "device": device, "dry_run": dry == "1",
     "budget_s": int(budget), "elapsed_s": int(elapsed), "stages": stages,
     "host": open(gpu, encoding="utf-8").read().strip().splitlines() if os.path.exists(gpu) else []}
try:
    d = json.load(open(doctor, encoding="utf-8"))
    m["versions"] = d.get("versions")
    m["doctor"] = {"passed": d.get("passed"), "libtorch_errors_fatal": d.get("libtorchErrorsFatal"),
                   "probes": {p["name"]: p["outcome"] + (" " + p["signal"] if p.get("signal") else "") for p in d.get("probes", [])}}
except (OSError, ValueError) as e:
    m["doctor"] = "not run or unreadable: " + str(e)
json.dump(m, open(path, "w", encoding="utf-8"), indent=2)
PY
}

# pack: one archive of $res (no checkpoints, no dumps) plus the manifest and the log beside it.
pack() {
  trap - EXIT INT TERM
  find "$res" \( -name "*.ckpt" -o -name "*.dmp" \) -delete 2>/dev/null
  write_manifest
  say "packed in $((SECONDS - started)) s of BUDGET=$budget s: $out/gpu-session.tar.gz"
  tar -C "$work" -czf "$out/gpu-session.tar.gz" results
  cp "$res/manifest.json" "$out/manifest.json" 2>/dev/null
  cp "$log" "$out/session.log"
}
trap pack EXIT
trap 'say "session interrupted"; exit 130' INT TERM

# run NAME MIN_SECONDS ARGS…: one CLI call if the budget leaves MIN_SECONDS, logged to results/NAME.log (stdout to
# $stdout_to when set), its run folder $work/NAME copied into results/ without checkpoints. Records one stage row.
stdout_to=""
run() {
  local name=$1 min=$2; shift 2
  local left=$((budget - (SECONDS - started) - reserve)) cap rc start=$SECONDS signal="" outcome
  if [ "$left" -lt "$min" ]; then
    say "== $name: skipped, ${left} s left of BUDGET=$budget (needs $min s)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" -1 0 "" skipped "$*" >> "$stage_rows"
    return 0
  fi
  cap=$left
  if [ "$limit" -gt 0 ] && [ "$limit" -lt "$cap" ]; then cap=$limit; fi
  say "== $name (limit $cap s): $*"
  if [ -n "$stdout_to" ]; then
    timeout -s INT -k 30 "$cap" "$bundle/gpu-run.sh" "$@" > "$stdout_to" 2> "$res/$name.log"; rc=$?
  else
    timeout -s INT -k 30 "$cap" "$bundle/gpu-run.sh" "$@" > "$res/$name.log" 2>&1; rc=$?
  fi
  say "   exit $rc after $((SECONDS - start)) s"
  tail -n 5 "$res/$name.log" | tee -a "$log"
  if [ "$rc" = 0 ]; then outcome=ok
  elif [ "$rc" = 124 ] || { [ "$rc" = 137 ] && [ $((SECONDS - start)) -ge "$cap" ]; }; then
    outcome=limit; say "   stopped at its limit ($cap s): run the stage again to continue"
  elif [ "$rc" -gt 128 ]; then
    signal="$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))"; outcome=crashed
    say "   killed by SIG$signal; crash reports: $(ls "$res/crash" 2>/dev/null | grep -v '\.dmp$' | tr '\n' ' ')"
  else outcome=failed; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rc" "$((SECONDS - start))" "${signal:+SIG$signal}" "$outcome" "$*" >> "$stage_rows"
  if [ -e "$work/$name" ]; then tar -C "$work" --exclude='*.ckpt' -cf - "$name" | tar -C "$res" -xf -; fi
  return 0
}

{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1
  python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'cudnn', torch.backends.cudnn.version())" 2>&1; } > "$res/gpu.txt"
say "gpu-session: stages '$stages' on $device, BUDGET=$budget s, LIMIT=$limit s$([ "${DRY:-0}" = 1 ] && echo ', DRY rehearsal')"
for stage in $stages; do
  case $stage in
    doctor)
      # JSON on stdout (for the manifest), the progress and any crash text on stderr (doctor.log); a text copy follows.
      stdout_to="$res/doctor.json" run doctor 60 doctor --device "$device" --format json --probe-timeout "$probe_timeout"
      python3 - "$res/doctor.json" <<'PY' 2>/dev/null | tee -a "$log"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for p in d["probes"]:
    print("  [%s] %s: %s %s %s" % (p["device"], p["name"], p["outcome"], p.get("signal") or "", p.get("message") or ""))
print("  versions:", d.get("versions"))
print("  libtorch errors fatal on this host:", d.get("libtorchErrorsFatal"))
PY
      ;;
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
  width: $smoke_width
  head: gap
optimizer:
  lr: 0.03
  momentum: 0.9
  weight_decay: 0.0005
YAML
      cp "$work/smoke.yaml" "$res/smoke.yaml"
      run smoke 60 train --config "$work/smoke.yaml" --device "$device" --out "$work/smoke" --resume ;;
    bench)
      run bench-train 45 bench --suite train --device "$device" --out "$res/bench-train.json" "${train_bench[@]}"
      run bench-train-tf32 45 bench --suite train --device "$device" --tf32 --out "$res/bench-train-tf32.json" "${train_bench[@]}" ;;
    filters) run filters 45 validate --experiment "$protocols/filters-gpu.yaml" --device "$device" \
               --dataset-path "$data" --out "$work/filters" "${protocol_mode[@]}" ;;
    grid) run fig4 60 validate --experiment "$protocols/fig4-gpu.yaml" --device "$device" --jobs "$jobs" --tf32 \
            --dataset-path "$data" --out "$work/fig4" "${protocol_mode[@]}" ;;
    cell) run bench-cell 60 bench --suite cell --device "$device" --tf32 --cell-jobs "$jobs" "${cell_bench[@]}" \
            --protocol "$protocols/fig4-gpu.yaml" --dataset-path "$data" --out "$res/bench-cell.json" ;;
    *) say "unknown stage '$stage' (doctor smoke bench filters grid cell)"; exit 2 ;;
  esac
done
failed="$(awk -F'\t' '$5 != "ok" && $5 != "skipped" && $5 != "limit"' "$stage_rows" | cut -f1 | tr '\n' ' ')"
say "done: ${failed:+stages not ok: $failed}"
[ -z "$failed" ]
