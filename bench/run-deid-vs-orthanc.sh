#!/usr/bin/env bash
# De-identification (PS3.15 Annex E, Basic Profile) of our Deidentifier next to Orthanc's REST anonymization, on the
# same synthetic files, in one run:
#   (a) generates N CT instances of ~515 KiB and M multi-frame instances of ~50 MB (GenerateDeidInstances, our codec)
#   (b) starts a private Orthanc (own JSON configuration, storage and index in the work folder, i.e. on /dev/shm when
#       it exists; HTTP on a free loopback port, DICOM off), uploads every file (not timed), anonymizes every instance
#       once to warm it up, then times POST /instances/{id}/anonymize per instance, REPS passes
#   (c) runs ours: java -Xmx... -cp benchmarks.jar org.cameldicomsecure.bench.deid.DeidBench DIR --kinds KIND --reps
#       REPS, one JVM per kind, with a small heap (if it is built)
# and prints instances/s and MB/s of each side and the ratio ours / Orthanc.
#
# Build first (this script builds nothing):
#   mvn -q -pl bench -am package -DskipTests          # -> bench/target/benchmarks.jar
# then:
#   bench/run-deid-vs-orthanc.sh                      # defaults: about 2 minutes on 2 cores
#
# Needs: java, curl, python3, Orthanc (Debian "orthanc": /usr/sbin/Orthanc); dcmdump (Debian "dcmtk") is used for a
# sanity check of Orthanc's output when present.
#
# Environment (all optional):
#   CDS_BUILD_DIR  Maven output folder of the bench module (the build's -Dcds.build.dir), default "target"
#   JAR            path of benchmarks.jar (default bench/$CDS_BUILD_DIR/benchmarks.jar)
#   WORK           folder for files, Orthanc's storage and logs (default: a new folder in /dev/shm, else /tmp; removed
#                  at the end unless WORK is given)
#   N              CT instances (default 300)
#   M              ~50 MB multi-frame instances (default 5)
#   FRAMES         frames of 512 x 512 x 16 bit per multi-frame instance (default 96: 50,331,648 bytes of pixels)
#   REPS           timed passes over all instances of a kind; the median pass is reported (default 3)
#   BODY           Orthanc's anonymization options (default {"DicomVersion":"2021b","Force":true,"KeepPrivateTags":false})
#   ORTHANC        the Orthanc binary (default /usr/sbin/Orthanc)
#   JAVA_OPTS      options of our JVMs (default none; given after DeidBench's -Xmx, so an -Xmx here wins)
#   CT_XMX         DeidBench's heap (-Xmx) for the CT kind (default 256m; the 512 KiB pixel data are read into the heap)
#   MF_XMX         DeidBench's heap (-Xmx) for the ~50 MB kind (default 40m: smaller than one instance's 48 MiB pixel
#                  data, so the run fails with OutOfMemoryError if our reader, de-identifier or writer ever copies them
#                  into the heap; with FRAMES other than 96, choose it below FRAMES x 0.5 MiB)
#
# What is measured (MB = 10^6 bytes of input file):
#   Orthanc: one curl process per pass sends the POSTs one after the other over one keep-alive connection; the
#   answer (the anonymized PS3.10 file, not stored by Orthanc) goes to /dev/null. Per instance = median of curl's
#   time_total over the timed requests (request sent to last byte received: Orthanc reads the stored file, parses
#   it with DCMTK, applies Table E.1-1, writes it and sends it over loopback HTTP). instances/s = instances of the
#   median pass / its wall time (one curl start-up of ~10 ms included); MB/s = instances/s x file size.
#   Ours: DeidBench's own figures, one JVM per kind, one thread. Its contract: for each kind present in DIR
#   (ct-*.dcm, mf-*.dcm; restricted by --kinds) it checks one de-identified output (re-read: PatientIdentityRemoved
#   YES, new UIDs, no private elements, identical pixel data; prints CHECK), warms up (JIT: at least 2 passes and 3 s),
#   then times REPS passes of, per instance: DicomReader.read(file) (values above 1 MiB, i.e. the 50 MB pixel data,
#   stay regions of the input file) -> Deidentifier (one, with a fixed UID secret).deidentify(DicomFile) ->
#   DicomWriter.write(result, file) into a temporary folder next to the files (same file system; file regions copied
#   with FileChannel.transferTo): what Orthanc does minus HTTP. The output is deleted after each instance (outside
#   the per-instance time, inside the pass's wall time). It prints per kind
#       RESULT <kind> <instances> <bytes per file> <ms per instance (median)> <instances/s>
#       MEMORY <kind> <max heap used MiB> <-Xmx MiB>
#   ms per instance = median over all timed instances; instances/s = instances / wall time of the median pass (as for
#   Orthanc); max heap used = sum of the heap pools' peak use during the timed passes (an upper bound). Anything else
#   it prints is shown as is.
#   Ratio = ours instances/s / Orthanc instances/s (above 1: ours is faster) = Orthanc ms / ours ms per instance.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/${CDS_BUILD_DIR:-target}/benchmarks.jar}
n=${N:-300}
m=${M:-5}
frames=${FRAMES:-96}
reps=${REPS:-3}
body=${BODY:-'{"DicomVersion":"2021b","Force":true,"KeepPrivateTags":false}'}
orthanc_bin=${ORTHANC:-/usr/sbin/Orthanc}
ct_xmx=${CT_XMX:-256m}
mf_xmx=${MF_XMX:-40m}
read -r -a java_opts <<<"${JAVA_OPTS:-}"
started=$SECONDS

