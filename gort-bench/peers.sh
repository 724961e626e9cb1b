#!/usr/bin/env bash
# gort-bench/peers.sh -- Gort side by side with the peers of ../shared/anchors, in one run.
#
# Builds Gort's bench jar (dev.gort.bench.anchors.GortAnchors) and, in a copy of the anchors kept
# in gort-bench/target/peers-build/ (rebuilt only when a source or toolchain changes), the Go, JDK virtual-thread and Kotlin-coroutine peers (plus this directory's Go and
# Kotlin peers of the "select" benchmark, which the anchors lack). Then runs every selected
# benchmark for every implementation, each in its own process, interleaved (bench by bench, the
# implementations one after the other, the order rotating by pass), REPEATS passes, and prints a
# markdown table (median over passes; Gort / peer ratios, and which way is better per row), also
# written to gort-bench/target/peers-<stamp>.md, with an SVG bar chart of the ratios in
# gort-bench/target/peers-<stamp>.svg (both by dev.gort.bench.report.BenchReport). Raw output:
# gort-bench/target/peers-<stamp>/. `./gort bench` runs this script (see the launcher).
#
#   gort-bench/peers.sh                          # all benchmarks, 1 pass
#   REPEATS=3 gort-bench/peers.sh                # 3 passes, cells show median (min-max)
#   ONLY="pingpong skynet" gort-bench/peers.sh   # a subset (skynet spawn pingpong threadring mpmc
#                                                # select syscallmix timers mem echo netmem http hog)
#   ONLY=echo gort-bench/peers.sh                # the anchors' TCP echo, all four implementations
#   ONLY=http gort-bench/peers.sh                # the example HTTP server vs the JDK's HttpServer on
#                                                # virtual threads, under wrk (needs wrk)
#   IMPLS="gort go" gort-bench/peers.sh          # a subset of implementations
#   ONLY=hog IMPLS=gort GORT_AGENT=1 gort-bench/peers.sh   # Gort with its Java agent
#   QUICK=1 gort-bench/peers.sh                  # `./gort bench --quick`: under 2 minutes on 2 cores
#
# QUICK=1 changes only defaults (anything set explicitly wins): implementations gort, go, vt (no
# Kotlin: its build alone takes about 35 s); one pass; the plan pingpong, threadring, mpmc, select,
# syscallmix, timers, echo, http and hog, each at one processor count (hog at 1, the rest at 2),
# leaving out skynet, spawn and mem (the peers' programs fix them at 1M tasks: 20-50 s per
# benchmark for the three implementations) and netmem (its per-connection figure needs the full
# warm-up: with less, the parked readers' frames are still interpreted and read ~3x larger);
# smaller sizes (PINGPONG_N 200k, THREADRING_HOPS 1M, MPMC_N 2M, SELECT_N 100k, COMPUTE_K 60M,
# TIMERS_N 10k, ECHO_RT 500 after 200, wrk -d 2s after 1 s); PROC_TIMEOUT 60. BENCH_COMMAND:
# the command line to print in the table and chart instead of this script's (the launcher passes
# "./gort bench ...").
#
# hog is judged from outside, as in the anchors' run.sh: the process spins forever; the script
# watches its stdout for "goroutine ran" until HOG_WAIT_MS (2000) after "HOG start" (20 s start-up
# allowance), then kills exactly that PID (TERM, then KILL).
#
# Other knobs: PROC_TIMEOUT (seconds per process, default 300; a JVM that overruns gets a jstack
# before it is killed), KEEP_WORK=1 (keep the temporary directory with the copied gort jars), ANCHORS (default
# <repo>/../shared/anchors), JAVA_HOME (default: the Temurin 25 under /usr/lib/jvm), the anchors'
# size variables PINGPONG_N, THREADRING_HOPS, MPMC_N, COMPUTE_K, TIMERS_N, plus SELECT_N (defaults:
# the anchors' sizes, 1,000,000 selects), ECHO_CONNS, ECHO_RT, ECHO_WARM_RT (the anchors' echo:
# 64, 20000, 2000), NETMEM_N, NETMEM_WARM (10000 idle connections, after 20000 in warm-up rounds),
# HTTP_CONNS, HTTP_THREADS, HTTP_DURATION, HTTP_WARM (wrk -c 64 -t 2 -d 5s after a 3 s warm-up run), GORT_AGENT (1: add -javaagent:<the gort jar built here>
# to Gort's JVMs; or a path to another agent jar), GORT_JVM_ARGS (more flags for Gort's JVMs only,
# e.g. "-Dgort.godebug=schedtrace=100"; space-separated). A peer whose toolchain is missing (go,
# mvn) is skipped with a message; its cells read "-".
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$HERE/.." && pwd -P)
ANCHORS=${ANCHORS:-$ROOT/../shared/anchors}
# the command line, for the table's header: the knobs the caller set
CMDLINE=""
for v in ONLY REPEATS IMPLS PROC_TIMEOUT PINGPONG_N THREADRING_HOPS MPMC_N COMPUTE_K TIMERS_N SELECT_N \
  ECHO_CONNS ECHO_RT ECHO_WARM_RT NETMEM_N NETMEM_WARM HTTP_CONNS HTTP_THREADS HTTP_DURATION HTTP_WARM \
  GORT_AGENT GORT_JVM_ARGS HOG_WAIT_MS; do
  [[ -n ${!v:-} ]] && CMDLINE+="$v=\"${!v}\" "
