import { describe, expect, it } from 'vitest';
import { LATEST_PROTOCOL_VERSION as SDK_LATEST, SUPPORTED_PROTOCOL_VERSIONS as SDK_VERSIONS } from '@modelcontextprotocol/server';
import { ErrorCode, parseConfig, type McpoolError } from 'mcpool';
// The gateway modules are loaded from source here, so their error class is the source one too.
import { McpoolError as SourceMcpoolError } from '../../../src/errors/mcpool-error.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '../../../src/gateway/versions.js';
import { toolCallFailure, RpcFailure } from '../../../src/gateway/errors.js';
import { Namer } from '../../../src/gateway/names.js';

describe('gateway building blocks', () => {
  it('speaks exactly the protocol versions the SDK supports', () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual(SDK_VERSIONS);
    expect(LATEST_PROTOCOL_VERSION).toBe(SDK_LATEST);
  });

  it('maps every engine error code as the README says', () => {
    const table: [string, 'result' | number, number][] = [
      [ErrorCode.INVALID_ARGUMENTS, 'result', 200],
      [ErrorCode.TOOL_NOT_FOUND, -32602, 200],
      [ErrorCode.SERVER_NOT_FOUND, -32602, 200],
      [ErrorCode.OVERLOADED, -32000, 429],
      [ErrorCode.TIMEOUT, -32000, 200],
      [ErrorCode.TRANSPORT_ERROR, -32000, 200],
      [ErrorCode.SHUTTING_DOWN, -32000, 200],
    ];
    for (const [code, expected, status] of table) {
      const mapped = toolCallFailure(new SourceMcpoolError(code as ErrorCode, 'x'));
      if (expected === 'result') expect(mapped).toMatchObject({ isError: true });
      else {
        expect(mapped).toBeInstanceOf(RpcFailure);
        expect((mapped as RpcFailure).rpc.code).toBe(expected);
        expect((mapped as RpcFailure).rpc.data).toMatchObject({ code });
        expect((mapped as RpcFailure).httpStatus).toBe(status);
      }
    }
  });

  it('names tools <server>__<tool>, honours "prefix", and refuses a name two servers expose', () => {
    const namer = new Namer({ plain: '' });
    expect(namer.expose('math', 'add')).toBe('math__add');
    expect(namer.expose('plain', 'add')).toBe('add');
    expect(() => new Namer({ a: '', b: '' }).index([{ server: 'a', name: 'x' }, { server: 'b', name: 'x' }], 'tool')).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }) as Error,
    );
  });

  it('reads both config keys, expands ${env:NAME}, resolves paths and names the JSON path of a bad field', () => {
    const config = parseConfig(
      {
        mcpServers: { fs: { command: 'node', args: ['x.js'], env: { T: '${env:TOKEN}' }, cwd: 'sub', disabled: false } },
        servers: { remote: { type: 'streamable-http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' }, prefix: '' } },
      },
      '/base',
      '/base/mcpool.json',
      { TOKEN: 't0k' },
    );
    expect(config.servers).toEqual([
      { name: 'fs', type: 'stdio', command: 'node', args: ['x.js'], env: { T: 't0k' }, cwd: '/base/sub' },
      { name: 'remote', type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer t0k' } },
    ]);
    expect(config.prefixes).toEqual({ remote: '' });
    const bad = (() => {
      try {
        parseConfig({ servers: { remote: { url: 'ftp://x' } } }, '/base');
      } catch (error) {
        return error as McpoolError;
      }
      return undefined;
    })();
    expect(bad?.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(bad?.message).toContain('servers.remote.url');
    expect(() => parseConfig({ mcpServers: { x: { command: 'n', env: { A: '${env:MISSING_VAR}' } } } }, '/base', 'f', {})).toThrow(/mcpServers\.x\.env\.A/);
  });
});