for tool in java curl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[[ -x $orthanc_bin ]] || { echo "missing $orthanc_bin: apt-get install -y orthanc" >&2; exit 1; }
[[ -f $jar ]] || { echo "no $jar: run 'mvn -q -pl bench -am package -DskipTests' first" >&2; exit 1; }

if [[ -n ${WORK:-} ]]; then
    work=$WORK
    mkdir -p "$work"
else
    if [[ -d /dev/shm && -w /dev/shm ]]; then
        work=$(mktemp -d -p /dev/shm cds-deid-XXXXXX)
    else
        work=$(mktemp -d -t cds-deid-XXXXXX)
    fi
fi
orthanc_pid=
cleanup() {
    if [[ -n $orthanc_pid ]]; then
        kill "$orthanc_pid" 2>/dev/null || true
        for ((i = 0; i < 150; i++)); do
            kill -0 "$orthanc_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$orthanc_pid" 2>/dev/null || true
        wait "$orthanc_pid" 2>/dev/null || true
    fi
    [[ -n ${WORK:-} ]] || rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}

echo "== machine"
echo "cpus:    $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory:  $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "java:    $(java -version 2>&1 | head -n 1)"
echo "orthanc: $("$orthanc_bin" --version 2>&1 | head -n 1)$(command -v dpkg-query >/dev/null \
    && dpkg-query -W -f=' (Debian ${Version})' orthanc 2>/dev/null || true)"
echo "curl:    $(curl --version | head -n 1 | cut -d' ' -f1-2)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; above ~0.5 means other work shares the CPUs)"
echo "work:    $work ($(df --output=fstype "$work" | tail -n 1))"

echo "== $n CT + $m multi-frame instances ($frames frames), our DicomWriter"
files=$work/files
gen=$(timeout 600 java "${java_opts[@]}" -cp "$jar" org.cameldicomsecure.bench.deid.GenerateDeidInstances \
    "$files" "$n" "$m" "$frames")
ct_size=$(awk '$1 == "ct" { print $3 }' <<<"$gen")
mf_size=$(awk '$1 == "mf" { print $3 }' <<<"$gen")
echo "ct: $n files of $ct_size bytes; mf: $m files of $mf_size bytes"

echo "== Orthanc: private instance"
odir=$work/orthanc
mkdir -p "$odir/storage" "$odir/index"
port=$(free_port)
cat >"$odir/orthanc.json" <<EOF
{
  "Name": "cds-deid-bench",
  "StorageDirectory": "$odir/storage",
  "IndexDirectory": "$odir/index",
  "StorageCompression": false,
  "HttpServerEnabled": true,
  "HttpPort": $port,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "SslEnabled": false,
  "HttpCompressionEnabled": false,
  "HttpDescribeErrors": true,
  "KeepAlive": true,
  "TcpNoDelay": true,
  "HttpThreadsCount": 4,
  "DicomServerEnabled": false,
  "ConcurrentJobs": 1,
  "SaveJobs": false,
  "Plugins": []
}
EOF
(cd "$odir" && TCP_NODELAY=1 exec "$orthanc_bin" --no-jobs "$odir/orthanc.json") >"$odir/orthanc.log" 2>&1 &
orthanc_pid=$!
base=http://127.0.0.1:$port
for ((i = 0; i < 300; i++)); do
    curl -sf -o "$work/system.json" "$base/system" && break
    kill -0 "$orthanc_pid" 2>/dev/null || { echo "Orthanc exited:" >&2; tail -n 20 "$odir/orthanc.log" >&2; exit 1; }
    sleep 0.1
