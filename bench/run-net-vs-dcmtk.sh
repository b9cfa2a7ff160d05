#!/usr/bin/env bash
# DICOM network throughput over TLS (and plain TCP) of our stack next to DCMTK's, on loopback, in one run:
# C-STORE of COUNT x 512 KiB CT instances over one association, and C-ECHO associations per second.
#
# Build first (this script builds nothing):
#   mvn -q -pl bench -am package -DskipTests          # -> bench/target/benchmarks.jar
# then:
#   bench/run-net-vs-dcmtk.sh                         # about 3-4 minutes on 2 cores
#
# Needs: java, python3, openssl, DCMTK (storescu, storescp, echoscu; Debian "dcmtk"), socat (Debian "socat"), ss.
#
# Environment (all optional):
#   CDS_BUILD_DIR  Maven output folder of the bench module (the build's -Dcds.build.dir), default "target"
#   JAR            path of benchmarks.jar (default bench/$CDS_BUILD_DIR/benchmarks.jar)
#   WORK           folder for the PKI, files and logs (default: a new folder in /dev/shm, else /tmp; removed at the end)
#   COUNT          instances per association (default 300)
#   REPS           repetitions of every measurement; the median is used (default 5)
#   PDUS           max PDU sizes (default "16384 131072")
#   PROFILES       our TLS profiles, each PROFILE or PROFILE@ENGINE with ENGINE one of AUTO (the default, as the
#                  component), JDK, OPENSSL (tlsEngine); default "BCP195_ND BCP195_ND@OPENSSL BCP195_RFC8996
#                  BCP195_RFC8996@JDK NONE" (AUTO runs B.12 on BoringSSL and B.10 on SunJSSE); NONE = plain TCP,
#                  against plain DCMTK
#   ECHO_COUNT     associations per timed echo loop of ours (default 200; 3 loops, after 100 for warm-up)
#   ECHO_REPS      echoscu processes per measurement (default 21)
#   JAVA_OPTS      options of our JVMs (default none: the JDK's defaults, G1)
#
# What is measured (MB = 10^6 bytes; bytes = file bytes, COUNT x 526,988):
#   (1) storescu -> storescp --ignore      DCMTK on both sides
#   (2) storescu -> our receiver           our DicomServer (Receiver main), store service that drops the data and
#                                          answers Success once the data set has fully arrived (storescp --ignore)
#   (3) our sender -> storescp --ignore    our DicomClient + Association.store (Sender main), each file read with
#                                          our DicomReader right before its C-STORE, one request at a time;
#                                          pixel data left in the file (64 KiB bulk-data threshold, as the
#                                          components' converter reads File bodies) and sent from it
#   for each of our profiles x max PDU. DCMTK always runs --profile-bcp195-nd (its strongest; DCMTK 3.6.7 has no
#   option for PS3.15 B.12 BCP195_RFC8996, our default), so both rows meet DCMTK's B.10. Both negotiate TLS 1.3
#   with TLS_AES_256_GCM_SHA384 (printed below). The max PDU is what the receiver announces (storescp -pdu, our
#   maxPduLength); senders send PDUs of that size (storescu -pdu and our sender announce the same).
#   DCMTK processes cost 20-50 ms to start, plus the TLS handshake and association: storescu is timed sending all
#   COUNT files and sending 1 file, and MB/s = (COUNT - 1) x file size / (t(COUNT) - t(1)), as run-vs-dcmtk.sh does.
#   (2) is timed the same way with the same storescu, only the receiver differs. Our sender times itself from the
#   first file read to the last C-STORE-RSP (association set-up and release not counted, which is what the
#   difference removes for storescu), after 6 warm-up associations (JIT); our receiver is warmed up with 5
#   storescu runs first. The receiver's own count (instances 2..N, first to last arrival) is printed as a check.
#   (4) raw TLS 1.3: socat OPENSSL-LISTEN -> socat OPENSSL (OpenSSL on both sides, same keys, client certificate
#       required) moving the COUNT files' bytes from a file on tmpfs to /dev/null; same differencing (all bytes
#       vs one file's bytes), with socat's default 8 KiB buffer and with -b 131072 (the ratios use the larger).
#   (5) C-ECHO: association + C-ECHO + release, one after the other, over TLS (full handshake, client certificate):
#       echoscu: per association = median t(echoscu) - median t(echoscu to a closed port with the same TLS
#       options: process start-up, TLS context, refused connect); ours: EchoLoop, no session resumption.
#   Ratios are ours / DCMTK (above 1: ours is faster) and ours / raw TLS.
#   DCMTK runs with TCP_NODELAY=1 in its environment (it leaves Nagle on otherwise, ~40 ms per C-STORE); our stack
#   sets TCP_NODELAY on every socket itself.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${JAR:-$here/${CDS_BUILD_DIR:-target}/benchmarks.jar}
count=${COUNT:-300}
reps=${REPS:-5}
pdus=${PDUS:-16384 131072}
profiles=${PROFILES:-BCP195_ND BCP195_ND@OPENSSL BCP195_RFC8996 BCP195_RFC8996@JDK NONE}
echo_count=${ECHO_COUNT:-200}
echo_reps=${ECHO_REPS:-21}
read -r -a java_opts <<<"${JAVA_OPTS:-}"
started=$SECONDS

