#!/usr/bin/env bash
# gort-bench/traceoff.sh -- what the execution tracer costs while it is off (issue 6: at most 2 %
# on ping-pong and skynet), measured inside one JVM per series.
#
# Builds two copies of the runtime from this tree's sources with the same javac and flags:
#   A  as shipped: every scheduler hook is `if (Trace.on()) Trace.x(...)`, tracing off;
#   B  every `if (Trace.on())` replaced by `if (false)`: javac drops the hooks.
# Then runs dev.gort.bench.traceoff.TraceOffAB, which loads A and B in two class loaders of one
# JVM and alternates the anchors' workload between them (ABBA), so the machine's load drift and
# the JVM's run-to-run speed modes hit both alike. Per series it prints the per-pair ratios A/B
# (1.02 = the hooks cost 2 %) with their median, mean and 95 % interval of the mean.
#
#   gort-bench/traceoff.sh                     # pingpong at GOMAXPROCS 1 and 2, skynet at 2
#   SERIES=3 ROUNDS=40 gort-bench/traceoff.sh  # (defaults) series = JVMs per bench, rounds per JVM
#   BENCHES="pingpong:1" gort-bench/traceoff.sh
#
# Output: gort-bench/target/traceoff/results-<stamp>.txt (every round and the summaries).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$HERE/.." && pwd -P)
SERIES=${SERIES:-3}
ROUNDS=${ROUNDS:-40}
WARM=${WARM:-5}
BENCHES=${BENCHES:-"pingpong:1 pingpong:2 skynet:2"}