done
if [[ -n ${BENCH_COMMAND:-} ]]; then
  CMDLINE+=$BENCH_COMMAND
else
  [[ ${QUICK:-} == 1 ]] && CMDLINE+="QUICK=1 "
  CMDLINE+="gort-bench/peers.sh"
fi
# quick mode: smaller defaults (see the header); what the caller set explicitly stays
if [[ ${QUICK:-} == 1 ]]; then
  : "${IMPLS:=gort go vt}" "${PROC_TIMEOUT:=60}"
  : "${PINGPONG_N:=200000}" "${THREADRING_HOPS:=1000000}" "${MPMC_N:=2000000}" "${SELECT_N:=100000}"
  : "${COMPUTE_K:=60000000}" "${TIMERS_N:=10000}" "${ECHO_RT:=500}" "${ECHO_WARM_RT:=200}"
  : "${HTTP_DURATION:=2}" "${HTTP_WARM:=1}"
fi
REPEATS=${REPEATS:-1}
PROC_TIMEOUT=${PROC_TIMEOUT:-300}
HOG_WAIT_MS=${HOG_WAIT_MS:-2000}
IMPLS_ALL=(gort go vt kotlin)
read -r -a IMPLS <<<"${IMPLS:-${IMPLS_ALL[*]}}"
wants() { [[ " ${IMPLS[*]} " == *" $1 "* ]]; } # is implementation $1 asked for?