done
[[ -s $work/system.json ]] || { echo "Orthanc did not answer on $base" >&2; tail -n 20 "$odir/orthanc.log" >&2; exit 1; }
echo "Orthanc $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Version"])' "$work/system.json")," \
    "pid $orthanc_pid, http $port, storage on $(df --output=fstype "$odir" | tail -n 1)"

echo "== upload (not timed)"
upload_start=$EPOCHREALTIME
for kind in ct mf; do
    : >"$work/$kind.ids"
    for f in "$files/$kind"-*.dcm; do
        [[ -e $f ]] || continue
        curl -sS -f -X POST -H 'Content-Type: application/dicom' --data-binary "@$f" "$base/instances" \
            | sed -n 's/^ *"ID" *: *"\([0-9a-f-]*\)".*/\1/p' >>"$work/$kind.ids"
    done
done
ct_ids=$(wc -l <"$work/ct.ids")
mf_ids=$(wc -l <"$work/mf.ids")
[[ $ct_ids -eq $n && $mf_ids -eq $m ]] || { echo "uploaded $ct_ids ct / $mf_ids mf, expected $n / $m" >&2; exit 1; }
echo "stored $((ct_ids + mf_ids)) instances in $(python3 -c "print(f'{$EPOCHREALTIME - $upload_start:.1f}')") s"

printf '%s' "$body" >"$work/body.json"
echo "body: $body"
# one curl config per kind: every instance once, answers to /dev/null
for kind in ct mf; do
    : >"$work/$kind.curl"
    while read -r id; do
        printf 'url = "%s/instances/%s/anonymize"\noutput = "/dev/null"\n' "$base" "$id" >>"$work/$kind.curl"
    done <"$work/$kind.ids"
done

# one pass over a kind; prints the wall time in seconds; per-request lines "code seconds bytes" to $2
pass() { # kind out
    local start=$EPOCHREALTIME
    curl -sS -X POST -H 'Content-Type: application/json' --data-binary "@$work/body.json" \
        -w '%{http_code} %{time_total} %{size_download}\n' -K "$work/$1.curl" >"$2" 2>"$work/curl.err" \
        || { echo "curl failed:" >&2; cat "$work/curl.err" >&2; exit 1; }
    local end=$EPOCHREALTIME
    awk '$1 != 200 { bad++ } END { exit bad > 0 }' "$2" \
        || { echo "Orthanc answered non-200:" >&2; grep -v '^200 ' "$2" | head -n 5 >&2; exit 1; }
    python3 -c "print($end - $start)"
}

# sanity: what Orthanc returns is a de-identified PS3.10 file
id1=$(head -n 1 "$work/ct.ids")
[[ -n $id1 ]] || id1=$(head -n 1 "$work/mf.ids")
curl -sS -f -X POST -H 'Content-Type: application/json' --data-binary "@$work/body.json" \
    -o "$work/sample-anonymized.dcm" "$base/instances/$id1/anonymize"
if command -v dcmdump >/dev/null; then
    echo "sample answer: $(dcmdump -q +P 0012,0062 +P 0012,0063 +P 0010,0010 "$work/sample-anonymized.dcm" \
        | sed 's/ *#.*//; s/  */ /g' | paste -sd ';' -)"
fi

results=$work/results.txt
: >"$results"
for kind in ct mf; do
    count=$(wc -l <"$work/$kind.ids")
    ((count > 0)) || continue
    size=$([[ $kind == ct ]] && echo "$ct_size" || echo "$mf_size")
    echo "== Orthanc: anonymize $count x $kind ($size bytes)"
    cold=$(pass "$kind" "$work/$kind.cold")
    echo "   warm-up pass (first anonymization of each): $(python3 -c "print(f'{$count / $cold:.1f}')") instances/s"
    walls=()
    : >"$work/$kind.timed"
    for ((r = 0; r < reps; r++)); do
        walls+=("$(pass "$kind" "$work/$kind.pass")")
        cat "$work/$kind.pass" >>"$work/$kind.timed"
    done
    python3 - "$kind" "$count" "$size" "$work/$kind.timed" "${walls[@]}" >>"$results" <<'EOF'