java_major() { "$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -1; }
if [[ -z ${JAVA_HOME:-} || ! -x $JAVA_HOME/bin/java || $(java_major "$JAVA_HOME/bin/java") -lt 25 ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[[ -x $JAVA_HOME/bin/java && $(java_major "$JAVA_HOME/bin/java") -ge 25 ]] ||
  { echo "traceoff.sh: needs a JDK 25 (set JAVA_HOME)" >&2; exit 1; }
JAVA=$JAVA_HOME/bin/java
JAVAC=$JAVA_HOME/bin/javac

OUT=$ROOT/gort-bench/target/traceoff
rm -rf "$OUT/src-a" "$OUT/src-b" "$OUT/a" "$OUT/b" "$OUT/work" "$OUT/main"
mkdir -p "$OUT"
SRC=$ROOT/gort-runtime/src/main/java
cp -r "$SRC" "$OUT/src-a"
cp -r "$SRC" "$OUT/src-b"
rm -f "$OUT/src-a/module-info.java" "$OUT/src-b/module-info.java" # loaded unnamed, by URLClassLoader
hooks=$(grep -rho 'if (Trace\.on())' "$OUT/src-b" | wc -l)
grep -rl 'if (Trace\.on())' "$OUT/src-b" | xargs sed -i 's/if (Trace\.on())/if (false)/g'
left=$(grep -rh 'Trace\.on\b' "$OUT/src-b" | grep -v 'static volatile boolean on' | grep -vc '^\s*\*\|//' || true)
echo "B: $hooks hooks 'if (Trace.on())' compiled out; other reads of Trace.on left: $left"
[[ $hooks -gt 0 ]] || { echo "traceoff.sh: found no hooks to compile out" >&2; exit 1; }
JFLAGS=(-nowarn -XDsuppressNotes --add-exports java.base/jdk.internal.vm=ALL-UNNAMED)
for v in a b; do
  find "$OUT/src-$v" -name '*.java' > "$OUT/src-$v.list"
  "$JAVAC" "${JFLAGS[@]}" -d "$OUT/$v" @"$OUT/src-$v.list" 2>&1 | grep -v '^Note:' || true
  [[ -f $OUT/$v/dev/gort/Go.class ]] || { echo "traceoff.sh: build $v failed" >&2; exit 1; }
done
BSRC=$ROOT/gort-bench/src/main/java/dev/gort/bench/traceoff
"$JAVAC" --release 25 -cp "$OUT/a" -d "$OUT/work" "$BSRC/TraceOffWork.java"
"$JAVAC" --release 25 -d "$OUT/main" "$BSRC/TraceOffAB.java" # no Gort, no workload: each loader has its own

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RES=$OUT/results-$STAMP.txt
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- gort-runtime/src/main 2>/dev/null | head -1)
echo "commit $COMMIT${DIRTY:+ (runtime sources modified)}; $SERIES series x $ROUNDS rounds after $WARM warm-up rounds; $(nproc) cpus; load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RES"
for spec in $BENCHES; do
  bench=${spec%%:*} procs=${spec##*:}
  for s in $(seq "$SERIES"); do
    echo "== $bench GOMAXPROCS=$procs series $s (load $(cut -d' ' -f1 /proc/loadavg))" | tee -a "$RES"
    "$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
      -Xmx8g -Dgort.mxbean=false -cp "$OUT/main" dev.gort.bench.traceoff.TraceOffAB \
      "$OUT/a" "$OUT/b" "$OUT/work" "$bench" "$procs" "$ROUNDS" "$WARM" "$( ((s % 2)) && echo a-first || echo b-first)" >> "$RES" 2>&1
    grep SUMMARY "$RES" | tail -1
  done
  # Each JVM's two copies may land in different JIT speed modes for their whole life, and the copy
  # loaded second may run slower, so the series (JVMs) are the samples. OVERALL: the plain mean of
  # the series' mean ratios. STRATIFIED (the figure to quote): the geometric mean of the series'
  # ratios per load order, averaged over the two orders, with a 95 % interval from the two groups'
  # variances, so that the load-order effect cancels instead of counting as noise.
  grep "SUMMARY bench=$bench procs=$procs " "$RES" | sed 's/.*ratio_mean=\([0-9.]*\).*/\1/' |
    awk -v b="$bench" -v p="$procs" '{x[NR]=$1; s+=$1; if(NR==1||$1<lo)lo=$1; if(NR==1||$1>hi)hi=$1} END{n=NR; m=s/n; for(i=1;i<=n;i++) v+=(x[i]-m)^2;
      sd=(n>1)?sqrt(v/(n-1)):0; t=(n<=2)?12.71:(n<=3)?4.30:(n<=4)?3.18:(n<=5)?2.78:(n<=6)?2.57:(n<=8)?2.36:(n<=10)?2.26:2.09;
      h=(n>1)?t*sd/sqrt(n):0; printf "OVERALL bench=%s procs=%s series=%d mean_of_series_ratios=%.4f ci95=%.4f-%.4f min=%s max=%s\n", b, p, n, m, m-h, m+h, lo, hi}' | tee -a "$RES"
  grep "SUMMARY bench=$bench procs=$procs " "$RES" | sed 's/.*first=\([AB]\).*ratio_mean=\([0-9.]*\).*/\1 \2/' |
    awk -v b="$bench" -v p="$procs" '{g=$1; x=log($2); n[g]++; s[g]+=x; ss[g]+=x*x}
      END{k=0; est=0; var=0; ok=1; for(g in n){ if(n[g]<2){ok=0; continue} m=s[g]/n[g]; est+=m; var+=(ss[g]-n[g]*m*m)/(n[g]-1)/n[g]; k++}
        if(!ok||k!=2){print "STRATIFIED needs at least two series in each load order (SERIES >= 4)"; exit}
        est/=2; se=sqrt(var)/2; printf "STRATIFIED bench=%s procs=%s series=%d geomean_ratio=%.4f ci95=%.4f-%.4f one_sided95_upper=%.4f\n", b, p, n["A"]+n["B"], exp(est), exp(est-2*se), exp(est+2*se), exp(est+1.67*se)}' | tee -a "$RES"
done
echo "all rounds: $RES"