# --- JDK 25 and Maven (the default java on this machine is 17) -----------------
java_major() { "$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -1; }
if [[ -z ${JAVA_HOME:-} || ! -x $JAVA_HOME/bin/java || $(java_major "$JAVA_HOME/bin/java") -lt 25 ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[[ -x $JAVA_HOME/bin/java && $(java_major "$JAVA_HOME/bin/java") -ge 25 ]] ||
  { echo "peers.sh: needs a JDK 25 (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
JAVA="$JAVA_HOME/bin/java"
if [[ ${MAVEN_OPTS:-} != *sun-misc-unsafe-memory-access* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
fi
command -v mvn >/dev/null 2>&1 || { echo "peers.sh: needs Apache Maven 3.8+ on PATH (Gort's jar is built with it)" >&2; exit 1; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$ROOT/gort-bench/target/peers-$STAMP"
TABLE="$ROOT/gort-bench/target/peers-$STAMP.md"
CHART="$ROOT/gort-bench/target/peers-$STAMP.svg"
mkdir -p "$OUT/logs"
RES="$OUT/results.txt"
: >"$RES"
T_START=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gort-peers.XXXXXX")
cleanup() { [[ ${KEEP_WORK:-} == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log" >&2; }

# --- sizes: the anchors' defaults ------------------------------------------------
export PINGPONG_N=${PINGPONG_N:-1000000}
export THREADRING_HOPS=${THREADRING_HOPS:-10000000}
export MPMC_N=${MPMC_N:-10000000}
export COMPUTE_K=${COMPUTE_K:-600000000}
export TIMERS_N=${TIMERS_N:-100000}
export SELECT_N=${SELECT_N:-1000000}
export ECHO_CONNS=${ECHO_CONNS:-64}
export ECHO_RT=${ECHO_RT:-20000}
export ECHO_WARM_RT=${ECHO_WARM_RT:-2000}
export NETMEM_N=${NETMEM_N:-10000}
export NETMEM_WARM=${NETMEM_WARM:-20000}
HTTP_CONNS=${HTTP_CONNS:-64}
HTTP_THREADS=${HTTP_THREADS:-2}
HTTP_DURATION=${HTTP_DURATION:-5}
HTTP_WARM=${HTTP_WARM:-3}

# --- build ---------------------------------------------------------------------
declare -A HAVE=()

# Gort: the same build and the same lock as `./gort bench`, then a private copy of the jar, so a
# rebuild by someone else during the run cannot change what is measured.
# maven.test.skip: not even compiling the tests (a measuring run has no use for them).
log "building gort (mvn -B -ntp -q -pl :gort-bench -am package -Dmaven.test.skip=true)"
(
  cd "$ROOT" || exit 1
  if command -v flock >/dev/null 2>&1; then
    exec 9>>"${TMPDIR:-/tmp}/gort-$(id -u)-$(printf '%s' "$ROOT" | cksum | cut -d ' ' -f 1).lock"
    flock 9
  fi
  mvn -B -ntp -q -pl :gort-bench -am package -Dmaven.test.skip=true &&
    cp gort-bench/target/benchmarks.jar "$WORK/gort-bench.jar" &&
    for j in gort-runtime/target/gort-*.jar; do # the library's own jar: the agent, for GORT_AGENT=1
      case $j in *-sources.jar | *-javadoc.jar | *-tests.jar) ;; *) cp "$j" "$WORK/gort.jar" ;; esac
    done
) >"$OUT/logs/build-gort.log" 2>&1
if [[ -f $WORK/gort-bench.jar ]] && unzip -l "$WORK/gort-bench.jar" 2>/dev/null | grep -q 'dev/gort/bench/anchors/GortAnchors.class'; then
  HAVE[gort]=1
else
  log "gort build failed or the jar lacks GortAnchors (see $OUT/logs/build-gort.log)"
  tail -20 "$OUT/logs/build-gort.log" >&2
fi
# GORT_AGENT=1: -javaagent with the gort jar just built; any other non-empty value: that jar.
GORT_AGENT_JAR=""
case ${GORT_AGENT:-} in
  "" | 0) ;;
  1) GORT_AGENT_JAR=$WORK/gort.jar ;;
  *) GORT_AGENT_JAR=$(cd "$(dirname "$GORT_AGENT")" && pwd -P)/$(basename "$GORT_AGENT") ;;
esac
if [[ -n $GORT_AGENT_JAR ]]; then
  if [[ ! -f $GORT_AGENT_JAR ]]; then
    log "GORT_AGENT: no jar at $GORT_AGENT_JAR: the gort runs will fail"
  elif ! unzip -p "$GORT_AGENT_JAR" META-INF/MANIFEST.MF 2>/dev/null | grep -q '^Premain-Class:'; then
    log "GORT_AGENT: $GORT_AGENT_JAR has no Premain-Class in its manifest (no agent yet?): the gort JVMs will refuse to start"
  fi
fi
GORT_COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
GORT_DIRTY=$(git -C "$ROOT" status --porcelain -- gort-runtime 2>/dev/null | wc -l)

# The anchors are read-only: the peers are built in a copy, which is kept between runs in
# gort-bench/target/peers-build/<key>/, key = a hash of the anchors' sources, this directory's peer
# sources and the go, java and mvn versions. A peer that built there once (marker file ok-<peer>)
# is not built again; a failed build is retried next run. Runs take turns there (flock on .lock).
[[ -d $ANCHORS ]] || { echo "peers.sh: no anchors at $ANCHORS" >&2; exit 1; }
hash_tree() { # the sha1 of every source file under $1, by path
  (cd "$1" && find . \( -name results -o -name target -o -name gobench \) -prune -o -type f -print |
    LC_ALL=C sort | xargs -d '\n' -r sha1sum)
}
PEERS_KEY=$({ hash_tree "$ANCHORS"; hash_tree "$HERE/peers"; go version 2>/dev/null; "$JAVA" -version 2>&1
  mvn -v 2>/dev/null | head -1; } | sha1sum | cut -c1-16)
PB="$ROOT/gort-bench/target/peers-build/$PEERS_KEY"
mkdir -p "$PB"
if command -v flock >/dev/null 2>&1 && { exec 8>>"$PB/.lock"; } 2>/dev/null; then flock 8; fi
if [[ ! -f $PB/ok-copy ]]; then
  rm -rf "$PB/anchors" && mkdir -p "$PB/anchors" &&
    (cd "$ANCHORS" && tar cf - --exclude=./results --exclude=target --exclude=gobench .) | (cd "$PB/anchors" && tar xf -) &&
    chmod -R u+w "$PB/anchors" && touch "$PB/ok-copy"
fi
A="$PB/anchors"
cached() { # peer: was it built in this copy before?
  [[ -f $PB/ok-$1 ]] || return 1
  HAVE[$1]=1
}
built() { HAVE[$1]=1; touch "$PB/ok-$1"; }

if ! wants go; then
  :
elif ! command -v go >/dev/null 2>&1; then
  log "go is not installed: skipping the go peer (apt-get install golang-go)"
elif cached go; then
  cached go_select || true
  log "go peers: built before in ${PB#"$ROOT/"} ($(go version))"
else
  log "building go peers ($(go version))"
  if (cd "$A/go" && go build -o gobench .) >"$OUT/logs/build-go.log" 2>&1; then
    built go
    mkdir -p "$PB/goselect"
    cp "$HERE/peers/go-select/main.go" "$PB/goselect/"
    (cd "$PB/goselect" && go build -o goselect main.go) >>"$OUT/logs/build-go.log" 2>&1 && built go_select ||
      log "the Go select peer did not build (see $OUT/logs/build-go.log): select for go reads -"
  else
    log "go build failed (see $OUT/logs/build-go.log): skipping the go peer"
  fi
fi

if ! wants vt; then
  :
elif cached vt; then
  log "vt peer: built before in ${PB#"$ROOT/"}"
else
  log "building vt peer (maven)"
  if (cd "$A/vt" && mvn -q -B -ntp package) >"$OUT/logs/build-vt.log" 2>&1; then
    built vt
  else
    log "vt build failed (see $OUT/logs/build-vt.log): skipping the vt peer"
  fi
fi

if ! wants kotlin; then
  :
elif cached kotlin; then
  cached kotlin_select || true
  log "kotlin peer: built before in ${PB#"$ROOT/"}"
else
  log "building kotlin peer (maven, kotlin-maven-plugin), with this directory's select peer"
  mkdir -p "$A/kotlin/src/main/kotlin/gortpeers"
  cp "$HERE/peers/kotlin-select/KtSelect.kt" "$A/kotlin/src/main/kotlin/gortpeers/"
  if (cd "$A/kotlin" && mvn -q -B -ntp package) >"$OUT/logs/build-kotlin.log" 2>&1; then
    built kotlin
    built kotlin_select
  else
    log "the kotlin build with the select peer failed; retrying without it (select for kotlin reads -)"
    rm -rf "$A/kotlin/src/main/kotlin/gortpeers"
    if (cd "$A/kotlin" && mvn -q -B -ntp package) >>"$OUT/logs/build-kotlin.log" 2>&1; then
      built kotlin
    else
      log "kotlin build failed (see $OUT/logs/build-kotlin.log): skipping the kotlin peer"
    fi
  fi
fi
exec 8>&- # the peers are built: other runs may use the copy

{
  echo "gort: commit $GORT_COMMIT$( ((GORT_DIRTY)) && echo " plus $GORT_DIRTY uncommitted files in gort-runtime")"
  echo "gort java agent: $([[ -n $GORT_AGENT_JAR ]] && echo "-javaagent:$GORT_AGENT_JAR" || echo "none")"
  [[ -n ${GORT_JVM_ARGS:-} ]] && echo "gort extra JVM flags: $GORT_JVM_ARGS"
  [[ -n ${HAVE[go]:-} ]] && echo "go: $(go version)"
  echo "java: $("$JAVA" -version 2>&1 | tr '\n' ' ')"
  echo "maven: $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
  if [[ -n ${HAVE[kotlin]:-} ]]; then
    echo "kotlin: $(sed -n 's:.*<kotlin.version>\(.*\)</kotlin.version>.*:\1:p' "$A/kotlin/pom.xml")"
    echo "kotlinx.coroutines: $(ls "$A/kotlin/target/lib" | sed -n 's/kotlinx-coroutines-core-jvm-\(.*\)\.jar/\1/p')"
  fi
  echo "machine: $(nproc) cpus, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
  command -v wrk >/dev/null 2>&1 && echo "wrk: $(wrk -v 2>&1 | head -1 | sed 's/ Copyright.*//')"
  echo "sizes: PINGPONG_N=$PINGPONG_N THREADRING_HOPS=$THREADRING_HOPS MPMC_N=$MPMC_N COMPUTE_K=$COMPUTE_K TIMERS_N=$TIMERS_N SELECT_N=$SELECT_N HOG_WAIT_MS=$HOG_WAIT_MS"
  echo "net sizes: ECHO_CONNS=$ECHO_CONNS ECHO_RT=$ECHO_RT ECHO_WARM_RT=$ECHO_WARM_RT NETMEM_N=$NETMEM_N NETMEM_WARM=$NETMEM_WARM HTTP_CONNS=$HTTP_CONNS HTTP_THREADS=$HTTP_THREADS HTTP_DURATION=$HTTP_DURATION HTTP_WARM=$HTTP_WARM (wrk -c $HTTP_CONNS -t $HTTP_THREADS -d ${HTTP_DURATION}s after a ${HTTP_WARM}s warm-up run)"
} >"$OUT/versions.txt"
sed 's/^/  /' "$OUT/versions.txt" >&2

# --- commands ------------------------------------------------------------------
JVM_COMMON=(-Xmx8g --enable-native-access=ALL-UNNAMED) # the anchors' flags for the JVM peers
# --enable-native-access: syscallmix's usleep is an FFM downcall, as in the vt and Kotlin peers
GORT_FLAGS=(--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -Xmx8g --enable-native-access=ALL-UNNAMED)
[[ -n $GORT_AGENT_JAR ]] && GORT_FLAGS+=("-javaagent:$GORT_AGENT_JAR")
if [[ -n ${GORT_JVM_ARGS:-} ]]; then read -r -a _extra <<<"$GORT_JVM_ARGS"; GORT_FLAGS+=("${_extra[@]}"); fi

cmd_for() { # impl bench n -> sets CMD; fails if that impl cannot run that bench
  local impl=$1 bench=$2 n=$3
  [[ -n ${HAVE[$impl]:-} || $impl:$bench == vt:netmem ]] || return 1
  case $impl:$bench in
    gort:*) CMD=("$JAVA" "${GORT_FLAGS[@]}" "-Dgort.gomaxprocs=$n" -cp "$WORK/gort-bench.jar"
                 dev.gort.bench.anchors.GortAnchors "$bench" "$n") ;;
    go:select) [[ -n ${HAVE[go_select]:-} ]] || return 1; CMD=("$PB/goselect/goselect" select "$n") ;;
    go:netmem | kotlin:netmem) return 1 ;; # no peer program (vt: the JDK's, below)
    vt:netmem) [[ -n ${HAVE[gort]:-} ]] || return 1
               CMD=("$JAVA" "${JVM_COMMON[@]}" "-Djdk.virtualThreadScheduler.parallelism=$n"
                    "-Djdk.virtualThreadScheduler.maxPoolSize=$n" -cp "$WORK/gort-bench.jar" dev.gort.bench.peers.JdkNetMem netmem "$n") ;;
    go:*) CMD=("$A/go/gobench" "$bench" "$n") ;;
    vt:select) return 1 ;; # no select over SynchronousQueues
    vt:*) CMD=("$JAVA" "${JVM_COMMON[@]}" "-Djdk.virtualThreadScheduler.parallelism=$n"
               "-Djdk.virtualThreadScheduler.maxPoolSize=$n" -cp "$A/vt/target/vtbench-1.0.jar" anchors.VtBench "$bench" "$n") ;;
    kotlin:*)
      local main=anchors.KtBenchKt
      if [[ $bench == select ]]; then [[ -n ${HAVE[kotlin_select]:-} ]] || return 1; main=gortpeers.KtSelectKt; fi
      CMD=("$JAVA" "${JVM_COMMON[@]}" "-Dkotlinx.coroutines.scheduler.core.pool.size=$n"
           "-Dkotlinx.coroutines.scheduler.max.pool.size=$n" -cp "$A/kotlin/target/ktbench-1.0.jar:$A/kotlin/target/lib/*"
           "$main" "$bench" "$n") ;;
    *) return 1 ;;
  esac
}

