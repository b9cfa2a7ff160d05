#!/usr/bin/env bash
# Parse and write throughput of our DICOM codec (JMH) next to DCMTK's on the same two files, in one run.
#
# Build first (this script builds nothing):
#   mvn -q -pl bench -am package -DskipTests          # -> bench/target/benchmarks.jar
# then:
#   bench/run-vs-dcmtk.sh
#
# Environment (all optional):
#   CDS_BUILD_DIR  Maven output folder of the bench module (the build's -Dcds.build.dir), default "target"
#   JAR            path of benchmarks.jar (default bench/$CDS_BUILD_DIR/benchmarks.jar)
#   WORK           folder for the generated files and results (default: a new folder in /dev/shm, else in /tmp,
#                  removed at the end). On tmpfs both tools' file writes cost memory copies only: on a disk, the
#                  file system's latency for rewriting a file (~1-2 ms here) would dominate the conversions.
#   JMH_OPTS       JMH options (default "-wi 3 -i 5 -w 1s -r 1s -f 1")
#   REPS           repetitions of every DCMTK measurement; the median is used (default 7)
#   BATCH          files per DCMTK process in the batch measurements (default 100)
#
# What is measured (MB = 10^6 bytes; a file's MB/s is its size divided by the time per file):
#   ours   JMH throughput (ops/s = whole files per second, warmed-up JIT, file in the page cache) times the file size:
#          read-bytes   DicomReader.read(byte[])
#          read-file    DicomReader.read(Path)
#          write-bytes  DicomWriter.toBytes(parsed file)
#          convert      read(Path) then write(file, Path): what dcmconv does
#   DCMTK  (3.6.x from the distribution) on the same files. Each DCMTK process costs ~20-50 ms to start (loading the
#          data dictionary, dynamic linking): far more than converting one of these files, so it must not be in the
#          figure. Two ways to take it out:
#          read-file (dcmdump)  one dcmdump process parses the same file BATCH times (dcmdump takes many files; +P
#                               prints one tag per file, so output costs nothing). Per file = (t(BATCH files) -
#                               t(1 file)) / (BATCH - 1): start-up and the first, cold parse cancel out exactly.
#          convert (dcmodify)   one dcmodify process reads, modifies one element to the value it already has, and
#                               writes back BATCH copies of the file (dcmodify -nb, in place), same differencing.
#          convert (dcmconv)    dcmconv takes one file per process, so: median time of `dcmconv FILE OUT` minus
#                               median time of `dcmconv tiny.dcm OUT` (a 5-element file: start-up plus a trivial
#                               conversion), REPS runs each, interleaved. Noisier than the two above, and it includes
#                               one cold (first-touch) conversion per process, as any dcmconv use does.
#          Ratios are ours / DCMTK: above 1 means ours is faster.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/${CDS_BUILD_DIR:-target}/benchmarks.jar}
jmh_opts=${JMH_OPTS:--wi 3 -i 5 -w 1s -r 1s -f 1}
reps=${REPS:-7}
batch=${BATCH:-100}

for tool in java python3 dcmdump dcmconv dcmodify; do
    command -v "$tool" >/dev/null || { echo "missing $tool (DCMTK: apt-get install dcmtk)" >&2; exit 1; }
done
[[ -f $jar ]] || { echo "no $jar: run 'mvn -q -pl bench -am package -DskipTests' first" >&2; exit 1; }

if [[ -n ${WORK:-} ]]; then
    work=$WORK
    mkdir -p "$work"
else
    if [[ -d /dev/shm && -w /dev/shm ]]; then
        work=$(mktemp -d -p /dev/shm cds-bench-XXXXXX)
    else
        work=$(mktemp -d -t cds-bench-XXXXXX)
    fi
    trap 'rm -rf "$work"' EXIT
fi

echo "== machine"
echo "cpus:   $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "java:   $(java -version 2>&1 | head -n 1)"
echo "dcmtk:  $(dcmconv --version 2>&1 | head -n 1 | sed 's/^\$dcmtk: //; s/ \$$//')"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages; above 0 means other work shares the CPUs)"
echo "work:   $work ($(df --output=fstype "$work" | tail -n 1))"

echo "== files (written by our DicomWriter; name, bytes, elements)"
java -cp "$jar" org.cameldicomsecure.bench.GenerateFiles "$work" | tee "$work/files.txt"
for f in ct metadata tiny; do
    # DCMTK must accept them, or the comparison means nothing
    dcmdump -q "$work/$f.dcm" >/dev/null || { echo "dcmdump rejects $f.dcm" >&2; exit 1; }
done

echo "== ours: JMH $jmh_opts"
# shellcheck disable=SC2086
java -jar "$jar" CodecBenchmark -p dataDir="$work" $jmh_opts -rf json -rff "$work/jmh.json" >"$work/jmh.log" 2>&1 \
    || { tail -n 30 "$work/jmh.log" >&2; exit 1; }
