#!/usr/bin/env bash
# HTTP(S) sources against a local server on 127.0.0.1 (never the internet): a good answer, a
# flaky one that succeeds on retry, rate limiting, provider error bodies with HTTP 200, an HTML
# page, and the cache serving a source once the server is gone. Then hostile servers (class
# "network" of tests/hostile/): redirects to gopher:// and file://, a redirect loop, a huge body,
# a gzip bomb, Retry-After, a silent server under the overall deadline, credentials in URLs, and
# a cache folder others can write or with a planted symbolic link.
#
#   http_sources.sh RISKOFF [PART]   (PART: providers, schemes, bodies, waits, secrets, cache)
set -u
riskoff=$1
only=${2:-all}
part() { [ "$only" = all ] || [ "$only" = "$1" ]; }
case $only in all | providers | schemes | bodies | waits | secrets | cache) ;; *) echo "http_sources.sh: no part $only"; exit 2 ;; esac
tmp=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >"$tmp/server.py" <<'PY'
import gzip, http.server, os, socket, sys, threading
state = {"flaky": 0, "loop": 0, "retry_after": 0, "raw": 0}
FRED = b"observation_date,DGS10\n2026-02-02,4.29\n2026-02-03,4.28\n2026-02-04,4.29\n"
# 16 MiB of CSV once inflated, about 16 KiB on the wire.
BOMB = gzip.compress(b"observation_date,DGS10\n" + b"2026-02-04,4.29\n" * (1 << 20))
# A raw TCP port: counts connections (a gopher:// redirect must never reach it); and a silent
# one that accepts and never answers.
def raw_listener(counting):
    sock = socket.socket(); sock.bind(("127.0.0.1", 0)); sock.listen(16)
    held = []
    def serve():
        while True:
            conn, _ = sock.accept(); held.append(conn)
            if counting: state["raw"] += 1
    threading.Thread(target=serve, daemon=True).start()
    return sock.getsockname()[1]
RAW, SILENT = raw_listener(True), raw_listener(False)
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def answer(self, status, body, kind="text/csv", headers=()):
        self.send_response(status); self.send_header("Content-Type", kind)
        for name, value in headers: self.send_header(name, value)
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def redirect(self, where): return self.answer(302, b"", headers=[("Location", where)])
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/fred.csv": return self.answer(200, FRED)
        if self.path == "/to-gopher": return self.redirect("gopher://127.0.0.1:%d/_SET%%20pwned%%201" % RAW)
        if self.path == "/to-file": return self.redirect("file://" + os.environ["SECRET_FILE"])
        if self.path == "/loop":
            state["loop"] += 1; return self.redirect("/loop")
        if self.path == "/huge":  # no Content-Length: the limit must hold while the body streams
            self.send_response(200); self.send_header("Content-Type", "text/csv"); self.end_headers()
            try:
                self.wfile.write(b"observation_date,DGS10\n")
                for _ in range(1 << 16): self.wfile.write(b"2026-02-04,4.29\n" * 4096)
            except OSError: pass
            return
        if self.path == "/gzip": return self.answer(200, gzip.compress(FRED), headers=[("Content-Encoding", "gzip")])
        if self.path == "/bomb": return self.answer(200, BOMB, headers=[("Content-Encoding", "gzip")])
        if self.path == "/retry-after":
            state["retry_after"] += 1
            if state["retry_after"] == 1: return self.answer(503, b"busy", headers=[("Retry-After", "2")])
            return self.answer(200, FRED)
        if self.path == "/retry-after-long": return self.answer(429, b"slow down", headers=[("Retry-After", "3600")])
        if path == "/echo": return self.answer(400, b"refused: " + self.path.encode() + b"\x1b[31m\x00")
        if self.path.startswith("/count/"): return self.answer(200, str(state[self.path[7:]]).encode(), "text/plain")
        if self.path == "/silent-port": return self.answer(200, str(SILENT).encode(), "text/plain")
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
printf 'observation_date,DGS10\n2026-02-04,99.99\nTOPSECRET\n' >"$tmp/secret.csv"
SECRET_FILE="$tmp/secret.csv" python3 "$tmp/server.py" "$tmp/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port"

manifest() {  # manifest FILE READER PATH [HTTP-SETTINGS]: plain http allowed (a local server has no TLS)
  printf '{"format": "riskoff.sources/1", "http": {"cache_dir": "cache", "max_age_hours": 1, "allow_http": true%s},\n "inputs": {"us10y": {"reader": "%s", "unit": "percent", "url": "%s%s"}}}\n' "${4:-}" "$2" "$base" "$3" >"$1"
}
# As of the moment FRED posts 4 Feb (16:15 New York the next business day; docs/sources.md "Clocks").
build() { "$riskoff" snapshot build --sources "$1" --as-of 2026-02-05T21:15:00Z "${@:2}" >"$tmp/out" 2>"$tmp/err"; }

