#!/usr/bin/env bash
# Runs deploy/slurm/ on a real Slurm: a one-node cluster on this machine (Debian's slurm-wlm
# and munge, installed if missing), as root. Two runs of submit.sh on a corpus of 297
# statements made from ../shared/data/news12, 3 shards, must each give OUT/corpus equal to a
# single-machine `paralign align` byte for byte (summary.json's timings aside):
#   1. straight through;
#   2. one array task cancelled (scancel) after its first batches, then submit.sh again with
#      the same arguments, as a user resumes.
# The cluster is stopped and the temporary folder removed however the test ends.
#
#   bash deploy/slurm/test/run.sh                                 # .ci/run calls this
#   SLURM_DEPLOY=/tmp/broken bash deploy/slurm/test/run.sh        # test a copy of deploy/slurm
#
# SLURM_DEPLOY: the folder holding submit.sh, align.sbatch and merge.sbatch (default: the one
# above this script). PARALIGN: the binary (default: `cargo build --release`, then
# target/release/paralign). KEEP_TMP=1 keeps the temporary folder (logs, outputs).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../../.." && pwd)
deploy=$(realpath "${SLURM_DEPLOY:-$repo/deploy/slurm}")
news12=$repo/../shared/data/news12
SHARDS=3
# Small batches, so that every shard has many (20) and one can be cancelled mid-run; --qa
# makes the batches slower and has merge join qa.jsonl, qa.tsv and report.html too.
export PARALIGN_ARGS="--batch-size 5 --qa"
# align.sbatch asks for 4 CPUs; this node has $(nproc). The pass-through a user with smaller
# nodes would use (Slurm 22.05 reads no SBATCH_CPUS_PER_TASK); --mem=1G is kept as shipped.
NCPUS=$(nproc)
export PARALIGN_SBATCH_ARGS="--cpus-per-task=$NCPUS"

say() { echo "slurm test: $*"; }
fail() {
    echo "slurm test: FAIL: $*" >&2
    exit 1
}

[[ $(id -u) == 0 ]] || fail "needs root (apt-get, slurmd)"
for f in submit.sh align.sbatch merge.sbatch; do
    [[ -f $deploy/$f ]] || fail "$deploy/$f not found (SLURM_DEPLOY)"
done
[[ -d $news12/en ]] || fail "$news12 not found: the shared data must be beside the repository"

# --- Slurm and munge from Debian, if missing. ---------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
    ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && apt-get install -y -q slurm-wlm munge >/dev/null; }
fi

# --- The binary. --------------------------------------------------------------------------
if [[ -z ${PARALIGN:-} ]]; then
    (cd "$repo" && cargo build --release -q)
    PARALIGN=$repo/target/release/paralign
fi
PARALIGN=$(realpath "$PARALIGN")
export PARALIGN
[[ -x $PARALIGN ]] || fail "$PARALIGN is not an executable"

# --- Temporary folder and clean-up. -------------------------------------------------------
# The outputs come to some 340 MB in 20,000 files: on tmpfs when it has room, as deleting
# them from some disks (a gVisor sandbox's) takes a minute.
base=${TMPDIR:-/tmp}
if [[ -d /dev/shm && -w /dev/shm ]] &&
    (($(df -Pk /dev/shm | awk 'NR == 2 { print $4 }') > 2 * 1024 * 1024)); then
    base=/dev/shm
fi
tmp=$(mktemp -d "$base/paralign-slurm.XXXXXX")
# munged wants every directory above its socket searchable by all.
chmod 755 "$tmp"
mkdir -p "$tmp/munge" "$tmp/slurm/state" "$tmp/slurm/spool" "$tmp/logs"
chmod 755 "$tmp/munge"
export SLURM_CONF=$tmp/slurm/slurm.conf
daemons=()