for tool in java python3 openssl storescu storescp echoscu ss timeout; do
    command -v "$tool" >/dev/null || { echo "missing $tool (DCMTK: apt-get install -y dcmtk)" >&2; exit 1; }
done
command -v socat >/dev/null || { echo "missing socat: apt-get install -y socat" >&2; exit 1; }
[[ -f $jar ]] || { echo "no $jar: run 'mvn -q -pl bench -am package -DskipTests' first" >&2; exit 1; }

if [[ -n ${WORK:-} ]]; then
    work=$WORK
    mkdir -p "$work"
else
    if [[ -d /dev/shm && -w /dev/shm ]]; then
        work=$(mktemp -d -p /dev/shm cds-net-XXXXXX)
    else
        work=$(mktemp -d -t cds-net-XXXXXX)
    fi
fi
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${pids[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    [[ -n ${WORK:-} ]] || rm -rf "$work"
}
trap cleanup EXIT

java_main() { # a main of ours that ends by itself (bounded: 3 minutes)
    timeout 180 java "${java_opts[@]}" -cp "$jar" "org.cameldicomsecure.bench.net.$1" "${@:2}"
}
java_cmd=(java "${java_opts[@]}" -cp "$jar")

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

await_listen() { # port
    local i
    for ((i = 0; i < 100; i++)); do
        ss -Htln "sport = :$1" | grep -q . && return 0
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2
    exit 1
}

# seconds (float) that "$@" takes, output to $work/last.log; fails the script if the command fails
seconds() {
    local start=$EPOCHREALTIME
    "$@" >"$work/last.log" 2>&1 || { echo "failed: $*" >&2; tail -n 20 "$work/last.log" >&2; exit 1; }
    local end=$EPOCHREALTIME
    python3 -c "print($end - $start)"
}

# the same, for a command expected to fail (echoscu to a closed port)
seconds_failing() {
    local start=$EPOCHREALTIME
    "$@" >"$work/last.log" 2>&1 && { echo "unexpected success: $*" >&2; exit 1; }
    local end=$EPOCHREALTIME
    python3 -c "print($end - $start)"
}

median() {
    python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"
}

# MB/s of (COUNT - 1) files from the median times of COUNT files and of 1 file (nan if not positive: too few files)
rate() { # t(COUNT) t(1)
    python3 -c "d = $1 - $2; print(($count - 1) * $file_size / d / 1e6 if d > 0 else float('nan'))"
}

echo "== machine"
echo "cpus:    $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory:  $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "java:    $(java -version 2>&1 | head -n 1)"
echo "dcmtk:   $(storescu --version 2>&1 | head -n 1 | sed 's/^\$dcmtk: //; s/ \$$//')"
echo "openssl: $(openssl version)"
echo "socat:   $(socat -V 2>&1 | sed -n 's/^socat version \([^ ]*\).*/\1/p')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; above ~0.5 means other work shares the CPUs)"
echo "work:    $work ($(df --output=fstype "$work" | tail -n 1))"

echo "== test PKI (openssl, RSA 2048, SHA-256): CA, server CN=localhost + IP 127.0.0.1, client CN=CDSBENCH"
pki=$work/pki
mkdir -p "$pki"
cat >"$pki/ext.cnf" <<'EOF'
[req]
distinguished_name = dn
[dn]
[bench_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[bench_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[bench_client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
for n in ca server client; do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/$n.key" 2>/dev/null
done
# small serial numbers: DCMTK prints serials of 64 bits and more as -1 (shared/PEERS.md)
openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=bench CA/O=camel-dicom-secure bench" -days 2 -sha256 \
    -set_serial 1001 -config "$pki/ext.cnf" -extensions bench_ca -out "$pki/ca.pem" 2>/dev/null
serial=1002
for n in server client; do
    cn=$([[ $n == server ]] && echo localhost || echo CDSBENCH)
    openssl req -new -key "$pki/$n.key" -subj "/CN=$cn/O=camel-dicom-secure bench" -config "$pki/ext.cnf" \
        -out "$pki/$n.csr" 2>/dev/null
    openssl x509 -req -in "$pki/$n.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -set_serial $((serial++)) -days 2 \
        -sha256 -extfile "$pki/ext.cnf" -extensions "bench_$n" -out "$pki/$n.pem" 2>/dev/null
done
openssl verify -CAfile "$pki/ca.pem" "$pki/server.pem" "$pki/client.pem"

echo "== $count instances (our DicomWriter)"
gen=$(java_main GenerateInstances "$work/files" "$count")
read -r _ file_size <<<"$gen"
files=("$work/files"/ct-*.dcm)
one=("${files[0]}")
echo "$count files of $file_size bytes ($(( count * file_size )) bytes)"

dcmtk_server_tls=(+tls "$pki/server.key" "$pki/server.pem" +cf "$pki/ca.pem" --profile-bcp195-nd)
dcmtk_client_tls=(+tls "$pki/client.key" "$pki/client.pem" +cf "$pki/ca.pem" --profile-bcp195-nd)
results=$work/results.txt
: >"$results"

echo "== our receiver"
specs=()
for p in $profiles; do
    for pdu in $pdus; do
        specs+=("$p-$pdu:$p:$pdu")
    done
done
# started directly (not through a function), so that $! is the JVM's own PID
"${java_cmd[@]}" org.cameldicomsecure.bench.net.Receiver --pki "$pki" "${specs[@]}" >"$work/receiver.out" \
    2>"$work/receiver.err" &
pids+=($!)
for ((i = 0; i < 200; i++)); do
    grep -q '^READY ALL' "$work/receiver.out" && break
    sleep 0.1
done
grep -q '^READY ALL' "$work/receiver.out" || { cat "$work/receiver.err" >&2; exit 1; }
our_port() {
    awk -v n="$1" '$1 == "READY" && $2 == n { print $3 }' "$work/receiver.out"
}

storescu_run() { # port pdu tls(0/1) files...
    local port=$1 pdu=$2 tls=$3
    shift 3
    local opts=()
    ((tls)) && opts=("${dcmtk_client_tls[@]}")
    TCP_NODELAY=1 timeout 120 storescu -aec STORESCP -pdu "$pdu" "${opts[@]}" 127.0.0.1 "$port" "$@"
}

for p in $profiles; do
    tls=1
    [[ $p == NONE ]] && tls=0
    for pdu in $pdus; do
        echo "== $p, max PDU $pdu"
        sport=$(free_port)
        sopts=()
        ((tls)) && sopts=("${dcmtk_server_tls[@]}")
        TCP_NODELAY=1 storescp --ignore -dhl -pdu "$pdu" "${sopts[@]}" "$sport" >"$work/storescp-$p-$pdu.log" 2>&1 &
        spid=$!
        pids+=("$spid")
        await_listen "$sport"
        oport=$(our_port "$p-$pdu")
        # warm-up: page cache, our JIT (5 associations of COUNT instances)
        storescu_run "$sport" "$pdu" "$tls" "${files[@]}" >/dev/null 2>&1
        for ((i = 0; i < 5; i++)); do
            storescu_run "$oport" "$pdu" "$tls" "${files[@]}" >/dev/null 2>&1
        done
        if ((tls)) && [[ $p == BCP195_ND && $pdu == "${pdus%% *}" ]]; then
            # what DCMTK negotiates with itself
            storescu_run "$sport" "$pdu" "$tls" -d "${one[@]}" 2>&1 | grep -m2 -E 'Protocol +:|Ciphersuite +:' \
                | sed 's/^D: */   storescu -> storescp: /' || true
        fi
        d1=() dn=() o1=() on=()
        for ((r = 0; r < reps; r++)); do
            d1+=("$(seconds storescu_run "$sport" "$pdu" "$tls" "${one[@]}")")
            dn+=("$(seconds storescu_run "$sport" "$pdu" "$tls" "${files[@]}")")
            o1+=("$(seconds storescu_run "$oport" "$pdu" "$tls" "${one[@]}")")
            on+=("$(seconds storescu_run "$oport" "$pdu" "$tls" "${files[@]}")")
        done
        dcmtk=$(rate "$(median "${dn[@]}")" "$(median "${d1[@]}")")
        ours_rx=$(rate "$(median "${on[@]}")" "$(median "${o1[@]}")")
        # the receiver's own figure: median of the last REPS associations of COUNT instances on this listener
        self_rx=$(awk -v n="$p-$pdu" -v c="$count" '$1 == "ASSOC" && $2 == n && $5 == c { print $NF }' \
            "$work/receiver.out" | tail -n "$reps" | xargs python3 -c \
            'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))')
        neg=$(awk -v n="$p-$pdu" '$1 == "ASSOC" && $2 == n { print $3, $4 }' "$work/receiver.out" | tail -n 1)
        java_main Sender --pki "$pki" --profile "$p" --port "$sport" --pdu "$pdu" --files "$work/files" \
            --warmup 6 --reps "$reps" >"$work/sender-$p-$pdu.out" 2>"$work/sender-$p-$pdu.err" \
            || { cat "$work/sender-$p-$pdu.err" >&2; exit 1; }
        ours_tx=$(awk '$1 == "RESULT" { print $2 }' "$work/sender-$p-$pdu.out")
        cold_tx=$(awk '$1 == "COLD" { print $8 }' "$work/sender-$p-$pdu.out")
        neg_tx=$(awk '$1 == "RUN" { print $2, $3 }' "$work/sender-$p-$pdu.out" | tail -n 1)
        kill "$spid" 2>/dev/null || true
        wait "$spid" 2>/dev/null || true
        printf '   storescu -> storescp %.1f MB/s | storescu -> ours %.1f MB/s (receiver: %.1f; %s) | ours -> storescp %.1f MB/s (first association %.1f; %s)\n' \
            "$dcmtk" "$ours_rx" "$self_rx" "$neg" "$ours_tx" "$cold_tx" "$neg_tx"
        echo "store $p $pdu $dcmtk $ours_rx $self_rx $ours_tx $cold_tx" >>"$results"
    done
done

echo "== raw TLS 1.3, socat -> socat (OpenSSL $(openssl version | cut -d' ' -f2))"
cat "${files[@]}" >"$work/all.bin"
cp "${one[0]}" "$work/one.bin"
socat_run() { # buffer file
    local port lpid
    port=$(free_port)
    socat -u -b "$1" "OPENSSL-LISTEN:$port,bind=127.0.0.1,reuseaddr,cert=$pki/server.pem,key=$pki/server.key,cafile=$pki/ca.pem,verify=1,openssl-min-proto-version=TLS1.3" \
        OPEN:/dev/null 2>"$work/socat-listen.log" &
    lpid=$!
    pids+=("$lpid")
    await_listen "$port"
    local start=$EPOCHREALTIME
    timeout 60 socat -u -b "$1" "OPEN:$2" \
        "OPENSSL:127.0.0.1:$port,cert=$pki/client.pem,key=$pki/client.key,cafile=$pki/ca.pem,verify=1,openssl-min-proto-version=TLS1.3" \
        2>"$work/socat-connect.log" || {
        echo "socat failed" >&2
        cat "$work/socat-connect.log" >&2
        kill "$lpid" 2>/dev/null
        exit 1
    }
    wait "$lpid" || { echo "socat listener failed" >&2; cat "$work/socat-listen.log" >&2; exit 1; }
    local end=$EPOCHREALTIME
    python3 -c "print($end - $start)"
}
# which suite OpenSSL picks here
port=$(free_port)
socat -u "OPENSSL-LISTEN:$port,bind=127.0.0.1,reuseaddr,cert=$pki/server.pem,key=$pki/server.key,cafile=$pki/ca.pem,verify=1,openssl-min-proto-version=TLS1.3" \
    OPEN:/dev/null 2>/dev/null &
lpid=$!
pids+=("$lpid")
await_listen "$port"
timeout 10 socat -d -d -u "OPEN:$work/one.bin" \
    "OPENSSL:127.0.0.1:$port,cert=$pki/client.pem,key=$pki/client.key,cafile=$pki/ca.pem,verify=1,openssl-min-proto-version=TLS1.3" \
    2>&1 | grep -m1 -o 'SSL connection using .*' | sed 's/^/   /' || true
wait "$lpid" || true
for b in 8192 131072; do
    t1=() tn=()
    socat_run "$b" "$work/all.bin" >/dev/null # warm-up
    for ((r = 0; r < reps; r++)); do
        t1+=("$(socat_run "$b" "$work/one.bin")")
        tn+=("$(socat_run "$b" "$work/all.bin")")
    done
    raw=$(rate "$(median "${tn[@]}")" "$(median "${t1[@]}")")
    printf '   socat -b %d: %.1f MB/s\n' "$b" "$raw"
    echo "raw $b $raw" >>"$results"
done

echo "== C-ECHO associations over TLS (DCMTK --profile-bcp195-nd)"
sport=$(free_port)
TCP_NODELAY=1 storescp --ignore -dhl "${dcmtk_server_tls[@]}" "$sport" >"$work/storescp-echo.log" 2>&1 &
spid=$!
pids+=("$spid")
await_listen "$sport"
closed=$(free_port)
echoscu_rate() { # port -> "associations/s without start-up, associations/s with start-up"
    local e=() c=() i
    for ((i = 0; i < echo_reps; i++)); do
        e+=("$(seconds env TCP_NODELAY=1 echoscu "${dcmtk_client_tls[@]}" 127.0.0.1 "$1")")
        c+=("$(seconds_failing env TCP_NODELAY=1 echoscu "${dcmtk_client_tls[@]}" 127.0.0.1 "$closed")")
    done
    python3 -c "e, c = $(median "${e[@]}"), $(median "${c[@]}"); print(1 / (e - c), 1 / e)"
}
rates=$(echoscu_rate "$sport")
read -r d_rate d_rate_raw <<<"$rates"
printf '   echoscu -> storescp: %.1f associations/s (%.1f with process start-up)\n' "$d_rate" "$d_rate_raw"
echo "echo dcmtk storescp $d_rate $d_rate_raw" >>"$results"
for p in $profiles; do
    [[ $p == NONE ]] && continue
    oport=$(our_port "$p-${pdus%% *}")
    java_main EchoLoop --pki "$pki" --profile "$p" --port "$sport" --count "$echo_count" \
        >"$work/echo-$p.out" 2>"$work/echo-$p.err" || { cat "$work/echo-$p.err" >&2; exit 1; }
    c_rate=$(awk '$1 == "RESULT" { print $2 }' "$work/echo-$p.out")
    java_main EchoLoop --pki "$pki" --profile "$p" --port "$oport" --count "$echo_count" \
        >"$work/echo-$p-ours.out" 2>"$work/echo-$p-ours.err" || { cat "$work/echo-$p-ours.err" >&2; exit 1; }
    o_rate=$(awk '$1 == "RESULT" { print $2 }' "$work/echo-$p-ours.out")
    rates=$(echoscu_rate "$oport")
    read -r s_rate s_rate_raw <<<"$rates"
    printf '   %s: ours -> storescp %.1f/s | echoscu -> ours %.1f/s (%.1f with start-up) | ours -> ours %.1f/s\n' \
        "$p" "$c_rate" "$s_rate" "$s_rate_raw" "$o_rate"
    echo "echo $p $c_rate $s_rate $s_rate_raw $o_rate" >>"$results"
done
kill "$spid" 2>/dev/null || true

echo "== results (MB/s, MB = 10^6 bytes; DCMTK always --profile-bcp195-nd, or plain TCP for NONE)"
python3 - "$results" <<'EOF'
import sys
store, raw, echo = [], {}, {}
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "store":
        store.append((f[1], int(f[2])) + tuple(float(x) for x in f[3:]))
    elif f[0] == "raw":
        raw[int(f[1])] = float(f[2])
    elif f[0] == "echo":
        echo[f[1]] = [x for x in f[2:]]
ceiling = max(raw.values()) if raw else float("nan")
print(f"{'direction':<34}{'ours':<16}{'PDU':>8}{'DCMTK':>9}{'ours':>9}{'ours/DCMTK':>12}{'ours/raw TLS':>14}")
for label, idx in (("receive: storescu -> ours", 1), ("send: ours -> storescp", 3)):
    for p, pdu, dcmtk, rx, self_rx, tx, cold in store:
        mine = rx if idx == 1 else tx
        vs_raw = f"{mine / ceiling:>14.2f}" if p != "NONE" else f"{'':>14}"
        print(f"{label:<34}{p:<16}{pdu // 1024:>6}Ki{dcmtk:>9.1f}{mine:>9.1f}{mine / dcmtk:>12.2f}{vs_raw}")
for b, v in sorted(raw.items()):
    print(f"{'raw TLS 1.3 socat -b ' + str(b):<34}{'':<16}{'':>8}{'':>9}{v:>9.1f}")
d = echo.get("dcmtk")
if d:
    dr = float(d[1])
    print()
    print(f"{'C-ECHO associations/s over TLS':<40}{'ours':>9}{'DCMTK':>9}{'ours/DCMTK':>12}")
    for p, v in echo.items():
        if p == "dcmtk":
            continue
        c, s, s_raw, o = (float(x) for x in v)
        print(f"{'client: ours -> storescp, ' + p:<40}{c:>9.1f}{dr:>9.1f}{c / dr:>12.2f}")
        print(f"{'server: echoscu -> ours, ' + p:<40}{s:>9.1f}{dr:>9.1f}{s / dr:>12.2f}")
        print(f"{'both: ours -> ours, ' + p:<40}{o:>9.1f}")
    print(f"(DCMTK = echoscu -> storescp without process start-up; with it: {float(d[2]):.1f}/s)")
EOF
echo "elapsed: $((SECONDS - started)) s; load now: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -n ${WORK:-} ]]; then
    echo "raw: $results; logs in $work"
fi