run_one() { # rep impl bench n
  local rep=$1 impl=$2 bench=$3 n=$4
  local f="$OUT/logs/r$rep-$bench-n$n-$impl"
  cmd_for "$impl" "$bench" "$n" || return 0
  echo "${CMD[*]}" >"$f.cmd"
  local t0 rc timed_out=0 load0
  read -r load0 _ </proc/loadavg
  t0=$(date +%s.%N)
  "${CMD[@]}" >"$f.out" 2>"$f.err" &
  local pid=$!
  local deadline=$((SECONDS + PROC_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      timed_out=1
      if [[ $impl != go ]]; then # a JVM: keep its thread dump
        timeout 60 "$JAVA_HOME/bin/jstack" -l "$pid" >"$f.jstack" 2>&1
      else
        kill -QUIT "$pid" 2>/dev/null # Go prints every goroutine's stack on SIGQUIT
        sleep 2
      fi
      kill -TERM "$pid" 2>/dev/null
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
      break
    fi
    sleep 0.2
  done
  wait "$pid"
  rc=$?
  local el
  el=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}")
  grep '^RESULT ' "$f.out" | sed "s/^/rep=$rep /" >>"$RES"
  local load1
  read -r load1 _ </proc/loadavg
  echo "rep=$rep bench=$bench impl=$impl procs=$n load_before=$load0 load_after=$load1" >>"$OUT/load.txt"
  if ((timed_out)); then
    echo "rep=$rep FAIL bench=$bench impl=$impl procs=$n rc=timeout(${PROC_TIMEOUT}s)" >>"$RES"
    log "FAIL $impl $bench n=$n: no exit after ${PROC_TIMEOUT}s (stderr: $f.err, dump: $f.jstack)"
  elif [[ $rc -ne 0 ]] || ! grep -q '^RESULT ' "$f.out"; then
    echo "rep=$rep FAIL bench=$bench impl=$impl procs=$n rc=$rc" >>"$RES"
    log "FAIL $impl $bench n=$n rc=$rc (see $f.err)"
  fi
  log "$(printf 'rep %s %-10s n=%s %-6s %6ss load %s  %s' "$rep" "$bench" "$n" "$impl" "$el" "$load1" \
    "$(grep '^RESULT ' "$f.out" | sed 's/.*bench=\([^ ]*\).*value=\([^ ]*\) unit=\(.*\)/\1=\2 \3/' | tr '\n' ' ')")"
}

# hog: its own process at N=1, judged from outside as in the anchors' run.sh. value 1 if the spawned
# task printed "goroutine ran" within HOG_WAIT_MS of "HOG start"; hog_latency = ran - start (ms, only
# when it ran). The process spins forever by design; we kill exactly the PID we started. A Gort JVM
# whose task did not run gets a jstack first. Unlike run.sh, a process that never printed
# "HOG start" gets a FAIL and no hog=0 result.
hog_one() { # rep impl
  local rep=$1 impl=$2
  local f="$OUT/logs/r$rep-hog-n1-$impl"
  cmd_for "$impl" hog 1 || return 0
  echo "${CMD[*]}" >"$f.cmd"
  local load0
  read -r load0 _ </proc/loadavg
  : >"$f.out" # before the poll below reads it (the background job opens it only when it starts)
  "${CMD[@]}" >"$f.out" 2>"$f.err" &
  local pid=$!
  local start="" ran="" now deadline
  local giveup=$(($(date +%s%3N) + 20000)) # JVM start-up allowance
  while :; do
    now=$(date +%s%3N)
    [[ -z $start ]] && start=$(sed -n 's/^HOG start \([0-9]*\).*/\1/p' "$f.out" | head -1)
    ran=$(sed -n 's/^goroutine ran \([0-9]*\).*/\1/p' "$f.out" | head -1)
    [[ -n $ran ]] && break
    if [[ -n $start ]]; then
      deadline=$((start + HOG_WAIT_MS + 100))
      ((now > deadline)) && break
    fi
    ((now > giveup)) && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  # both lines may have appeared between two polls, after start was read: read it again
  [[ -z $start ]] && start=$(sed -n 's/^HOG start \([0-9]*\).*/\1/p' "$f.out" | head -1)
  if [[ $impl == gort && -z $ran ]] && kill -0 "$pid" 2>/dev/null; then
    timeout 60 "$JAVA_HOME/bin/jstack" -l "$pid" >"$f.jstack" 2>&1
  fi
  kill -TERM "$pid" 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  local v=0 lat="" load1
  read -r load1 _ </proc/loadavg
  echo "rep=$rep bench=hog impl=$impl procs=1 load_before=$load0 load_after=$load1" >>"$OUT/load.txt"
  if [[ -z $start ]]; then
    echo "rep=$rep FAIL bench=hog impl=$impl procs=1 rc=nostart" >>"$RES"
    log "FAIL $impl hog n=1: never printed HOG start (see $f.err)"
    return 0
  fi
  if [[ -n $ran ]]; then
    lat=$((ran - start))
    ((lat <= HOG_WAIT_MS)) && v=1
  fi
  echo "rep=$rep RESULT bench=hog impl=$impl procs=1 value=$v unit=ran_within_2s" >>"$RES"
  [[ -n $lat ]] && echo "rep=$rep RESULT bench=hog_latency impl=$impl procs=1 value=$lat unit=ms" >>"$RES"
  log "$(printf 'rep %s %-10s n=1 %-6s load %s  hog=%s latency=%s' "$rep" hog "$impl" "$load1" "$v" "${lat:-none}")"
}

# http: the example server (dev.gort.examples.HttpServer, impl gort) and the JDK's
# com.sun.net.httpserver.HttpServer on a virtual-thread-per-task executor (dev.gort.bench.peers.
# JdkHttpServer, reported in the vt column), each in its own JVM with the same flags (Gort's, with
# GOMAXPROCS and the virtual-thread scheduler both at N), both answering GET / with the same 16-byte
# body. Per server: start it on 127.0.0.1:0 and read the port from "listening on http://...", one
# warm-up wrk run (HTTP_WARM s, discarded), one measured run (wrk -c HTTP_CONNS -t HTTP_THREADS
# -d HTTP_DURATION s --latency), then kill exactly that PID. Results: http = requests/s, http_p99 =
# wrk's 99th-percentile latency (ms), http_cpu = the server's CPU time per request (us, from
# /proc/PID/stat over the measured run). Socket errors or non-2xx responses make a FAIL line.
HAVE_WRK=""
command -v wrk >/dev/null 2>&1 && HAVE_WRK=1

wrk_ms() { # a wrk duration (123.45us, 1.23ms, 1.02s, 2.00m) -> ms
  awk -v d="$1" 'BEGIN { v = d + 0; u = d; sub(/^[0-9.]+/, "", u);
    if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000; printf "%.3f", v }'
}

