#!/usr/bin/env bash
# The audit trail benchmark of issue #6, in one run (AuditBenchmark, a main program in the test sources of src/it, so
# that it starts the same real peers as the ITs):
#   1. audit events/s into a real Kafka broker (single-node KRaft child JVM) through AuditTrail + KafkaAuditSink,
#      spool on disk: 1 and 2 producer threads with sync=false, 2 threads with sync=true; emit rate and end to end
#      (first emit -> drain() confirmed the last); the topic's offsets are checked to hold exactly the events sent;
#   2. the same into rsyslogd (GnuTLS, mutual TLS) through SyslogSink; end to end = rsyslog's file holds every event;
#   3. C-STORE MB/s of storescu -> dicomtls route (discards the instances), plain TCP and TLS, alternately without
#      and with the dicomaudit component (Kafka + syslog-TLS sinks, automatic auditing on); medians and ratios;
#   4. a summary table (goals: >= 20,000 events/s into Kafka, audited/plain C-STORE >= 0.95) and the machine.
# About 3-5 minutes on 2 cores with the defaults.
#
#   bench/run-audit.sh                       # builds what is needed, then runs
#
# Needs: java 17, mvn, DCMTK (storescu; Debian "dcmtk"), rsyslog with GnuTLS (Debian "rsyslog", "rsyslog-gnutls").
# Kafka comes from Maven Central (org.apache.kafka:kafka_2.13, a test dependency of src/it).
#
# Environment (all optional):
#   CDS_BUILD_DIR   Maven output folder (the build's -Dcds.build.dir), default "target"
#   SKIP_BUILD      1: do not build (reuse $CDS_BUILD_DIR of src/it and its saved class path)
#   MVN_OPTS        more options for mvn (e.g. "-o" to stay offline)
#   WORK            folder for the PKI, spools, broker, rsyslog and DICOM files (default: a new folder under /tmp,
#                   on disk, so that the spool's and the broker's fsyncs are real; removed at the end unless KEEP=1)
#   KEEP            1: keep WORK (logs of every peer and storescu run are in WORK/logs)
#   EVENTS          events per Kafka run, sync=false (default 200000)
#   SYNC_EVENTS     events per sync=true run, Kafka and syslog (default 10000; each emit waits for an fsync)
#   SYSLOG_EVENTS   events per syslog run, sync=false (default 100000)
#   WARMUP_EVENTS   events of the warm-up run before each sink's timed runs (default 20000)
#   FILES           C-STORE instances of 512 KiB per association (default 300)
#   REPS            C-STORE associations per variant and transport; the median is used (default 5)
#   WARMUP_ASSOCS   warm-up associations per variant and transport (default 3)
#   PDU             max PDU of our consumer and of storescu (default 131072)
#   BATCH_SIZE      the trail's batchSize for the event runs (default 0: the trail's default, 500)
#   PARTS           which parts to run, comma-separated: kafka,syslog,cstore (default all three)
#   CONTROL         1: a control run, the second C-STORE context gets no dicomaudit component either (A/A: shows
#                   the spread between two identical contexts on this machine)
#   KAFKA_BROKER    kraft (default: the child-JVM broker) or docker (Testcontainers) or auto
#   JAVA_OPTS       options of the benchmark JVM (default "-Xms1g -Xmx2g")
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${CDS_BUILD_DIR:-target}
read -r -a mvn_opts <<<"${MVN_OPTS:-}"
read -r -a java_opts <<<"${JAVA_OPTS:--Xms1g -Xmx2g}"

for tool in java mvn storescu rsyslogd; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y dcmtk rsyslog rsyslog-gnutls)" >&2; exit 1; }
done
[[ -e /usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so || -n $(find /usr/lib -name lmnsd_gtls.so 2>/dev/null | head -1) ]] \
    || { echo "rsyslog's GnuTLS driver is missing: apt-get install -y rsyslog-gnutls" >&2; exit 1; }

cpfile=$root/src/it/$build/audit-bench.classpath
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    echo "building camel-dicom-secure and kafka-audit (install, no tests), then the test classes of src/it ..."
    (cd "$root" && mvn -B -ntp -q "${mvn_opts[@]}" -Dcds.build.dir="$build" -Dcds.fuzz.skip=true \
        -pl camel-dicom-secure,kafka-audit install -DskipTests)
    (cd "$root" && mvn -B -ntp -q "${mvn_opts[@]}" -Dcds.build.dir="$build" -pl src/it test-compile \
        dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile")
fi
[[ -s $cpfile ]] || { echo "no class path in $cpfile: run without SKIP_BUILD=1" >&2; exit 1; }
classes=$root/src/it/$build/test-classes
[[ -f $classes/org/cameldicomsecure/it/bench/AuditBenchmark.class ]] \
    || { echo "AuditBenchmark is not compiled in $classes" >&2; exit 1; }
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
    work=$(mktemp -d -t cds-audit-XXXXXX)
fi
cleanup() {
    if [[ ${KEEP:-0} != 1 && -z ${WORK:-} ]]; then
        rm -rf "$work"
    fi
}
trap cleanup EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), \
$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -1); \
DCMTK $(storescu --version 2>/dev/null | sed -n '1s/.*storescu v\([^ ]*\).*/\1/p'); \
rsyslog $(rsyslogd -v 2>/dev/null | sed -n '1s/^rsyslogd *\([^ ]*\).*/\1/p')"
echo "uptime: $(uptime)"

set +e
java "${java_opts[@]}" -cp "$classes:$own:$deps" \
    -Dit.work.dir="$work" -Dit.logs.dir="$work/logs" -Dit.kafka.broker="${KAFKA_BROKER:-kraft}" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
    -Dbench.events="${EVENTS:-200000}" -Dbench.syncEvents="${SYNC_EVENTS:-10000}" \
    -Dbench.syslogEvents="${SYSLOG_EVENTS:-100000}" -Dbench.warmupEvents="${WARMUP_EVENTS:-20000}" \
    -Dbench.files="${FILES:-300}" -Dbench.reps="${REPS:-5}" -Dbench.warmupAssociations="${WARMUP_ASSOCS:-3}" \
    -Dbench.pdu="${PDU:-131072}" -Dbench.parts="${PARTS:-kafka,syslog,cstore}" \
    -Dbench.batchSize="${BATCH_SIZE:-0}" -Dbench.control="$([[ ${CONTROL:-0} == 1 ]] && echo true || echo false)" \
    org.cameldicomsecure.it.bench.AuditBenchmark
rc=$?
set -e
echo "uptime: $(uptime)"
exit $rc
