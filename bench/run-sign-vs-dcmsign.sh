#!/usr/bin/env bash
# DICOM digital signatures (PS3.15 Annex C): our DicomSigner / SignatureVerifier next to DCMTK's dcmsign and next to
# the raw limits of the machine (openssl speed), on the same 512 KiB CT instances, in one run:
#   (a) openssl speed: RSA-2048 and ECDSA P-256 sign/s and verify/s (the raw signature limit) and SHA-256 over
#       524288-byte blocks (EVP, i.e. with the CPU's SHA extensions when present)
#   (b) N CT instances of 526,988 bytes (512 x 512 x 16-bit pixel data), written by our DicomWriter
#       (org.cameldicomsecure.bench.net.GenerateInstances), and tiny.dcm (5 elements, GenerateFiles)
#   (c) ours: java -cp benchmarks.jar org.cameldicomsecure.bench.sign.SignBench --dir FILES --out WORK/ours; it makes
#       a throw-away PKI (RSA-2048 CA, RSA-2048 and ECDSA P-256 signers; PEM in WORK/ours/pki), times per
#       configuration, after warm-up, sign (read + sign + write) and verify (read + verify) per file, keeps the signed
#       files in WORK/ours/signed/CONFIG and, last, measures the JDK's own SHA-256 and raw signature rates
#   (d) dcmsign with the same keys and the same MAC (SHA-256): --sign on the same input files, --verify +cf ca.pem on
#       the files ours signed (the same files ours verified), one process per file
# and prints a table of instances/s with the ratios.
#
# Build first (this script builds nothing):
#   mvn -q -pl bench -am package -DskipTests          # -> bench/target/benchmarks.jar
# then:
#   bench/run-sign-vs-dcmsign.sh                      # defaults: about 2 minutes on 2 cores
#
# Needs: java, python3, openssl, dcmsign (Debian "dcmtk").
#
# Environment (all optional):
#   CDS_BUILD_DIR   Maven output folder of the bench module (the build's -Dcds.build.dir), default "target"
#   JAR             path of benchmarks.jar (default bench/$CDS_BUILD_DIR/benchmarks.jar)
#   WORK            folder for files, keys and results (default: a new folder in /dev/shm, else /tmp; removed at the
#                   end unless WORK is given)
#   N               CT instances (default 200)
#   REPS            timed passes of ours over all instances per configuration and operation (default 3)
#   WARMUP_SECONDS  minimum warm-up of ours per configuration and operation, at least 2 passes (default 3)
#   RAW_SECONDS     seconds of each JDK raw-rate measurement, after as long a warm-up (default 2)
#   CONFIGS         comma-separated subset of rsa-creator,rsa-meta,ec-meta,ec-all (default all four)
#   OPENSSL_SECONDS seconds per openssl speed measurement (default 3)
#   DCMTK_REPS      dcmsign runs per configuration and operation, each next to one no-op run (default 21)
#   JAVA_OPTS       options of our JVM (default none)
#
# Configurations (SignBench's CONFIG lines; the dcmsign options are derived from them):
#   rsa-creator  RSA-2048, Creator RSA profile (PS3.15 C.2): covers Pixel Data       dcmsign +pc +m2
#   rsa-meta     RSA-2048, no profile, SOP Class/Instance UID, Study/Series Instance UID, Manufacturer only
#                                                                                   dcmsign -pf +m2 -t ... (5 tags)
#   ec-meta      ECDSA P-256, no profile, the same 5 tags                           dcmsign -pf +m2 -t ...
#   ec-all       ECDSA P-256, no profile, every signable element (Pixel Data too)   dcmsign -pf +m2
#
# What is measured (MB = 10^6 bytes of input file; one thread everywhere):
#   openssl  `openssl speed -mr -seconds S rsa2048 ecdsap256` (sign/verify of a digest: no hashing of data) and
#            `openssl speed -mr -seconds S -bytes 524288 -evp sha256`.
#   ours     SignBench's figures: ms per instance = median over all timed instances; instances/s = instances / wall
#            time of the median pass. sign = DicomReader.read(file) -> DicomSigner.sign -> DicomWriter.write(file)
#            (tmpfs); verify = DicomReader.read(signed file) -> SignatureVerifier.verify (status checked VALID,
#            trusted: the CA). Before timing it checks one signature of each configuration (re-read VALID, Pixel Data
#            covered or not as intended, a changed pixel bit or Manufacturer breaks it as it should).
#   dcmsign  one process per file, so its start-up (dynamic linking, data dictionary, OpenSSL; tens of ms, far more
#            than signing one file) is measured apart and subtracted: per configuration, DCMTK_REPS times, interleaved,
#            `dcmsign --verify +cf ca.pem tiny.dcm` (the no-op: start-up, reading the CA certificate and a 5-element
#            file without signatures), `dcmsign +s KEY CERT ... FILE OUT` on input file i, the no-op again, and
#            `dcmsign --verify +cf ca.pem [+rc] SIGNED` on our signed file i. Per file = median(operation) -
#            median(no-op); instances/s = 1 / that. So dcmsign's per-file time includes reading its key (sign) and
#            one cold (first-touch) run of its code, as any use of dcmsign has; it is the difference of two ~50 ms
#            figures: the least precise number of the table. Before timing, one dcmsign signature of each
#            configuration is verified by dcmsign, and dcmsign verifies one of ours (+rc for the Creator profile).
#   Tables:  (1) per file, ours vs dcmsign (ours/dcmsign above 1: ours is faster). (2) the signature step alone
#            (SignBench's sign-core / verify-core: DicomSigner.sign or SignatureVerifier.verify of a data set already
#            read, median per instance) against the raw limits: /openssl and /JDK = ours instances/s over openssl's and
#            the JDK's raw operations/s (the goal of issue #5 for metadata-only signatures: at least 0.80 of the raw
#            rate); for configurations covering Pixel Data, /SHA-256 = ours MB/s over openssl's SHA-256 MB/s (the goal:
#            the machine's SHA-256 rate, 1.00) and /limit = ours over 1 / (1 / raw + file bytes / SHA-256 B/s) (one
#            signature plus hashing the whole file once, nothing else). Whole-file operations also read (~0.3-0.5
#            ms) and write the 512 KiB file, more than a raw signature takes: table (1) is not compared with the
#            raw limits.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/${CDS_BUILD_DIR:-target}/benchmarks.jar}
n=${N:-200}
reps=${REPS:-3}
warmup=${WARMUP_SECONDS:-3}
raw_seconds=${RAW_SECONDS:-2}
configs=${CONFIGS:-rsa-creator,rsa-meta,ec-meta,ec-all}
ossl_seconds=${OPENSSL_SECONDS:-3}
dreps=${DCMTK_REPS:-21}
read -r -a java_opts <<<"${JAVA_OPTS:-}"
started=$SECONDS