proc_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

http_one() { # rep impl n
  local rep=$1 impl=$2 n=$3
  local f="$OUT/logs/r$rep-http-n$n-$impl" main
  case $impl in
    gort) main=dev.gort.examples.HttpServer ;;
    vt) main=dev.gort.bench.peers.JdkHttpServer ;;
    *) return 0 ;; # no Go or Kotlin peer
  esac
  [[ -n ${HAVE[gort]:-} ]] || return 0
  if [[ -z $HAVE_WRK ]]; then
    echo "rep=$rep FAIL bench=http impl=$impl procs=$n rc=no_wrk" >>"$RES"
    log "FAIL $impl http: wrk is not installed (apt-get install -y wrk)"
    return 0
  fi
  CMD=("$JAVA" "${GORT_FLAGS[@]}" "-Dgort.gomaxprocs=$n" "-Djdk.virtualThreadScheduler.parallelism=$n"
    "-Djdk.virtualThreadScheduler.maxPoolSize=$n" -cp "$WORK/gort-bench.jar" "$main" 127.0.0.1:0)
  echo "${CMD[*]}" >"$f.cmd"
  local load0 load1 url="" pid
  read -r load0 _ </proc/loadavg
  "${CMD[@]}" >"$f.out" 2>"$f.err" &
  pid=$!
  local giveup=$((SECONDS + 30))
  while [[ -z $url ]] && ((SECONDS < giveup)) && kill -0 "$pid" 2>/dev/null; do
    url=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' "$f.out" | head -1)
    [[ -n $url ]] || sleep 0.1
  done
  local ok=1 why=""
  if [[ -z $url ]]; then
    ok=0 why="never printed 'listening on http://127.0.0.1:PORT/'"
  else
    local wrkargs=(-c "$HTTP_CONNS" -t "$HTTP_THREADS" --timeout 5s)
    timeout 120 wrk "${wrkargs[@]}" -d "${HTTP_WARM}s" "$url" >"$f.warm" 2>&1
    local c0 c1 t0 t1
    c0=$(proc_cpu_ticks "$pid")
    t0=$(date +%s.%N)
    echo "wrk ${wrkargs[*]} -d ${HTTP_DURATION}s --latency $url" >>"$f.cmd"
    timeout 120 wrk "${wrkargs[@]}" -d "${HTTP_DURATION}s" --latency "$url" >"$f.wrk" 2>&1 || { ok=0 why="wrk exited with $?"; }
    t1=$(date +%s.%N)
    c1=$(proc_cpu_ticks "$pid")
    kill -0 "$pid" 2>/dev/null || { ok=0 why="the server died (see $f.err)"; }
  fi
  if [[ -n $url ]] && ! kill -0 "$pid" 2>/dev/null; then ok=0 why="the server died (see $f.err)"; fi
  ((ok)) || timeout 60 "$JAVA_HOME/bin/jstack" -l "$pid" >"$f.jstack" 2>&1
  kill -TERM "$pid" 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  read -r load1 _ </proc/loadavg
  echo "rep=$rep bench=http impl=$impl procs=$n load_before=$load0 load_after=$load1" >>"$OUT/load.txt"
  local rps="" p99="" reqs="" cpu=""
  if [[ -f $f.wrk ]]; then
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$f.wrk")
    p99=$(awk '$1 == "99%" { print $2 }' "$f.wrk")
    reqs=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$f.wrk")
    if grep -q -E 'Socket errors|Non-2xx' "$f.wrk"; then
      ok=0 why="wrk: $(grep -E 'Socket errors|Non-2xx' "$f.wrk" | tr '\n' ' ')"
    fi
  fi
  if [[ -n $rps && -n $reqs && $reqs -gt 0 ]]; then
    echo "rep=$rep RESULT bench=http impl=$impl procs=$n value=$rps unit=requests_per_s" >>"$RES"
    [[ -n $p99 ]] && echo "rep=$rep RESULT bench=http_p99 impl=$impl procs=$n value=$(wrk_ms "$p99") unit=ms" >>"$RES"
    cpu=$(awk -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" -v r="$reqs" 'BEGIN { printf "%.2f", (c1 - c0) / hz * 1e6 / r }')
    echo "rep=$rep RESULT bench=http_cpu impl=$impl procs=$n value=$cpu unit=us_per_req" >>"$RES"
  else
    ok=0 why=${why:-"no request rate in wrk's output (see $f.wrk)"}
  fi
  if ((!ok)); then
    echo "rep=$rep FAIL bench=http impl=$impl procs=$n rc=$(echo "$why" | tr ' ' '_')" >>"$RES"
    log "FAIL $impl http n=$n: $why"
  fi
  log "$(printf 'rep %s %-10s n=%s %-6s load %s  http=%s req/s p99=%s cpu=%s us/req' "$rep" http "$n" "$impl" "$load1" \
    "${rps:--}" "${p99:--}" "${cpu:--}")"
}

