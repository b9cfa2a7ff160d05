#!/usr/bin/env bash
# The secure DICOM email benchmark of issue #8 (DicomMailBenchmark, a main program in the test sources of src/it):
# encoding (DicomMailWriter: DICOMDIR + DICOM.ZIP, signed SHA-256/RSA 2048, AES-256-CBC for an RSA 2048 recipient,
# written as RFC 5322 bytes) and decoding (DicomMailReader: decrypt, verify, unzip, parse) of 1 x 512 KiB,
# 20 x 512 KiB and 3 x 9 MiB, against `openssl smime -sign | openssl smime -encrypt -aes256` and
# `openssl smime -decrypt | openssl smime -verify` on the same MIME entity, same run; medians and the ratio
# ours / openssl. ~1-3 minutes on 2 cores.
#
#   bench/run-dicommail.sh
#
# Needs: java 17, mvn, openssl.
#
# Environment (all optional):
#   CDS_BUILD_DIR   Maven output folder (the build's -Dcds.build.dir), default "target"
#   SKIP_BUILD      1: do not build (reuse $CDS_BUILD_DIR of src/it and its saved class path)
#   MVN_OPTS        more options for mvn (e.g. "-o" to stay offline)
#   WORK            folder for the PKI and OpenSSL's files (default: a new folder under /tmp, removed at the end
#                   unless KEEP=1)
#   KEEP            1: keep WORK
#   SETS            sets of instances, comma-separated COUNTxSIZE (K or M = KiB or MiB of pixel data; default
#                   "1x512K,20x512K,3x9M")
#   REPS            timed runs per variant; the median is reported (default 5)
#   WARMUP          warm-up runs per variant before the timed ones (default 2)
#   JAVA_OPTS       options of the benchmark JVM (default "-Xms1g -Xmx2g")
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${CDS_BUILD_DIR:-target}
read -r -a mvn_opts <<<"${MVN_OPTS:-}"
read -r -a java_opts <<<"${JAVA_OPTS:--Xms1g -Xmx2g}"

for tool in java mvn openssl; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

cpfile=$root/src/it/$build/dicommail-bench.classpath
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    echo "building camel-dicom-secure and kafka-audit (install, no tests), then the test classes of src/it ..."
    (cd "$root" && mvn -B -ntp -q "${mvn_opts[@]}" -Dcds.build.dir="$build" -Dcds.fuzz.skip=true \
        -pl camel-dicom-secure,kafka-audit install -DskipTests)
    (cd "$root" && mvn -B -ntp -q "${mvn_opts[@]}" -Dcds.build.dir="$build" -pl src/it test-compile \
        dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile")
fi
[[ -s $cpfile ]] || { echo "no class path in $cpfile: run without SKIP_BUILD=1" >&2; exit 1; }
classes=$root/src/it/$build/test-classes
[[ -f $classes/org/cameldicomsecure/it/bench/DicomMailBenchmark.class ]] \
    || { echo "DicomMailBenchmark is not compiled in $classes" >&2; exit 1; }
# our own modules from this tree's build folder, not from the local repository (which other builds may overwrite)
own=$root/camel-dicom-secure/$build/classes:$root/kafka-audit/$build/classes
for d in "$root/camel-dicom-secure/$build/classes" "$root/kafka-audit/$build/classes"; do
    [[ -d $d ]] || { echo "$d is missing: run without SKIP_BUILD=1" >&2; exit 1; }
done
deps=$(tr ':' '\n' <"$cpfile" | grep -v -e '/org/cameldicomsecure/camel-dicom-secure/' \
    -e '/org/cameldicomsecure/kafka-audit/' | paste -sd: -)

if [[ -n ${WORK:-} ]]; then
    work=$WORK
    mkdir -p "$work"
else
    work=$(mktemp -d -t cds-dicommail-XXXXXX)
fi
cleanup() {
    if [[ ${KEEP:-0} != 1 && -z ${WORK:-} ]]; then
        rm -rf "$work"
    fi
}
trap cleanup EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), \
$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -1); \
$(openssl version)"
echo "uptime: $(uptime)"

set +e
java "${java_opts[@]}" -cp "$classes:$own:$deps" \
    -Dit.work.dir="$work" -Djava.io.tmpdir="$work" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dbench.sets="${SETS:-1x512K,20x512K,3x9M}" -Dbench.reps="${REPS:-5}" -Dbench.warmup="${WARMUP:-2}" \
    org.cameldicomsecure.it.bench.DicomMailBenchmark
rc=$?
set -e
echo "uptime: $(uptime)"
exit $rc