for tool in java python3 openssl dcmsign; do
    command -v "$tool" >/dev/null || { echo "missing $tool (DCMTK: apt-get install -y dcmtk)" >&2; exit 1; }
done
[[ -f $jar ]] || { echo "no $jar: run 'mvn -q -pl bench -am package -DskipTests' first" >&2; exit 1; }
python3 - "$jar" <<'EOF' || { echo "org.cameldicomsecure.bench.sign.SignBench is not in $jar: rebuild the bench module" >&2; exit 1; }
import sys, zipfile
sys.exit(0 if "org/cameldicomsecure/bench/sign/SignBench.class" in zipfile.ZipFile(sys.argv[1]).namelist() else 1)
EOF

if [[ -n ${WORK:-} ]]; then
    work=$WORK
    mkdir -p "$work"
else
    if [[ -d /dev/shm && -w /dev/shm ]]; then
        work=$(mktemp -d -p /dev/shm cds-sign-XXXXXX)
    else
        work=$(mktemp -d -t cds-sign-XXXXXX)
    fi
    trap 'rm -rf "$work"' EXIT
fi

echo "== machine"
echo "cpus:    $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory:  $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "java:    $(java -version 2>&1 | head -n 1)"
echo "dcmtk:   $(dcmsign --version 2>&1 | head -n 1 | sed 's/^\$dcmtk: //; s/ \$$//')"
echo "openssl: $(openssl version)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; above ~0.5 means other work shares the CPUs)"
echo "work:    $work ($(df --output=fstype "$work" | tail -n 1))"

results=$work/results.txt
: >"$results"