import statistics, sys
kind, count, size, timed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
walls = [float(x) for x in sys.argv[5:]]
t = [float(l.split()[1]) for l in open(timed) if l.strip()]
per = statistics.median(t) * 1000
wall = statistics.median(walls)
rate = count / wall
print("orthanc", kind, count, size, f"{per:.4f}", f"{rate:.3f}", f"{rate * size / 1e6:.3f}")
EOF
    read -r _ _ _ _ per rate mbs < <(tail -n 1 "$results")
    echo "   timed ($reps passes): $per ms per instance (median), $rate instances/s, $mbs MB/s (median pass)"
done
echo "Orthanc RSS at the end: $(awk '/VmRSS/ {print $2 / 1024 " MiB"}' "/proc/$orthanc_pid/status")"
# Orthanc is not needed any more: stop it before ours runs, so that it does not share the CPUs
kill "$orthanc_pid" 2>/dev/null || true
wait "$orthanc_pid" 2>/dev/null || true
orthanc_pid=

echo "== ours: DeidBench (one JVM per kind; heap: ct -Xmx$ct_xmx, mf -Xmx$mf_xmx)"
if python3 - "$jar" <<'EOF'
import sys, zipfile
sys.exit(0 if "org/cameldicomsecure/bench/deid/DeidBench.class" in zipfile.ZipFile(sys.argv[1]).namelist() else 1)
EOF
then
    : >"$work/deidbench.out"
    for kind in ct mf; do
        if [[ $kind == ct ]]; then count=$n xmx=$ct_xmx; else count=$m xmx=$mf_xmx; fi
        ((count > 0)) || continue
        if timeout 1800 java "-Xmx$xmx" "${java_opts[@]}" -cp "$jar" org.cameldicomsecure.bench.deid.DeidBench \
            "$files" --kinds "$kind" --reps "$reps" >"$work/deidbench-$kind.out" 2>"$work/deidbench-$kind.err"; then
            grep -v '^RESULT ' "$work/deidbench-$kind.out" | sed 's/^/   /' || true
            cat "$work/deidbench-$kind.out" >>"$work/deidbench.out"
        else
            echo "DeidBench $kind failed (exit $?; OutOfMemoryError under -Xmx$xmx: a value was copied into the heap):"
            tail -n 20 "$work/deidbench-$kind.err" | sed 's/^/   /'
        fi
    done
    awk '$1 == "RESULT" { printf "ours %s %s %s %s %s %.3f\n", $2, $3, $4, $5, $6, $6 * $4 / 1e6 }' \
        "$work/deidbench.out" >>"$results"
    grep -q '^ours ' "$results" || echo "DeidBench printed no RESULT line (see its contract at the top)"
else
    echo "DeidBench not built: org.cameldicomsecure.bench.deid.DeidBench is not in $jar (only Orthanc's figures below)"
fi

echo "== summary (MB = 10^6 bytes of input file; ratio = ours / Orthanc instances/s, above 1: ours is faster)"
python3 - "$results" <<'EOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    side, kind, count, size, per, rate, mbs = line.split()
    rows[(side, kind)] = (int(count), int(size), float(per), float(rate), float(mbs))
print(f"{'kind':<5}{'size':>11}{'n':>6} | {'Orthanc ms':>11}{'inst/s':>9}{'MB/s':>9} | {'ours ms':>9}{'inst/s':>9}{'MB/s':>9} | {'ours/Orthanc':>12}")
for kind in ("ct", "mf"):
    o = rows.get(("orthanc", kind))
    if not o:
        continue
    u = rows.get(("ours", kind))
    ours = f"{u[2]:>9.3f}{u[3]:>9.1f}{u[4]:>9.1f}" if u else f"{'-':>9}{'-':>9}{'-':>9}"
    ratio = f"{u[3] / o[3]:>12.2f}" if u else f"{'(not built)':>12}"
    print(f"{kind:<5}{o[1]:>11}{o[0]:>6} | {o[2]:>11.3f}{o[3]:>9.1f}{o[4]:>9.1f} | {ours} | {ratio}")
EOF
if [[ -s $work/deidbench.out ]] && grep -q '^MEMORY ' "$work/deidbench.out"; then
    echo "ours, max heap used in the timed passes (sum of pool peaks): $(awk '$1 == "MEMORY" {
        printf "%s%s %s MiB of -Xmx %s MiB", sep, $2, $3, $4; sep = "; " }' "$work/deidbench.out")"
fi
echo "elapsed: $((SECONDS - started)) s; load now: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -n ${WORK:-} ]]; then
    echo "raw: $results; Orthanc log: $odir/orthanc.log"
fi
