/**
 * The output side every hyper-mcp plugin here shares (the example and the test plugins): an
 * export writes its JSON answer and returns 0, and interface v2's `call_tool` reads
 * `{ request: { name, arguments } }` and answers the tool's `CallToolResult`. Each plugin only
 * says what its tools do (`run`).
 */
import { Host } from '@extism/as-pdk';
import { JsonValue, parse, textResult } from './json';

/**
 * Writes `json` as the export's output and ends it with success (0). The minimal runtime
 * collects only when asked: at the end of an export nothing on the stack is live.
 */
export function output(json: string): i32 {
  Host.outputString(json);
  __collect();
  return 0;
}

/**
 * Interface v2's `call_tool`: runs the requested tool with `run(name, arguments)` (missing
 * arguments are an empty value) and writes the `CallToolResult` JSON it returns; a request
 * without `request` answers an error result.
 */
export function callTool(run: (name: string, args: JsonValue) => string): i32 {
  const input = parse(Host.inputString());
  const request = input.get('request');
  let out = textResult('missing request', true);
  if (request != null) {
    const args = request.get('arguments');
    out = run(request.getString('name', ''), args != null ? args : new JsonValue());
  }
  return output(out);
}
