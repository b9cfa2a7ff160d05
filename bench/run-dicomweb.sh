#!/usr/bin/env bash
# The DICOMweb benchmark of issue #7 (DicomWebBenchmark, a main program in the test sources of src/it): STOW-RS
# throughput of 512 KiB instances into Orthanc + its DICOMweb plugin and into our dicomweb: consumer (plain HTTP
# writing files / discarding, HTTPS discarding), same run, same client (the JDK HttpClient, one instance per request
# and one request of all; and our dicomweb: producer), medians and the ratio ours / Orthanc. ~2-4 minutes on 2 cores.
#
#   bench/run-dicomweb.sh
#
# Needs: java 17, mvn, Orthanc with its DICOMweb plugin (Debian "orthanc", "orthanc-dicomweb").
#
# Environment (all optional):
#   CDS_BUILD_DIR   Maven output folder (the build's -Dcds.build.dir), default "target"
#   SKIP_BUILD      1: do not build (reuse $CDS_BUILD_DIR of src/it and its saved class path)
#   MVN_OPTS        more options for mvn (e.g. "-o" to stay offline)
#   WORK            folder for data, PKI, Orthanc's storage and our stored files (default: a new folder under /tmp,
#                   on disk; removed at the end unless KEEP=1)
#   KEEP            1: keep WORK (Orthanc's log is in WORK/logs)
#   FILES           instances per run (default 200, i.e. ~105 MB)
#   REPS            timed runs per client and server; the median is reported (default 5)
#   WARMUP          warm-up runs per client and server before the timed ones (default 2)
#   MODES           clients, comma-separated: single (N requests of 1), multi (1 request of N), producer (default all)
#   JAVA_OPTS       options of the benchmark JVM (default "-Xms1g -Xmx2g")
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${CDS_BUILD_DIR:-target}
read -r -a mvn_opts <<<"${MVN_OPTS:-}"
read -r -a java_opts <<<"${JAVA_OPTS:--Xms1g -Xmx2g}"

for tool in java mvn; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[[ -x /usr/sbin/Orthanc ]] || { echo "Orthanc is missing: apt-get install -y orthanc orthanc-dicomweb" >&2; exit 1; }
[[ -e /usr/share/orthanc/plugins/libOrthancDicomWeb.so ]] \
    || { echo "Orthanc's DICOMweb plugin is missing: apt-get install -y orthanc-dicomweb" >&2; exit 1; }

cpfile=$root/src/it/$build/dicomweb-bench.classpath
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    echo "building camel-dicom-secure and kafka-audit (install, no tests), then the test classes of src/it ..."
    (cd "$root" && mvn -B -ntp -q "${mvn_opts[@]}" -Dcds.build.dir="$build" -Dcds.fuzz.skip=true \
        -pl camel-dicom-secure,kafka-audit install -DskipTests)
    (cd "$root" && mvn -B -ntp -q "${mvn_opts[@]}" -Dcds.build.dir="$build" -pl src/it test-compile \
        dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile")
fi
[[ -s $cpfile ]] || { echo "no class path in $cpfile: run without SKIP_BUILD=1" >&2; exit 1; }
classes=$root/src/it/$build/test-classes
[[ -f $classes/org/cameldicomsecure/it/bench/DicomWebBenchmark.class ]] \
    || { echo "DicomWebBenchmark is not compiled in $classes" >&2; exit 1; }
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
    work=$(mktemp -d -t cds-dicomweb-XXXXXX)
fi
cleanup() {
    if [[ ${KEEP:-0} != 1 && -z ${WORK:-} ]]; then
        rm -rf "$work"
    fi
}
trap cleanup EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), \
$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -1); \
Orthanc $(/usr/sbin/Orthanc --version 2>/dev/null | sed -n '1s/.* \([0-9][0-9.]*\)$/\1/p'); \
DICOMweb plugin $(dpkg-query -W -f '${Version}' orthanc-dicomweb 2>/dev/null || echo '?')"
echo "uptime: $(uptime)"

set +e
java "${java_opts[@]}" -cp "$classes:$own:$deps" \
    -Dit.work.dir="$work" -Dit.logs.dir="$work/logs" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dbench.files="${FILES:-200}" -Dbench.reps="${REPS:-5}" -Dbench.warmup="${WARMUP:-2}" \
    -Dbench.modes="${MODES:-single,multi,producer}" \
    org.cameldicomsecure.it.bench.DicomWebBenchmark
rc=$?
set -e
echo "uptime: $(uptime)"
exit $rc
