#!/usr/bin/env bash
# Usage: bench/serve_load.sh [BUILD_DIR] [SECONDS] from the repository root, after
#   cmake --preset release -DRISKOFF_BUILD_BENCH=ON && cmake --build build/release --target riskoff riskoff-serve riskoff_serve_baseline
# Load test of `riskoff serve` on 127.0.0.1 with wrk (Debian's `wrk`), bounded in time: POST
# /v1/decide of examples/snapshots/2026-02-04.json (swing), each run for SECONDS (default 10) on 8
# connections:
#   decide, full explanation  the default answer: the explanation built and rendered as JSON (16 KB)
#   decide, summary           formats ["summary"]: action, regime, headline, because; no explanation
#                             built (issue 15's 20,000/s goal is measured on this one)
#   decide + record, summary  record=true: the explanation is rendered for the store, the answer is the summary
# Reports requests/s, p50 and p99, and the ratio of requests/s to the in-process C++ API doing the
# same work on one thread in the same run (riskoff_serve_baseline). After the recording run it
# counts the rows in the store against the 2xx answers wrk saw and runs `riskoff audit verify`.
# Also reports the server's CPU time per request (from /proc/PID/stat over each run) and its ratio
# to the in-process microseconds: the figure that survives a busy machine, where requests/s does
# not. THREADS (default 8) sets the server's --threads.
set -euo pipefail
build=${1:-build/release}
seconds=${2:-10}
R=$build/cli/riskoff
baseline=$build/bench/riskoff_serve_baseline
command -v wrk >/dev/null || { echo "serve_load: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
dir=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
head -c 32 /dev/urandom | base64 >"$dir/token"
jq -c -n --slurpfile s examples/snapshots/2026-02-04.json '{snapshot: $s[0], profile: "swing"}' >"$dir/plain.json"
jq -c -n --slurpfile s examples/snapshots/2026-02-04.json '{snapshot: $s[0], profile: "swing", formats: ["summary"]}' >"$dir/summary.json"
jq -c -n --slurpfile s examples/snapshots/2026-02-04.json '{snapshot: $s[0], profile: "swing", formats: ["summary"], record: true}' >"$dir/record.json"
cat >"$dir/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("TOKEN")
if token then wrk.headers["Authorization"] = "Bearer " .. token end
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.body = file:read("*a")
file:close()
LUA

"$R" serve --ruleset rulesets/riskoff.rules --db "$dir/audit.sqlite" --token-file "$dir/token" --threads "${THREADS:-8}" \
  --listen 127.0.0.1:0 >/dev/null 2>"$dir/serve.log" &
server=$!
for _ in $(seq 200); do grep -q '"listening"' "$dir/serve.log" && break; sleep 0.05; done
port=$(jq -r 'select(.event == "listening") | .port' "$dir/serve.log")

# The server's CPU time so far (user + system, in clock ticks), from /proc.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# wrk's "Requests/sec", its 50% and 99% latencies (in ms), its request count and non-2xx count,
# and the server's CPU microseconds per request over the run (independent of the machine's load,
# unlike requests/s).
load() {
  local before after
  before=$(server_ticks)
  BODY=$1 TOKEN=${2:-} wrk -t 2 -c 8 -d "${seconds}s" --latency -s "$dir/post.lua" "http://127.0.0.1:$port/v1/decide" >"$dir/wrk.txt"
  after=$(server_ticks)
  awk -v cpu_ticks=$((after - before)) -v hz="$ticks_per_second" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    / requests in / { n = $1 }
    /Non-2xx/ { bad = $NF }
    END { printf "%s %.3f %.3f %d %d %.1f\n", rps, p50, p99, n, bad + 0, (n > 0 ? cpu_ticks / hz * 1e6 / n : 0) }' "$dir/wrk.txt"
}
in_process() { "$baseline" . "$@"; }

read -r plain_rps plain_p50 plain_p99 plain_n plain_bad plain_cpu < <(load "$dir/plain.json")
read -r sum_rps sum_p50 sum_p99 sum_n sum_bad sum_cpu < <(load "$dir/summary.json")
read -r rec_rps rec_p50 rec_p99 rec_n rec_bad rec_cpu < <(load "$dir/record.json" "$(cat "$dir/token")")
in_process 500 >"$dir/baseline.json"
plain_us=$(jq -r .request_us "$dir/baseline.json")
sum_us=$(jq -r .summary_us "$dir/baseline.json")
parse_us=$(jq -r .parse_us "$dir/baseline.json")
rec_us=$(in_process 200 "$dir/baseline.sqlite" | jq -r .request_us)
kill -TERM "$server"; wait "$server" || true; server=
rows=$("$R" audit list --db "$dir/audit.sqlite" 2>/dev/null | tail -n +2 | grep -c . || true)
verify=$("$R" audit verify --db "$dir/audit.sqlite" >/dev/null 2>&1 && echo ok || echo FAILED)

ratio() { awk -v rps="$1" -v us="$2" 'BEGIN { printf "%.2f", rps / (1e6 / us) }'; }
cpu_ratio() { awk -v cpu="$1" -v us="$2" 'BEGIN { printf "%.2f", cpu / us }'; }
row() {  # label rps p50 p99 non-2xx in-process-us server-cpu-us
  printf "%-26s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  non-2xx %d  in-process %7.1f us/call (%6.0f/s, 1 thread)  ratio %s  server CPU %7.1f us/req (%sx in-process)\n" \
    "$1" "$2" "$3" "$4" "$5" "$6" "$(awk -v u="$6" 'BEGIN{print 1e6/u}')" "$(ratio "$2" "$6")" "$7" "$(cpu_ratio "$7" "$6")"
}
echo "riskoff serve, wrk -t2 -c8 -d${seconds}s on 127.0.0.1, $(nproc) cores, server --threads ${THREADS:-8}, load: $(cut -d' ' -f1-3 /proc/loadavg)"
row "decide, full explanation" "$plain_rps" "$plain_p50" "$plain_p99" "$plain_bad" "$plain_us" "$plain_cpu"
row "decide, summary" "$sum_rps" "$sum_p50" "$sum_p99" "$sum_bad" "$sum_us" "$sum_cpu"
row "decide + record, summary" "$rec_rps" "$rec_p50" "$rec_p99" "$rec_bad" "$rec_us" "$rec_cpu"
echo "snapshot JSON parse alone, in-process: $parse_us us of each request; recorded rows $rows for $((rec_n - rec_bad)) acknowledged requests (wrk may count a few cut off at the deadline); audit verify: $verify"
