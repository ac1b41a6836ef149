#!/usr/bin/env bash
# Submits a sweep to Slurm as a job array of SHARDS tasks, one shard each, plus a merge job that starts once every
# task succeeded (afterok). docs/scale-out.md explains it; the repository's Slurm integration test runs this file.
#
# Usage: submit-sweep.sh OUT SHARDS SWEEP-OPTIONS...
#   OUT            the sweep's output folder, on a file system every node mounts (NFS, Lustre)
#   SHARDS         how many array tasks (shards) to run
#   SWEEP-OPTIONS  the options of `icl-prune sweep` (model, task, grid, device), without --out and --shard
# Environment:
#   ICL_PRUNE               the tool's command line (default: "dotnet icl-prune", the installed tool)
#   SBATCH_SHARD_OPTIONS    extra sbatch options of each shard, e.g. "--gres=gpu:1 --time=04:00:00 --partition=gpu"
#   SBATCH_MERGE_OPTIONS    extra sbatch options of the merge job, e.g. "--time=00:10:00 --partition=cpu"
# Prints the array job's id and the merge job's id, one line each.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 OUT SHARDS SWEEP-OPTIONS..." >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
out="$1"
shards="$2"
shift 2
mkdir -p "$out/logs"

# sbatch copies a script when it is submitted: the scripts take every path as an argument, none relative to here.
# shellcheck disable=SC2086 # the *_OPTIONS variables hold several options on purpose
array=$(sbatch --parsable --array="0-$((shards - 1))" --output="$out/logs/shard-%a.log" ${SBATCH_SHARD_OPTIONS:-} \
  "$here/sweep-shard.sbatch" "$out" "$@")
array="${array%%;*}"   # "id;cluster" on multi-cluster installations
# kill-on-invalid-dep: when a shard fails for good, the merge job ends instead of waiting forever; resubmit the failed
# index (sbatch --array=K ...) and the last shard to finish writes the results, or run `icl-prune sweep merge OUT`.
# shellcheck disable=SC2086
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --output="$out/logs/merge.log" \
  ${SBATCH_MERGE_OPTIONS:-} "$here/sweep-merge.sbatch" "$out")
echo "$array"
echo "${merge%%;*}"
