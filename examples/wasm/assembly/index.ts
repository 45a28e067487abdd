/**
 * Example hyper-mcp plugin (interface v2: `list_tools` and `call_tool`), in AssemblyScript with
 * the Extism PDK. Tools: `echo` and `add` (trivial) and `sha256` (CPU-bound: SHA-256 hashed
 * `rounds` times over). Build: `npm run build:wasm` (writes ../hello.wasm).
 */
import { Host } from '@extism/as-pdk';
import { JsonValue, quote, textResult } from './json';
import { callTool } from './plugin';
import { sha256Rounds } from './sha256';

/** The PDK's abort hook (`--use abort=...`): trap, so the host sees the failure. */
export function pluginAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const TOOLS = '{"tools":['
  + '{"name":"echo","description":"Returns its text","inputSchema":{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}},'
  + '{"name":"add","description":"Adds two numbers","inputSchema":{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}},'
  + '{"name":"sha256","description":"SHA-256 of a text, hashed `rounds` times over (hex digest)","inputSchema":{"type":"object","properties":{"text":{"type":"string"},"rounds":{"type":"integer","minimum":1}},"required":["text"]},'
  + '"annotations":{"readOnlyHint":true,"idempotentHint":true}}'
  + ']}';

export function list_tools(): i32 {
  Host.outputString(TOOLS);
  return 0;
}

function run(name: string, args: JsonValue): string {
  if (name == 'echo') return textResult(args.getString('text', ''));
  if (name == 'add') {
    const sum = args.getNumber('a', 0) + args.getNumber('b', 0);
    // Whole numbers print without a fraction, as JSON.stringify would.
    const text = sum == Math.floor(sum) && Math.abs(sum) < 9e15 ? (<i64>sum).toString() : sum.toString();
    return '{"content":[{"type":"text","text":"' + text + '"}],"structuredContent":{"sum":' + text + '}}';
  }
  if (name == 'sha256') {
    let rounds = <i32>args.getNumber('rounds', 1);
    if (rounds < 1) rounds = 1;
    const digest = sha256Rounds(args.getString('text', ''), rounds);
    return '{"content":[{"type":"text","text":' + quote(digest) + '}],"structuredContent":{"digest":"' + digest + '","rounds":' + rounds.toString() + '}}';
  }
  return textResult('unknown tool ' + name, true);
}

export function call_tool(): i32 {
  return callTool(run);
}
