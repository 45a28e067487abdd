/**
 * @module servers/external/stdio-actor
 * An external MCP server run as a child process and spoken to over its stdin/stdout (the SDK's
 * stdio client transport). The child's stderr is piped and kept (its last lines are the
 * server's `lastError`), never mixed into this process's stdout. A child that exits fails its
 * calls in flight with `TRANSPORT_ERROR` and is started again with backoff.
 */
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { clientStdio, loadClientStdio } from './client-sdk.js';
import type { StdioServerConfig } from '../../config/external-schema.js';
import type { RestartPolicy } from '../../config/resilience-schema.js';
import type { ActorHost } from '../actor.js';
import { ExternalActor } from './external-actor.js';
import { StderrTail } from './stderr-tail.js';

/** An external server over stdio. */
export class StdioActor extends ExternalActor {
  readonly #config: StdioServerConfig;
  readonly #stderr = new StderrTail();
  #transport: StdioClientTransport | undefined;

  constructor(config: StdioServerConfig, restart: RestartPolicy, host: ActorHost, connectionTimeoutMs: number) {
    super(
      { name: config.name, type: 'stdio', timeoutMs: config.timeoutMs, maxQueue: config.maxQueue, restart, connectionTimeoutMs, protocol: config.protocol },
      host,
    );
    this.#config = config;
  }

  /** Process id of the running child, if one runs. */
  get pid(): number | undefined {
    return this.#transport?.pid ?? undefined;
  }

  protected async loadTransport(): Promise<void> {
    await loadClientStdio();
  }

  protected makeTransport(): StdioClientTransport {
    const { StdioClientTransport, getDefaultEnvironment } = clientStdio();
    const { command, args, env, cwd } = this.#config;
    const transport = new StdioClientTransport({
      command,
      args,
      // The SDK's default environment passes only safe variables (PATH, HOME, ...); the config adds to it.
      env: { ...getDefaultEnvironment(), ...env },
      stderr: 'pipe',
      ...(cwd === undefined ? {} : { cwd }),
    });
    this.#stderr.follow(transport.stderr);
    this.#transport = transport;
    // The SDK's send waits for 'drain' with one listener per message written while the pipe is
    // full: with hundreds of calls in flight that is expected, not a leak, so Node's warning at
    // 11 listeners would only be noise. The child's stdin is not public, hence the guarded read.
    const start = transport.start.bind(transport);
    transport.start = async () => {
      await start();
      (transport as unknown as { _process?: { stdin?: { setMaxListeners?: (n: number) => void } } })._process?.stdin?.setMaxListeners?.(0);
    };
    return transport;
  }

  protected override describeFailure(message: string): string {
    const tail = this.#stderr.failure();
    return tail === undefined ? message : `${message}; stderr: ${tail}`;
  }

  protected override releaseTransport(): void {
    this.#transport = undefined;
  }

  protected override recentOutput(): string | undefined {
    // The child's own words are the most useful report of what went wrong.
    return this.#stderr.failure();
  }
}