# --- the plan --------------------------------------------------------------------
PLAN=("skynet 2" "spawn 2" "pingpong 1" "pingpong 2" "threadring 1" "threadring 2"
  "mpmc 2" "select 2" "syscallmix 2" "timers 2" "mem 2" "echo 2" "netmem 2" "http 2" "hog 1")
if [[ ${QUICK:-} == 1 ]]; then # see the header: no skynet, spawn, mem; one processor count each
  PLAN=("pingpong 2" "threadring 2" "mpmc 2" "select 2" "syscallmix 2" "timers 2" "echo 2" "http 2" "hog 1")
fi
for b in ${ONLY:-}; do
  case " skynet spawn pingpong threadring mpmc select syscallmix timers mem echo netmem http hog " in
    *" $b "*) ;;
    *) log "ONLY: unknown benchmark '$b' (known: skynet spawn pingpong threadring mpmc select syscallmix timers mem echo netmem http hog)" ;;
  esac
done

for rep in $(seq 1 "$REPEATS"); do
  log "=== pass $rep of $REPEATS"
  # rotate the order of the implementations from pass to pass
  k=$(((rep - 1) % ${#IMPLS[@]}))
  order=("${IMPLS[@]:k}" "${IMPLS[@]:0:k}")
  for spec in "${PLAN[@]}"; do
    set -- $spec
    bench=$1 n=$2
    if [[ -n ${ONLY:-} ]] && [[ " $ONLY " != *" $bench "* ]]; then continue; fi
    for impl in "${order[@]}"; do
      case $bench in
        hog) hog_one "$rep" "$impl" ;;
        http) http_one "$rep" "$impl" "$n" ;;
        *) run_one "$rep" "$impl" "$bench" "$n" ;;
      esac
    done
  done