# One part per ctest test (tests/CMakeLists.txt), each well under the time limit; no part
# argument runs them all. The parts are not indented, to keep their history readable.
if part providers; then
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

fi
# --- hostile servers ---------------------------------------------------------------------------
if part schemes; then
# Plain http only where the manifest allows it; gopher:// and file:// never, as a source or a redirect.
printf '{"format": "riskoff.sources/1", "inputs": {"us10y": {"reader": "fred_csv", "unit": "percent", "url": "%s/fred.csv"}}}\n' "$base" >"$tmp/plain.json"
build "$tmp/plain.json"; [ $? -eq 1 ] || fail "plain http without allow_http must fail"
grep -q 'plain http is refused; use https, or allow http with "http": {"allow_http": true}' "$tmp/err" || fail "plain http refused: $(cat "$tmp/err")"
for url in "gopher://127.0.0.1:$port/_SET%20pwned%201" "file://$tmp/secret.csv"; do
  printf '{"format": "riskoff.sources/1", "http": {"allow_http": true}, "inputs": {"us10y": {"reader": "fred_csv", "unit": "percent", "url": "%s"}}}\n' "$url" >"$tmp/scheme.json"
  build "$tmp/scheme.json"; [ $? -eq 1 ] || fail "$url as a source must fail"
  grep -q "only https:// URLs are fetched" "$tmp/err" || fail "$url refused: $(cat "$tmp/err")"
