#!/usr/bin/env bash
# Runs the official MCP conformance suite (0.2.0-alpha.12) against `mcpool serve --http` serving
# the suite's fixtures: the tool fixtures on mcpool's own worker threads
# (dist/bench/gateway/conformance-tools.js), the others (resources, prompts, completion,
# server-to-client requests of external servers, list-change triggers, a 2020-12 schema) from an
# SDK server over stdio (dist/bench/gateway/conformance-server.js), and server-everything over
# stdio, all as a transparent proxy ("prefix": ""). SSE polling is on (sseCloseAfterMs 1 s): the
# server-sse-polling scenario's test_reconnection (1.5 s) has its stream closed mid-call. Both requirement sets run: 2026-07-28 (the
# stateless era; its run includes the tasks extension scenarios, not scored) and 2025-11-25 (the
# session era), then every tasks extension scenario the suite lists (`--scenario tasks-...`, at
# the 2026-07-28 wire), each of which must pass (tasks-status-notifications is always skipped by
# the suite). The fixtures' worker server has no circuit breaker: protocol_error_job times out on
# purpose, and enough of those in a row would open it for the scenarios after. Exits 1 when a scored scenario or a tasks scenario fails. REFERENCE=1 also runs the suite against
# server-everything over HTTP, for comparison. Needs a build (npm run build) and the npm
# registry (the suite needs Node >= 22: npx brings node@24).
# Usage: bash bench/gateway/conformance.sh [outdir]
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$(mktemp -d)}"
suite_version="${CONFORMANCE_VERSION:-0.2.0-alpha.12}"
port="${CONFORMANCE_PORT:-39302}"
everything="$root/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
mkdir -p "$out"
cat > "$out/proxy.json" <<JSON
{ "mcpServers": {
  "conformance": { "type": "worker", "module": "$root/dist/bench/gateway/conformance-tools.js", "threads": 1, "prefix": "", "circuitBreaker": false,
    "tools": { "failing_job": { "taskSupport": "required" }, "protocol_error_job": { "timeoutMs": 1000 }, "slow_compute": { "timeoutMs": 120000 } } },
  "fixtures": { "command": "node", "args": ["$root/dist/bench/gateway/conformance-server.js"], "prefix": "" },
  "everything": { "command": "node", "args": ["$everything", "stdio"], "prefix": "" }
},
  "gateway": { "sseCloseAfterMs": 1000, "sseRetryMs": 500 }
}
JSON
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
node "$root/dist/src/cli/main.js" serve --http --port "$port" --config "$out/proxy.json" 2> "$out/serve.log" & pids+=($!)
if [ "${REFERENCE:-0}" = 1 ]; then PORT=$((port - 1)) node "$everything" streamableHttp > /dev/null 2>&1 & pids+=($!); fi
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.2; done
failed=0
suite() { # url requirements label
  npx -y -p node@24 -p "@modelcontextprotocol/conformance@$suite_version" -- conformance server --url "$1" --requirements "$2" -o "$out/$3" > "$out/$3.log" 2>&1
  local code=$?
  echo "== $3 (--requirements $2): $([ $code = 0 ] && echo 'no scored failure' || echo 'SCORED FAILURES')"
  grep -E '^✗|^Total|^Not scored|^  [✓✗]' "$out/$3.log"
  return $code
}
suite "http://127.0.0.1:$port/mcp" 2026-07-28 mcpool-2026 || failed=1
suite "http://127.0.0.1:$port/mcp" 2025-11-25 mcpool-2025 || failed=1
conformance() { npx -y -p node@24 -p "@modelcontextprotocol/conformance@$suite_version" -- conformance "$@"; }
# The tasks scenarios, as the suite lists them.
tasks=$(conformance list 2>/dev/null | grep -oE 'tasks-[a-z0-9-]+' | sort -u)
[ -n "$tasks" ] || { echo "== tasks: the suite lists no tasks scenario"; failed=1; }
for scenario in $tasks; do
  conformance server --url "http://127.0.0.1:$port/mcp" --scenario "$scenario" -o "$out/tasks" > "$out/$scenario.log" 2>&1
  code=$?
  totals=$(grep -E '^Passed:' "$out/$scenario.log" | tail -1)
  case "$totals" in *', 0 failed'*) ;; *) code=1 ;; esac
  echo "== $scenario: $([ $code = 0 ] && echo passed || echo FAILED) (${totals:-no result})"
  grep -E 'FAILURE' "$out/$scenario.log" | sed 's/^/  /'
  [ $code = 0 ] || failed=1
done
if [ "${REFERENCE:-0}" = 1 ]; then
  suite "http://127.0.0.1:$((port - 1))/mcp" 2026-07-28 reference-2026 || true
  suite "http://127.0.0.1:$((port - 1))/mcp" 2025-11-25 reference-2025 || true
fi
echo "logs and results: $out"
exit $failed