done
log "total wall $(($(date +%s) - T_START)) s"

# --- the table and the chart -----------------------------------------------------
# dev.gort.bench.report.BenchReport (tested by BenchReportTest): from the jar this run built, or,
# if that build failed, straight from its sources (the JDK's source launcher), so the peers' figures
# still get their table.
WALL=$(($(date +%s) - T_START))
REPORT_ARGS=(--dir "${OUT#"$ROOT/"}" --md "$TABLE" --svg "$CHART" --command "$CMDLINE" --stamp "$STAMP"
  --wall "$WALL" --impls "${IMPLS[*]}")
if [[ -n ${HAVE[gort]:-} ]]; then
  REPORT=("$JAVA" -cp "$WORK/gort-bench.jar" dev.gort.bench.report.BenchReport)
else
  REPORT=("$JAVA" "$HERE/src/main/java/dev/gort/bench/report/BenchReport.java")
fi
if ! (cd "$ROOT" && "${REPORT[@]}" "${REPORT_ARGS[@]}"); then
  log "writing the table and chart failed (${REPORT[*]} ${REPORT_ARGS[*]}); raw output: ${OUT#"$ROOT/"}/"
  exit 1
fi
log "table: ${TABLE#"$ROOT/"}; chart: ${CHART#"$ROOT/"}; raw output: ${OUT#"$ROOT/"}/"
if [[ -z ${HAVE[gort]:-} ]]; then
  log "gort did not build (see ${OUT#"$ROOT/"}/logs/build-gort.log): the table has no gort figures"
  exit 1
fi