done
manifest "$tmp/gopher.json" fred_csv /to-gopher
build "$tmp/gopher.json" && fail "a redirect to gopher:// must fail"
grep -q "a redirect led to a URL scheme riskoff does not fetch" "$tmp/err" || fail "gopher redirect explained: $(cat "$tmp/err")"
[ "$(curl -s "$base/count/raw")" = 0 ] || fail "a gopher:// redirect reached the raw port"
manifest "$tmp/file.json" fred_csv /to-file
build "$tmp/file.json" && fail "a redirect to file:// must fail"
grep -q "a redirect led to a URL scheme riskoff does not fetch" "$tmp/err" || fail "file redirect explained: $(cat "$tmp/err")"
grep -q "TOPSECRET\|99.99" "$tmp/err" "$tmp/out" && fail "a local file's bytes were shown: $(cat "$tmp/err")"
# A redirect loop: 1 request + 5 redirects, not retried.
manifest "$tmp/loop.json" fred_csv /loop
build "$tmp/loop.json" && fail "a redirect loop must fail"
grep -q "more than 5 redirects" "$tmp/err" || fail "redirect loop explained: $(cat "$tmp/err")"
[ "$(curl -s "$base/count/loop")" -le 6 ] || fail "a redirect loop cost $(curl -s "$base/count/loop") requests"
fi
if part bodies; then
# A body past the limit stops at the limit, streamed or inflated; nothing of it is printed.
manifest "$tmp/huge.json" fred_csv /huge ', "max_body_mb": 1'
build "$tmp/huge.json" && fail "a huge body must fail"
grep -q "the answer is larger than the limit of 1 MiB for HTTP bodies" "$tmp/err" || fail "huge body explained: $(cat "$tmp/err")"
grep -q "after [0-9]* attempts" "$tmp/err" && fail "a body past the limit is not retried: $(cat "$tmp/err")"
manifest "$tmp/bomb.json" fred_csv /bomb ', "max_body_mb": 1'
build "$tmp/bomb.json" && fail "a gzip bomb must fail"
grep -q "larger than the limit of 1 MiB for HTTP bodies (counted after decompression)" "$tmp/err" || fail "gzip bomb explained: $(cat "$tmp/err")"
manifest "$tmp/gzip.json" fred_csv /gzip
build "$tmp/gzip.json" || fail "a gzip answer is inflated and read: $(cat "$tmp/err")"
fi
if part waits; then
# Retry-After: waited for when short, refused when longer than 60 s (one request, no waiting).
manifest "$tmp/retry.json" fred_csv /retry-after
start=$(date +%s)
build "$tmp/retry.json" || fail "a 503 with Retry-After: 2 is retried: $(cat "$tmp/err")"
[ $(( $(date +%s) - start )) -ge 2 ] || fail "Retry-After: 2 was not waited for"
manifest "$tmp/retry-long.json" fred_csv /retry-after-long
start=$(date +%s)
build "$tmp/retry-long.json" && fail "Retry-After: 3600 must fail"
grep -q "asks to retry after 3600 s (Retry-After), longer than the 60 s riskoff waits" "$tmp/err" || fail "long Retry-After explained: $(cat "$tmp/err")"
[ $(( $(date +%s) - start )) -le 10 ] || fail "a long Retry-After was waited for"
# A silent server: three sources share one overall deadline.
silent="http://127.0.0.1:$(curl -s "$base/silent-port")"
printf '{"format": "riskoff.sources/1", "http": {"allow_http": true}, "inputs": {"a": {"reader": "fred_csv", "unit": "percent", "url": "%s/a"}, "b": {"reader": "fred_csv", "unit": "percent", "url": "%s/b"}, "c": {"reader": "fred_csv", "unit": "percent", "url": "%s/c"}}}\n' "$silent" "$silent" "$silent" >"$tmp/silent.json"
start=$(date +%s)
build "$tmp/silent.json" --fetch-deadline 2 && fail "silent servers must fail"
[ $(( $(date +%s) - start )) -le 12 ] || fail "three silent sources took $(( $(date +%s) - start )) s under a 2 s deadline"
[ "$(grep -c "overall deadline for fetching (2 s for all sources)" "$tmp/err")" -eq 3 ] || fail "deadline explained: $(cat "$tmp/err")"
build "$tmp/silent.json" --fetch-deadline 0; [ $? -eq 2 ] || fail "--fetch-deadline 0 is a usage error"
# A name that does not resolve is not retried.
printf '{"format": "riskoff.sources/1", "inputs": {"us10y": {"reader": "fred_csv", "unit": "percent", "url": "https://riskoff-test.invalid/x.csv"}}}\n' >"$tmp/dns.json"
build "$tmp/dns.json" && fail "an unresolvable name must fail"
grep -q "attempts" "$tmp/err" && fail "an unresolvable name was retried: $(cat "$tmp/err")"
fi
if part secrets; then
# Credentials and api keys never reach a message or a snapshot, not even echoed by the server;
# control characters of an error answer are not printed.
auth="http://user:hunter22@127.0.0.1:$port"
printf '{"format": "riskoff.sources/1", "http": {"allow_http": true}, "inputs": {"us10y": {"reader": "fred_csv", "unit": "percent", "url": "%s/fred.csv?series=DGS10&api_key=abcd1234"}}}\n' "$auth" >"$tmp/key.json"
build "$tmp/key.json" || fail "a URL with credentials is fetched: $(cat "$tmp/err")"
grep -q "abcd1234\|hunter22" "$tmp/out" && fail "the snapshot keeps a secret: $(grep source "$tmp/out")"
grep -q '"source": "http://REDACTED@127.0.0.1:[0-9]*/fred.csv?series=DGS10&api_key=REDACTED"' "$tmp/out" || fail "the redacted URL is the source: $(grep source "$tmp/out")"
printf '{"format": "riskoff.sources/1", "http": {"allow_http": true}, "inputs": {"us10y": {"reader": "fred_csv", "unit": "percent", "url": "%s/echo?token=abcd1234"}}}\n' "$auth" >"$tmp/echo.json"
build "$tmp/echo.json" && fail "an HTTP 400 must fail"
grep -q "abcd1234\|hunter22" "$tmp/err" && fail "a secret is printed: $(cat "$tmp/err")"
grep -q "HTTP 400: refused: /echo?token=REDACTED" "$tmp/err" || fail "the provider's answer, redacted: $(cat "$tmp/err")"
grep -q "$(printf '\033')" "$tmp/err" && fail "a control character of the answer was printed"
fi
if part cache; then
# A first fetch makes the cache folder (private) and fills it.
manifest "$tmp/good.json" fred_csv /fred.csv
build "$tmp/good.json" || fail "a good URL source: $(cat "$tmp/err")"
# The cache folder must be private, and a planted symbolic link is never read as an answer.
mkdir -m 777 "$tmp/open-cache" && chmod 777 "$tmp/open-cache"
printf '{"format": "riskoff.sources/1", "http": {"allow_http": true, "cache_dir": "open-cache"}, "inputs": {"us10y": {"reader": "fred_csv", "unit": "percent", "url": "%s/fred.csv"}}}\n' "$base" >"$tmp/open.json"
build "$tmp/open.json" && fail "a world-writable cache folder must be refused"
grep -q "is writable by group or others (mode 0777); the cache must be private" "$tmp/err" || fail "open cache explained: $(cat "$tmp/err")"
manifest "$tmp/plant.json" fred_csv /fred.csv?planted
mkdir -p "$tmp/cache"
ln -sf "$tmp/secret.csv" "$tmp/cache/$(printf '%s' "$base/fred.csv?planted" | sha256sum | cut -c1-64).body"
build "$tmp/plant.json" || fail "a planted link is ignored: $(cat "$tmp/err")"
grep -q "99.99" "$tmp/out" && fail "the planted link was read as the answer"
[ "$(stat -c %a "$tmp/cache")" = 700 ] || fail "the cache folder is not 0700: $(stat -c %a "$tmp/cache")"
ls "$tmp/cache" | grep -q 'XXXXXX\|tmp' && fail "a temporary cache file was left: $(ls "$tmp/cache")"

# The cache answers once the server is gone.
kill "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=
build "$tmp/good.json" || fail "the cached copy is used: $(cat "$tmp/err")"

fi

if [ "$failures" -ne 0 ]; then echo "$failures HTTP checks failed"; exit 1; fi
echo "all HTTP source checks passed"
