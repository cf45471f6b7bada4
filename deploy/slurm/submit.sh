#!/bin/bash
# Queue an archive-scale run on Slurm: the align array, then the merge once every task of it
# has succeeded.
#
#   deploy/slurm/submit.sh CORPUS OUT [SHARDS]        # SHARDS defaults to 8
#
# CORPUS and OUT must be on a file system that every node sees. Extra align options go in
# PARALIGN_ARGS (e.g. PARALIGN_ARGS=--qa), the binary's path in PARALIGN; both are passed on
# to the jobs. Extra sbatch options for both jobs go in PARALIGN_SBATCH_ARGS, e.g.
# PARALIGN_SBATCH_ARGS="--partition=long --cpus-per-task=16" for nodes unlike the #SBATCH
# lines' (Slurm 22.05 reads no SBATCH_CPUS_PER_TASK; the partition, account, --mem and
# --time have SBATCH_* variables too). Running this again with the same arguments resumes
# every shard: first let the previous array leave the queue (squeue), as two tasks of one
# shard must never run at once.
set -euo pipefail

if (($# < 2 || $# > 3)); then
    echo "usage: $0 CORPUS OUT [SHARDS]" >&2
    exit 1
fi
CORPUS=$(realpath "$1")
mkdir -p "$2"
OUT=$(realpath "$2")
SHARDS=${3:-8}
here=$(dirname "$(realpath "$0")")
export CORPUS OUT SHARDS
read -r -a SBATCH_EXTRA <<< "${PARALIGN_SBATCH_ARGS:-}"

# --parsable prints "jobid" or "jobid;cluster".
array=$(sbatch --parsable --array="1-$SHARDS" --export=ALL "${SBATCH_EXTRA[@]}" "$here/align.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --export=ALL "${SBATCH_EXTRA[@]}" "$here/merge.sbatch")
merge=${merge%%;*}

echo "align: array job $array (tasks 1-$SHARDS), writing $OUT/shard-K"
echo "merge: job $merge, after all of $array succeeded, writing $OUT/corpus"