show_logs() {
    local f
    for f in "$tmp"/logs/*/*.log "$tmp"/slurm/slurmctld.log "$tmp"/slurm/slurmd.log; do
        [[ -f $f ]] || continue
        echo "----- ${f#"$tmp"/} (last 15 lines)" >&2
        tail -n 15 "$f" >&2
    done
}

cleanup() {
    local rc=$? pid i
    trap - EXIT
    if ((rc != 0)); then show_logs; fi
    if [[ -f $SLURM_CONF ]] && squeue -h >/dev/null 2>&1; then
        # Cancel whatever is left and let the tasks end (paralign exits between statements),
        # so that no process outlives the cluster.
        scancel --user=root >/dev/null 2>&1 || true
        for ((i = 0; i < 100; i++)); do
            [[ -z $(squeue -h 2>/dev/null) ]] && break
            sleep 0.2
        done
    fi
    for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [[ -f $tmp/munge/munged.pid ]]; then kill "$(cat "$tmp/munge/munged.pid")" 2>/dev/null || true; fi
    for pid in "${daemons[@]}"; do
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [[ ${KEEP_TMP:-} == 1 ]]; then
        echo "slurm test: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
    if ((rc != 0)); then echo "slurm test: FAILED (exit $rc)" >&2; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- munge: a key of our own and munged on a socket in $tmp, beside any system munged. ----
mungekey --create --keyfile="$tmp/munge/munge.key"
munged --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.socket" \
    --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" \
    --seed-file="$tmp/munge/munged.seed" ||
    fail "munged did not start: $(tail -n 3 "$tmp/munge/munged.log" 2>/dev/null)"

# --- Slurm: a one-node cluster. -----------------------------------------------------------
host=$(hostname -s)
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
# Free ports, so that neither a system Slurm nor another run of this test is in the way.
read -r ctld_port slurmd_port < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in ss))')
cat >"$SLURM_CONF" <<EOF
ClusterName=paralign-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/slurm/state
SlurmdSpoolDir=$tmp/slurm/spool
SlurmctldPidFile=$tmp/slurm/slurmctld.pid
SlurmdPidFile=$tmp/slurm/slurmd.pid
SlurmctldLogFile=$tmp/slurm/slurmctld.log
SlurmdLogFile=$tmp/slurm/slurmd.log
MailProg=/bin/true
# No cgroups in a container: processes tracked by their parent, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Finished jobs stay known to squeue and scontrol for 10 min (no accounting to ask).
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$NCPUS RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D >"$tmp/slurm/slurmctld.out" 2>&1 &
daemons+=($!)
slurmd -D >"$tmp/slurm/slurmd.out" 2>&1 &
daemons+=($!)
state=
for ((i = 0; i < 150; i++)); do
    state=$(sinfo -h -N -o %t 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 0.2
done
[[ $state == idle ]] || fail "node not idle after 30 s (sinfo: '${state}'); see slurmctld.log, slurmd.log"
say "one-node cluster up: $host, $NCPUS CPUs, ${mem_mb} MB, Slurm $(sinfo -V | awk '{print $2}')"

# --- The corpus: news12's statements three times over, under new stems. -------------------
corpus=$tmp/corpus
python3 - "$news12" "$corpus" <<'PY'
import os, shutil, sys
src, dst = sys.argv[1:]
for lang in ("en", "ru", "de", "es", "fr"):  # not gold/, qa/, sentences/ ...
    os.makedirs(os.path.join(dst, lang))
    for name in sorted(os.listdir(os.path.join(src, lang))):
        if name.endswith(".txt"):
            for copy in range(3):
                shutil.copyfile(os.path.join(src, lang, name), os.path.join(dst, lang, f"c{copy}-{name}"))
PY
statements=$(find "$corpus/en" -name '*.txt' | wc -l)

# --- The reference: one machine, one run. -------------------------------------------------
read -r -a args <<<"$PARALIGN_ARGS"
"$PARALIGN" align "$corpus" --out "$tmp/single" "${args[@]}" -q 2>"$tmp/logs/single.err" ||
    fail "the single-machine run failed: $(tail -n 3 "$tmp/logs/single.err")"
say "single-machine run: $statements statements, $PARALIGN_ARGS"

# --- Helpers. -----------------------------------------------------------------------------
# submit NAME OUT: submit.sh from $tmp/logs/NAME (where the jobs' logs go); sets $array, $merge.
submit() {
    local name=$1 out=$2 text lines
    mkdir -p "$tmp/logs/$name"
    text=$(cd "$tmp/logs/$name" && "$deploy/submit.sh" "$corpus" "$out" "$SHARDS") ||
        fail "submit.sh failed: $text"
    mapfile -t lines <<<"$text"
    printf '  %s\n' "${lines[@]}"
    array=$(sed -n 's/^align: array job \([0-9][0-9]*\).*/\1/p' <<<"$text")
    merge=$(sed -n 's/^merge: job \([0-9][0-9]*\).*/\1/p' <<<"$text")
    [[ -n $array && -n $merge ]] || fail "no job ids in submit.sh's output"
}