echo "== openssl speed (-seconds $ossl_seconds, one thread)"
openssl speed -mr -seconds "$ossl_seconds" rsa2048 ecdsap256 >"$work/speed-sig.txt" 2>/dev/null
openssl speed -mr -seconds "$ossl_seconds" -bytes 524288 -evp sha256 >"$work/speed-sha.txt" 2>/dev/null
# -mr lines: +F2:i:2048:sign/s:verify/s (RSA), +F4:i:256:sign/s:verify/s (ECDSA), +F:i:sha256:bytes/s
awk -F: '$1 == "+F2" && $3 == 2048 { print "raw openssl-rsa2048", $4, $5 }
         $1 == "+F4" && $3 == 256 { print "raw openssl-ecdsap256", $4, $5 }' "$work/speed-sig.txt" >>"$results"
awk -F: '$1 == "+F" && $3 == "sha256" { print "raw openssl-sha256", $4 / 1e6 }' "$work/speed-sha.txt" >>"$results"
[[ $(grep -c '^raw openssl-' "$results") -eq 3 ]] \
    || { echo "cannot read openssl speed's output:" >&2; cat "$work/speed-sig.txt" "$work/speed-sha.txt" >&2; exit 1; }
awk '$2 == "openssl-rsa2048" || $2 == "openssl-ecdsap256" { printf "%-18s %10.1f sign/s %10.1f verify/s\n", $2, $3, $4 }
     $2 == "openssl-sha256" { printf "%-18s %10.1f MB/s (524288-byte blocks)\n", $2, $3 }' "$results"

echo "== $n CT instances, our DicomWriter"
files=$work/files
gen=$(java "${java_opts[@]}" -cp "$jar" org.cameldicomsecure.bench.net.GenerateInstances "$files" "$n")
size=$(awk '{ print $2 }' <<<"$gen")
java "${java_opts[@]}" -cp "$jar" org.cameldicomsecure.bench.GenerateFiles "$work/small" >/dev/null
tiny=$work/small/tiny.dcm
echo "$n files of $size bytes; tiny.dcm $(stat -c %s "$tiny") bytes (dcmsign's no-op)"

echo "== ours: SignBench (--reps $reps, warm-up >= 2 passes and $warmup s per operation)"
ours=$work/ours
java "${java_opts[@]}" -cp "$jar" org.cameldicomsecure.bench.sign.SignBench --dir "$files" --out "$ours" \
    --reps "$reps" --warmup-passes 2 --warmup-seconds "$warmup" --raw-seconds "$raw_seconds" --configs "$configs" \
    >"$work/signbench.out" 2>"$work/signbench.err" \
    || { echo "SignBench failed:" >&2; tail -n 30 "$work/signbench.err" "$work/signbench.out" >&2; exit 1; }
grep -v '^\(RESULT\|RAW\|CONFIG\|PKI\) ' "$work/signbench.out" | sed 's/^/   /'
awk '$1 == "RAW" { $1 = "raw"; print }
     $1 == "RESULT" { $1 = "ours"; print }' "$work/signbench.out" >>"$results"
pki=$ours/pki
for f in ca.pem rsa-key.pem rsa-cert.pem ec-key.pem ec-cert.pem; do
    [[ -s $pki/$f ]] || { echo "SignBench wrote no $pki/$f" >&2; exit 1; }
done

# microseconds that "$@" takes, output discarded; fails the script if the command fails
usec() {
    local start=${EPOCHREALTIME/./}
    "$@" </dev/null >/dev/null 2>&1 || { echo "failed (exit $?): $*" >&2; exit 1; }
    local end=${EPOCHREALTIME/./}
    echo $((end - start))
}

median() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

