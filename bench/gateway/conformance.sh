#!/usr/bin/env bash
# Runs the MCP conformance suite's server scenarios against server-everything (the reference)
# and against `mcpool serve --http` serving the suite's tool fixtures on its own worker threads
# (dist/bench/gateway/conformance-tools.js), fronting the suite's other fixtures (resources,
# prompts, completion, sampling, elicitation: dist/bench/gateway/conformance-server.js, an SDK
# server over stdio) and the same server-everything over stdio, all as a transparent proxy
# ("prefix": ""), and prints both summaries. Needs a build (npm run build) and the npm registry
# (the suite needs Node >= 22: npx brings node@24). Usage: bash bench/gateway/conformance.sh [outdir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$(mktemp -d)}"
everything="$root/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
mkdir -p "$out"
cat > "$out/proxy.json" <<JSON
{ "mcpServers": {
  "conformance": { "type": "worker", "module": "$root/dist/bench/gateway/conformance-tools.js", "threads": 1, "prefix": "" },
  "fixtures": { "command": "node", "args": ["$root/dist/bench/gateway/conformance-server.js"], "prefix": "" },
  "everything": { "command": "node", "args": ["$everything", "stdio"], "prefix": "" }
} }
JSON
PORT=39301 node "$everything" streamableHttp > /dev/null 2>&1 & ref=$!
node "$root/dist/src/cli/main.js" serve --http --port 39302 --config "$out/proxy.json" 2> "$out/serve.log" & gw=$!
trap 'kill $ref $gw 2>/dev/null || true' EXIT
sleep 4
suite() { npx -y -p node@24 -p @modelcontextprotocol/conformance@0.1.16 -- conformance server --url "$1" -o "$2" > "$2.log" 2>&1 || true; }
suite http://127.0.0.1:39301/mcp "$out/reference"
suite http://127.0.0.1:39302/mcp "$out/mcpool"
for run in reference mcpool; do
  echo "== $run"; grep -E '^(✓|✗)|^Total' "$out/$run.log"
done