# job_state ID: JobState of a job (of the first task for an array), or "GONE".
job_state() {
    local s
    s=$(scontrol -o show job "$1" 2>/dev/null | head -n 1 | grep -o 'JobState=[A-Z_]*') || true
    s=${s#JobState=}
    echo "${s:-GONE}"
}

# wait_gone JOBID...: until none of the jobs is in the queue (3 min at most).
wait_gone() {
    local i ids queued
    ids=$(
        IFS=,
        echo "$*"
    )
    for ((i = 0; i < 900; i++)); do
        # An error (controller busy) is not an empty queue; MinJobAge keeps finished jobs known.
        if queued=$(squeue -h -j "$ids" 2>/dev/null) && [[ -z $queued ]]; then return 0; fi
        sleep 0.2
    done
    fail "jobs $* still queued after 3 min: $(squeue)"
}

# check_merged NAME OUT: the merge job completed and OUT/corpus equals the single run.
check_merged() {
    local name=$1 out=$2 state exit_code
    wait_gone "$array" "$merge"
    state=$(job_state "$merge")
    exit_code=$(scontrol -o show job "$merge" 2>/dev/null | grep -o ' ExitCode=[0-9:]*' | cut -d= -f2)
    [[ $state == COMPLETED ]] ||
        fail "$name: merge job $merge ended $state (exit ${exit_code:-?}), log: $(tail -n 3 "$tmp/logs/$name/paralign-merge-$merge.log" 2>/dev/null)"
    [[ -d $out/corpus ]] || fail "$name: $out/corpus not written"
    # The timings are the merge's own; everything else must be the same bytes.
    python3 - "$tmp/single/summary.json" "$out/corpus/summary.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    with open(path) as f:
        summary = json.load(f)
    for key in ("wall_seconds", "stage_seconds"):
        summary.pop(key, None)
    with open(path + ".notimes", "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
PY
    if ! diff -r -x 'summary.json*' "$tmp/single" "$out/corpus" >"$tmp/logs/$name.diff" 2>&1 ||
        ! diff "$tmp/single/summary.json.notimes" "$out/corpus/summary.json.notimes" >>"$tmp/logs/$name.diff"; then
        head -n 40 "$tmp/logs/$name.diff" >&2
        fail "$name: $out/corpus differs from the single-machine run"
    fi
    say "$name: merge job $merge COMPLETED; $out/corpus = the single-machine run (timings aside)"
}

batches_done() { # batches_done SHARD_DIR: finished batches in its manifest
    local f n=0
    for f in "$1"/manifest/batch-*.json; do [[ -e $f ]] && n=$((n + 1)); done
    echo "$n"
}

# --- 1. Straight through. -----------------------------------------------------------------
say "run 1: submit.sh CORPUS OUT1 $SHARDS"
submit run1 "$tmp/out1"
check_merged run1 "$tmp/out1"

# --- 2. A task cancelled mid-run, then everything submitted again. ------------------------
say "run 2: submit.sh CORPUS OUT2 $SHARDS, then scancel a task after its first batch"
submit run2a "$tmp/out2"
killed=''
# A tight loop: a shard's 20 batches take about a second. The tasks run one after another
# (each takes every CPU): if one ends before the signal reaches it, the next is tried.
tried=" "
for ((i = 0; i < 9000 && ${#killed} == 0; i++)); do
    for ((k = 1; k <= SHARDS; k++)); do
        d=$tmp/out2/shard-$k
        [[ $tried == *" $k "* ]] && continue
        # Started (a batch is in its manifest) and not finished (summary.json comes last).
        if compgen -G "$d/manifest/batch-*.json" >/dev/null && [[ ! -e $d/summary.json ]]; then
            scancel "${array}_$k" 2>/dev/null || true
            tried+="$k "
            wait_gone "${array}_$k"
            if [[ ! -e $d/summary.json ]]; then killed=$k; fi
            break
        fi
    done
    if ((i % 25 == 24)) && [[ -z $(squeue -h -j "$array" 2>/dev/null) ]]; then break; fi
    sleep 0.02
done
[[ -n $killed ]] || fail "run 2: no task of $array caught between its first and last batch"
wait_gone "$array" "$merge"
log=$tmp/logs/run2a/paralign-align-${array}_$killed.log
kept=$(batches_done "$tmp/out2/shard-$killed")
total=$(batches_done "$tmp/out1/shard-$killed")
say "run 2: cancelled task ${array}_$killed with $kept of its $total batches finished"
((kept >= 1 && kept < total)) ||
    fail "run 2: the task was not cancelled mid-run ($kept of $total batches); batches too fast?"
grep -q "^paralign: interrupted" "$log" || fail "run 2: paralign did not say it was interrupted in $log"
grep -q "^align.sbatch: shard $killed/$SHARDS interrupted" "$log" ||
    fail "run 2: align.sbatch did not report the interruption (exit 130) in $log"
state=$(job_state "$merge")
[[ $state == CANCELLED || $state == GONE ]] || fail "run 2: merge job $merge ran though a task failed ($state)"
[[ ! -e $tmp/out2/corpus ]] || fail "run 2: $tmp/out2/corpus written though a task was cancelled"
say "run 2: merge job $merge $state (dependency never satisfied), no corpus written"

say "run 2: submit.sh CORPUS OUT2 $SHARDS again"
submit run2b "$tmp/out2"
check_merged run2b "$tmp/out2"
log=$tmp/logs/run2b/paralign-align-${array}_$killed.log
grep -q "($kept finished batches kept)" "$log" ||
    fail "run 2: the resubmitted task $killed did not resume from its $kept batches: $(tail -n 2 "$log")"
say "run 2: task $killed resumed from its $kept batches"
say "PASS ($SECONDS s)"