mapfile -t inputs < <(find "$files" -maxdepth 1 -name 'ct-*.dcm' | sort)
noop=(dcmsign --verify +cf "$pki/ca.pem" "$tiny")
echo "== dcmsign: $dreps runs per configuration and operation, each next to a no-op run (${noop[*]##*/})"
while read -r _ name alg profile tags pixels; do
    key=$pki/rsa-key.pem cert=$pki/rsa-cert.pem
    [[ $alg == EC ]] && key=$pki/ec-key.pem cert=$pki/ec-cert.pem
    sign_opts=(+m2)
    verify_opts=()
    case $profile in
        CREATOR) sign_opts+=(+pc); verify_opts+=(+rc) ;;
        NONE) sign_opts+=(-pf) ;;
        *) echo "no dcmsign option for profile $profile" >&2; exit 1 ;;
    esac
    if [[ $tags != ALL ]]; then
        for t in ${tags//,/ }; do
            sign_opts+=(-t "${t:0:4},${t:4:4}")
        done
    fi
    out=$work/dcmsign/$name
    mkdir -p "$out"
    signed=$ours/signed/$name
    # checks (not timed): dcmsign verifies its own signature and one of ours
    dcmsign +s "$key" "$cert" "${sign_opts[@]}" "${inputs[0]}" "$out/check.dcm" </dev/null >"$work/dcmsign-check.log" 2>&1 \
        || { echo "dcmsign cannot sign ($name):" >&2; cat "$work/dcmsign-check.log" >&2; exit 1; }
    dcmsign --verify +cf "$pki/ca.pem" "${verify_opts[@]}" "$out/check.dcm" >"$work/dcmsign-check.log" 2>&1 \
        || { echo "dcmsign rejects its own signature ($name):" >&2; cat "$work/dcmsign-check.log" >&2; exit 1; }
    dcmsign --verify +cf "$pki/ca.pem" "${verify_opts[@]}" "$signed/${inputs[0]##*/}" >"$work/dcmsign-check.log" 2>&1 \
        || { echo "dcmsign rejects our signature ($name):" >&2; cat "$work/dcmsign-check.log" >&2; exit 1; }
    rm -f "$out/check.dcm"
    echo "   $name: dcmsign ${sign_opts[*]}; its signature and ours verify with dcmsign --verify +cf ca.pem ${verify_opts[*]}"

    t_noop=() t_sign=() t_verify=()
    for ((r = 0; r < dreps; r++)); do
        in=${inputs[r % ${#inputs[@]}]}
        rm -f "$out/${in##*/}"
        t_noop+=("$(usec "${noop[@]}")")
        t_sign+=("$(usec dcmsign +s "$key" "$cert" "${sign_opts[@]}" "$in" "$out/${in##*/}")")
        t_noop+=("$(usec "${noop[@]}")")
        t_verify+=("$(usec dcmsign --verify +cf "$pki/ca.pem" "${verify_opts[@]}" "$signed/${in##*/}")")
    done
    m_noop=$(median "${t_noop[@]}")
    m_sign=$(median "${t_sign[@]}")
    m_verify=$(median "${t_verify[@]}")
    echo "   $name: median no-op $(awk -v x="$m_noop" 'BEGIN { printf "%.2f", x / 1000 }') ms," \
        "sign $(awk -v x="$m_sign" 'BEGIN { printf "%.2f", x / 1000 }') ms," \
        "verify $(awk -v x="$m_verify" 'BEGIN { printf "%.2f", x / 1000 }') ms per process"
    echo "dcmsign $name $m_noop $m_sign $m_verify" >>"$results"
done < <(grep '^CONFIG ' "$work/signbench.out")

echo "== summary (one thread; MB = 10^6 bytes of input file, $size bytes per file)"
python3 - "$results" "$size" <<'EOF'
import sys
size = int(sys.argv[2])
raw, ours, dcm = {}, {}, {}
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "raw":
        raw[f[1]] = [float(x) for x in f[2:]]
    elif f[0] == "ours":
        ours[(f[1], f[2])] = (float(f[5]), float(f[6]), float(f[7]))   # ms, inst/s, MB/s
    elif f[0] == "dcmsign":
        dcm[f[1]] = [float(x) for x in f[2:]]                          # us: no-op, sign, verify
sha = raw["openssl-sha256"][0] * 1e6                                   # bytes/s
pixels = {"rsa-creator": True, "rsa-meta": False, "ec-meta": False, "ec-all": True}
alg = {"rsa-creator": "rsa2048", "rsa-meta": "rsa2048", "ec-meta": "ecdsap256", "ec-all": "ecdsap256"}
print(f"raw: openssl SHA-256 {sha / 1e6:.0f} MB/s (JDK MessageDigest {raw['jdk-sha256'][0]:.0f} MB/s); "
      f"RSA-2048 openssl {raw['openssl-rsa2048'][0]:.0f} sign/s, {raw['openssl-rsa2048'][1]:.0f} verify/s "
      f"(JDK {raw['jdk-rsa2048'][0]:.0f}, {raw['jdk-rsa2048'][1]:.0f}); ECDSA P-256 openssl "
      f"{raw['openssl-ecdsap256'][0]:.0f}, {raw['openssl-ecdsap256'][1]:.0f} "
      f"(JDK {raw['jdk-ecdsap256'][0]:.0f}, {raw['jdk-ecdsap256'][1]:.0f})")
if ("read", "read") in ours:
    r = ours[("read", "read")]
    print(f"ours, read only (DicomReader.read(file)): {r[0]:.3f} ms, {r[1]:.0f} instances/s, {r[2]:.0f} MB/s")
rows = [(n, i, op) for n in pixels for i, op in enumerate(("sign", "verify")) if (n, op) in ours]

print()
print("per file (read the file, sign + write it / verify it), ours vs dcmsign:")
head = f"{'config':<12}{'op':<7}| {'ours ms':>8}{'inst/s':>8}{'MB/s':>7} | {'dcmsign ms':>10}{'inst/s':>8}{'MB/s':>7} | {'ours/dcmsign':>12}"
print(head)
print("-" * len(head))
for name, i, op in rows:
    ms, rate, mbs = ours[(name, op)]
    d = dcm.get(name)
    per = (d[1 + i] - d[0]) / 1000 if d else None
    if per is not None and per > 0:
        dtxt, vs = f"{per:>10.3f}{1000 / per:>8.0f}{1000 / per * size / 1e6:>7.0f}", f"{rate * per / 1000:>12.2f}"
    else:
        dtxt, vs = f"{'-' if per is None else f'{per:.3f}':>10}{'-':>8}{'-':>7}", f"{'-':>12}"
    print(f"{name:<12}{op:<7}| {ms:>8.3f}{rate:>8.0f}{mbs:>7.0f} | {dtxt} | {vs}")
print("ours ms: median per instance, inst/s: instances / wall time of the median pass; dcmsign ms: median per")
print("process minus median no-op process (start-up), inst/s: 1000 / ms")
if dcm:
    print("dcmsign no-op (start-up): " + ", ".join(f"{k} {v[0] / 1000:.1f} ms" for k, v in dcm.items()))

print()
print("signature step alone (data set in memory: DicomSigner.sign / SignatureVerifier.verify), ours vs raw limits:")
head = (f"{'config':<12}{'op':<7}| {'openssl/s':>9}{'JDK/s':>7}{'limit/s':>8} | {'ours ms':>8}{'inst/s':>8}{'MB/s':>7} | "
        f"{'/openssl':>8}{'/JDK':>6}{'/limit':>7}{'/SHA-256':>9}")
print(head)
print("-" * len(head))
goals = []
for name, i, op in rows:
    core = ours.get((name, op + "-core"))
    if not core:
        continue
    ms, rate, mbs = core
    r = raw["openssl-" + alg[name]][i]
    j = raw["jdk-" + alg[name]][i]
    if pixels[name]:
        limit = 1 / (1 / r + size / sha)
        extra = f"{limit:>8.0f}", f"{rate / limit:>7.2f}{mbs * 1e6 / sha:>9.2f}"
        goals.append(f"{name} {op}: {mbs:.0f} MB/s = {mbs * 1e6 / sha:.2f} x openssl SHA-256 "
                     f"({'met' if mbs * 1e6 >= sha else 'not met'}); {rate / limit:.2f} of one signature + one "
                     f"SHA-256 pass over the file")
    else:
        extra = f"{'':>8}", f"{'':>7}{'':>9}"
        goals.append(f"{name} {op}: {rate / r:.2f} of openssl's raw rate "
                     f"({'met' if rate / r >= 0.8 else 'not met'}); {rate / j:.2f} of the JDK's")
    print(f"{name:<12}{op:<7}| {r:>9.0f}{j:>7.0f}{extra[0]} | {ms:>8.3f}{rate:>8.0f}{mbs:>7.0f} | "
          f"{rate / r:>8.2f}{rate / j:>6.2f}{extra[1]}")
print("ours ms: median of the step, inst/s: 1000 / ms; openssl/s, JDK/s: raw operations/s (no data hashed);")
print("limit/s (Pixel Data covered): 1 / (1/openssl + file bytes / openssl SHA-256 rate); /x: ours inst/s (or MB/s) over x")
print()
print("goals (issue #5): metadata-only signatures >= 0.80 of the raw signature rate; those covering Pixel Data at the")
print("machine's SHA-256 rate (signature step alone, as above):")
for g in goals:
    print("  " + g)
EOF
echo "elapsed: $((SECONDS - started)) s; load now: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -n ${WORK:-} ]]; then
    echo "raw: $results; ours: $work/signbench.out"
fi
