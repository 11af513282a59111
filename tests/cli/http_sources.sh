#!/usr/bin/env bash
# HTTP(S) sources against a local server on 127.0.0.1 (never the internet): a good answer, a
# flaky one that succeeds on retry, rate limiting, provider error bodies with HTTP 200, an HTML
# page, and the cache serving a source once the server is gone.
set -u
riskoff=$1
tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >"$tmp/server.py" <<'PY'
import http.server, os, sys
state = {"flaky": 0}
FRED = b"observation_date,DGS10\n2026-02-02,4.29\n2026-02-03,4.28\n2026-02-04,4.29\n"
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def answer(self, status, body, kind="text/csv"):
        self.send_response(status); self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        if self.path == "/fred.csv": return self.answer(200, FRED)
        if self.path == "/ua.csv":
            return self.answer(200, FRED) if "riskoff" in self.headers.get("User-Agent", "") else self.answer(429, b"")
        if self.path == "/flaky.csv":
            state["flaky"] += 1
            return self.answer(503, b"busy") if state["flaky"] == 1 else self.answer(200, FRED)
        if self.path == "/limited": return self.answer(429, b"Too Many Requests")
        if self.path == "/nodata": return self.answer(200, b"No data")
        if self.path == "/html": return self.answer(200, b"<html><body>proof of work</body></html>", "text/html")
        if self.path == "/binance": return self.answer(400, b'{"code":-1121,"msg":"Invalid symbol."}', "application/json")
        return self.answer(404, b"not found")
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
python3 "$tmp/server.py" "$tmp/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port"

manifest() {  # manifest FILE READER PATH
  printf '{"format": "riskoff.sources/1", "http": {"cache_dir": "cache", "max_age_hours": 1},\n "inputs": {"us10y": {"reader": "%s", "unit": "percent", "url": "%s%s"}}}\n' "$2" "$base" "$3" >"$1"
}
build() { "$riskoff" snapshot build --sources "$1" --as-of 2026-02-04T21:00:00Z >"$tmp/out" 2>"$tmp/err"; }

manifest "$tmp/good.json" fred_csv /fred.csv
build "$tmp/good.json" || fail "a good URL source: $(cat "$tmp/err")"
grep -q '"2026-02-04T00:00:00Z"' "$tmp/out" || fail "the snapshot lacks the fetched data"
manifest "$tmp/ua.json" fred_csv /ua.csv
build "$tmp/ua.json" || fail "the User-Agent is sent: $(cat "$tmp/err")"
manifest "$tmp/flaky.json" fred_csv /flaky.csv
build "$tmp/flaky.json" || fail "a 503 is retried: $(cat "$tmp/err")"
manifest "$tmp/limited.json" fred_csv /limited
build "$tmp/limited.json" && fail "a rate-limited source must fail"
grep -q "HTTP 429 Too Many Requests" "$tmp/err" || fail "429 explained: $(cat "$tmp/err")"
grep -q "after 3 attempts" "$tmp/err" || fail "429 retried with backoff: $(cat "$tmp/err")"
manifest "$tmp/nodata.json" stooq_csv /nodata
build "$tmp/nodata.json" && fail "Stooq's 'No data' must fail"
grep -q "answered \`No data\`" "$tmp/err" || fail "No data explained: $(cat "$tmp/err")"
manifest "$tmp/html.json" fred_csv /html
build "$tmp/html.json" && fail "an HTML page must fail"
grep -q "HTML page" "$tmp/err" || fail "HTML explained: $(cat "$tmp/err")"
manifest "$tmp/binance.json" binance_klines_json /binance
build "$tmp/binance.json" && fail "an HTTP 400 must fail"
grep -q "Invalid symbol" "$tmp/err" || fail "the provider's message is shown: $(cat "$tmp/err")"

# The cache answers once the server is gone.
kill "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=
build "$tmp/good.json" || fail "the cached copy is used: $(cat "$tmp/err")"

if [ "$failures" -ne 0 ]; then echo "$failures HTTP checks failed"; exit 1; fi
echo "all HTTP source checks passed"