grep -E '^CodecBenchmark' "$work/jmh.log" || true

# seconds (float) that "$@" takes, output discarded
seconds() {
    local start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    local end=$EPOCHREALTIME
    python3 -c "print($end - $start)"
}

median() {
    python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"
}

echo "== DCMTK: $reps repetitions, batches of $batch files"
: >"$work/dcmtk.txt"
for kind in ct metadata; do
    file=$work/$kind.dcm
    # read-file: dcmdump, BATCH times the same file in one process vs. once
    many=()
    for ((i = 0; i < batch; i++)); do many+=("$file"); done
    t1=() tn=()
    for ((r = 0; r < reps; r++)); do
        t1+=("$(seconds dcmdump -q +P 0008,0018 "$file")")
        tn+=("$(seconds dcmdump -q +P 0008,0018 "${many[@]}")")
    done
    echo "$kind dcmdump $(median "${t1[@]}") $(median "${tn[@]}")" >>"$work/dcmtk.txt"

    # convert: dcmodify, BATCH copies rewritten in place in one process vs. one copy
    copies=()
    for ((i = 0; i < batch; i++)); do
        cp "$file" "$work/copy-$i.dcm"
        copies+=("$work/copy-$i.dcm")
    done
    t1=() tn=()
    for ((r = 0; r < reps; r++)); do
        t1+=("$(seconds dcmodify -nb -q -m '(0008,0070)=Synthetic' "${copies[0]}")")
        tn+=("$(seconds dcmodify -nb -q -m '(0008,0070)=Synthetic' "${copies[@]}")")
    done
    rm -f "${copies[@]}"
    echo "$kind dcmodify $(median "${t1[@]}") $(median "${tn[@]}")" >>"$work/dcmtk.txt"

    # convert: dcmconv, one process per file, minus the same for tiny.dcm
    tf=() tt=()
    for ((r = 0; r < 3 * reps; r++)); do
        tt+=("$(seconds dcmconv "$work/tiny.dcm" "$work/out-tiny.dcm")")
        tf+=("$(seconds dcmconv "$file" "$work/out-$kind.dcm")")
    done
    echo "$kind dcmconv $(median "${tt[@]}") $(median "${tf[@]}")" >>"$work/dcmtk.txt"
done

echo "== results (MB/s, MB = 10^6 bytes)"
python3 - "$work" "$batch" <<'EOF'
import json, sys
work, batch = sys.argv[1], int(sys.argv[2])
size = {}
for line in open(f"{work}/files.txt"):
    name, nbytes, elements = line.split()
    size[name.removesuffix(".dcm")] = (int(nbytes), int(elements))
ours = {}
for r in json.load(open(f"{work}/jmh.json")):
    op = r["benchmark"].rsplit(".", 1)[1]
    kind = r["params"]["kind"].lower()
    m = r["primaryMetric"]
    ours[(kind, op)] = (m["score"], m["scoreError"])
dcmtk = {}
for line in open(f"{work}/dcmtk.txt"):
    kind, tool, a, b = line.split()
    a, b = float(a), float(b)
    per_file = (b - a) / (batch - 1) if tool in ("dcmdump", "dcmodify") else b - a
    dcmtk[(kind, tool)] = per_file
ops = [("readBytes", "read byte[]", None), ("readPath", "read file", "dcmdump"),
       ("writeBytes", "write byte[]", None), ("convertFile", "read+write file", "dcmodify"),
       ("convertFile", "read+write file", "dcmconv")]
print(f"{'file':<18}{'operation':<18}{'ours MB/s':>12}{'(+-)':>8}  {'DCMTK tool':<10}{'DCMTK MB/s':>11}{'ratio':>8}")
for kind in ("ct", "metadata"):
    nbytes, elements = size[kind]
    label = f"{kind} {nbytes / 1024:.0f} KiB"
    for op, name, tool in ops:
        score, err = ours[(kind, op)]
        mine = score * nbytes / 1e6
        line = f"{label:<18}{name:<18}{mine:>12.1f}{err * nbytes / 1e6:>8.1f}  "
        if tool:
            t = dcmtk[(kind, tool)]
            theirs = nbytes / t / 1e6 if t > 0 else float("nan")
            line += f"{tool:<10}{theirs:>11.1f}{mine / theirs:>8.2f}"
        print(line)
    print(f"{'':<18}({elements} elements)")
EOF
if [[ -n ${WORK:-} ]]; then
    echo "raw: $work/jmh.json, $work/jmh.log; $work/dcmtk.txt: kind, tool, median seconds (1 file and $batch files;"
    echo "     for dcmconv tiny.dcm and the file)"
fi
