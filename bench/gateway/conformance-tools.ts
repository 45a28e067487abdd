/**
 * The MCP conformance suite's tool fixtures (`@modelcontextprotocol/conformance` server scenarios
 * `tools-call-*`) as an mcpool worker server, so the suite measures mcpool's own path: the tool
 * runs on a worker thread and its content, logs and progress reach the client through the
 * gateway. Each tool returns what the suite's scenario text asks for.
 *
 * The stateless era's fixtures (server-stateless, input-required-result-*) ask the client with
 * `ctx.elicit`, `ctx.createMessage` and `ctx.listRoots`: the gateway turns each into an MRTR
 * `input_required` round for a 2026-07-28 client (the keys are the ones the suite expects) and
 * into a server-to-client request for a legacy one. The list-change triggers are in the SDK
 * fixture server (conformance-server.ts): a worker server's tool list is fixed.
 *
 * The tasks extension's fixtures (greet, slow_compute, failing_job, protocol_error_job,
 * confirm_delete, multi_input, test_tool_with_task) run here too: the gateway makes a task of a
 * call that runs long or asks the client, `tasks/cancel` aborts `ctx.signal`, and
 * `test_tool_with_task` asks `beforeTask` (an MRTR round) before its call becomes a task. The
 * config (conformance.sh) makes `failing_job` task-required and gives `protocol_error_job` a
 * 1 s timeout, the protocol-level failure it ends in.
 */
import { defineServer } from 'mcpool';
import { z } from 'zod';

/** A 1x1 red PNG, as the suite suggests. */
const RED_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
/** 0.01 s of silence as a 16-bit mono WAV at 8 kHz (44-byte header and 160 zero bytes). */
const SILENT_WAV = (() => {
  const samples = 80;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(16_000, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  return wav.toString('base64');
})();

const noArguments = z.object({});
const nameSchema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const okSchema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
/** The text of an elicitation or sampling answer, for the results. */
const textOf = (answer: Record<string, unknown>): string => JSON.stringify(answer.content ?? answer);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits `ms`, or rejects when `signal` aborts (a cancelled task stops at once). */
const sleepUnless = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Error('cancelled'));
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    }, { once: true });
  });
const confirmSchema = { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] };

export default defineServer({
  name: 'conformance',
  version: '1.0.0',
  description: "The MCP conformance suite's tool fixtures, run on worker threads",
  tools: {
    test_simple_text: {
      description: 'Returns one text block',
      inputSchema: noArguments,
      handler: () => 'This is a simple text response for testing.',
    },
    test_image_content: {
      description: 'Returns a 1x1 PNG image',
      inputSchema: noArguments,
      handler: () => ({ content: [{ type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' }] }),
    },
    test_audio_content: {
      description: 'Returns a short WAV clip',
      inputSchema: noArguments,
      handler: () => ({ content: [{ type: 'audio', data: SILENT_WAV, mimeType: 'audio/wav' }] }),
    },
    test_embedded_resource: {
      description: 'Returns an embedded text resource',
      inputSchema: noArguments,
      handler: () => ({
        content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }],
      }),
    },
    test_multiple_content_types: {
      description: 'Returns text, an image and an embedded resource',
      inputSchema: noArguments,
      handler: () => ({
        content: [
          { type: 'text', text: 'Multiple content types test:' },
          { type: 'image', data: RED_PIXEL_PNG, mimeType: 'image/png' },
          { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) } },
        ],
      }),
    },
    test_tool_with_logging: {
      description: 'Sends three info log messages, 50 ms apart, while it runs',
      inputSchema: noArguments,
      handler: async (_args, ctx) => {
        ctx.log('info', 'Tool execution started');
        await sleep(50);
        ctx.log('info', 'Tool processing data');
        await sleep(50);
        ctx.log('info', 'Tool execution completed');
        return 'Logging test completed';
      },
    },
    test_tool_with_progress: {
      description: 'Reports progress 0, 50 and 100 of 100, 50 ms apart',
      inputSchema: noArguments,
      handler: async (_args, ctx) => {
        ctx.progress(0, 100);
        await sleep(50);
        ctx.progress(50, 100);
        await sleep(50);
        ctx.progress(100, 100);
        return 'Progress test completed';
      },
    },
    test_missing_capability: {
      description: "Needs the client's sampling capability (without it: -32021)",
      inputSchema: noArguments,
      handler: async (_args, ctx) => textOf(await ctx.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 10 })),
    },
    test_streaming_elicitation: {
      description: 'Asks the user for a name while it runs (never a request on the stream: input_required)',
      inputSchema: noArguments,
      handler: async (_args, ctx) => `Hello ${textOf(await ctx.elicit({ message: 'What is your name?', requestedSchema: nameSchema }))}`,
    },
    test_logging_tool: {
      description: 'Logs three messages (a client that sets no _meta logLevel gets none)',
      inputSchema: noArguments,
      handler: (_args, ctx) => {
        for (const step of ['started', 'working', 'done']) ctx.log('info', `test_logging_tool ${step}`);
        return 'Logging tool done';
      },
    },
    test_input_required_result_elicitation: {
      description: 'One elicitation round (key user_name)',
      inputSchema: noArguments,
      handler: async (_args, ctx) => `Hello, ${textOf(await ctx.elicit({ message: 'What is your name?', requestedSchema: nameSchema }, { key: 'user_name' }))}`,
    },
    test_input_required_result_sampling: {
      description: 'One sampling round (key capital_question)',
      inputSchema: noArguments,
      handler: async (_args, ctx) =>
        `LLM response: ${textOf(await ctx.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }], maxTokens: 100 }, { key: 'capital_question' }))}`,
    },
    test_input_required_result_list_roots: {
      description: 'One roots/list round (key client_roots)',
      inputSchema: noArguments,
      handler: async (_args, ctx) => `Roots: ${JSON.stringify((await ctx.listRoots({ key: 'client_roots' })).roots ?? [])}`,
    },
    test_input_required_result_request_state: {
      description: 'One elicitation round whose continuation is checked against its requestState',
      inputSchema: noArguments,
      handler: async (_args, ctx) => `state-ok: ${textOf(await ctx.elicit({ message: 'Please confirm', requestedSchema: okSchema }, { key: 'confirm' }))}`,
    },
    test_input_required_result_multiple_inputs: {
      description: 'Elicitation, sampling and roots/list in one round',
      inputSchema: noArguments,
      handler: async (_args, ctx) => {
        const [name, greeting, roots] = await Promise.all([
          ctx.elicit({ message: 'What is your name?', requestedSchema: nameSchema }, { key: 'user_name' }),
          ctx.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 }, { key: 'greeting' }),
          ctx.listRoots({ key: 'client_roots' }),
        ]);
        return `name=${textOf(name)} greeting=${textOf(greeting)} roots=${JSON.stringify(roots.roots ?? [])}`;
      },
    },
    test_input_required_result_multi_round: {
      description: 'Two elicitation rounds (step1, then step2)',
      inputSchema: noArguments,
      handler: async (_args, ctx) => {
        const name = await ctx.elicit({ message: 'Step 1: What is your name?', requestedSchema: nameSchema }, { key: 'step1' });
        const age = await ctx.elicit({ message: 'Step 2: How old are you?', requestedSchema: { type: 'object', properties: { age: { type: 'number' } }, required: ['age'] } }, { key: 'step2' });
        return `multi-round complete: ${textOf(name)} ${textOf(age)}`;
      },
    },
    test_input_required_result_tampered_state: {
      description: 'One elicitation round whose requestState is integrity-protected',
      inputSchema: noArguments,
      handler: async (_args, ctx) => `confirmed: ${textOf(await ctx.elicit({ message: 'Please confirm', requestedSchema: okSchema }, { key: 'confirm' }))}`,
    },
    test_input_required_result_capabilities: {
      description: 'Asks only what the client declared: elicitation and sampling are tried, each on its own',
      inputSchema: noArguments,
      handler: async (_args, ctx) => {
        const answers = await Promise.allSettled([
          ctx.elicit({ message: 'What is your name?', requestedSchema: nameSchema }, { key: 'user_name' }),
          ctx.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 10 }, { key: 'greeting' }),
        ]);
        return answers.map((answer) => (answer.status === 'fulfilled' ? textOf(answer.value) : 'not asked')).join(', ');
      },
    },
    greet: {
      description: 'Greets by name at once (never a task)',
      inputSchema: z.object({ name: z.string() }),
      taskSupport: 'forbidden',
      handler: ({ name }) => `Hello, ${name}!`,
    },
    slow_compute: {
      description: 'Works for `seconds` seconds (a task when it runs long), then returns its label; cancellable',
      inputSchema: z.object({ seconds: z.number().nonnegative(), label: z.string().optional() }),
      handler: async ({ seconds, label }, ctx) => {
        await sleepUnless(seconds * 1000, ctx.signal);
        return `slow_compute ${label ?? ''} done after ${seconds} s`;
      },
    },
    failing_job: {
      description: 'Fails with a tool error after about 1 s (task-required by the config)',
      inputSchema: noArguments,
      handler: async (_args, ctx) => {
        await sleepUnless(1000, ctx.signal);
        throw new Error('failing_job failed, as it always does');
      },
    },
    protocol_error_job: {
      description: 'Never answers: its 1 s timeout (the config) fails the call with a protocol-level error',
      inputSchema: noArguments,
      handler: (_args, ctx) => sleepUnless(3_600_000, ctx.signal),
    },
    confirm_delete: {
      description: 'Asks the user to confirm the deletion of a file (one elicitation), then says what it did',
      inputSchema: z.object({ filename: z.string() }),
      handler: async ({ filename }, ctx) => {
        const answer = await ctx.elicit({ message: `Delete ${filename}?`, requestedSchema: confirmSchema }, { key: 'confirm_delete' });
        const content = answer.content as { confirm?: unknown } | undefined;
        return answer.action === 'accept' && content?.confirm === true ? `Deleted ${filename}` : `Kept ${filename}`;
      },
    },
    multi_input: {
      description: 'Asks two questions at once (two elicitations outstanding together)',
      inputSchema: noArguments,
      handler: async (_args, ctx) => {
        const [name, confirm] = await Promise.all([
          ctx.elicit({ message: 'What is your name?', requestedSchema: nameSchema }, { key: 'name' }),
          ctx.elicit({ message: 'Proceed?', requestedSchema: confirmSchema }, { key: 'confirm' }),
        ]);
        return `name=${textOf(name)} confirm=${textOf(confirm)}`;
      },
    },
    test_tool_with_task: {
      description: 'Asks for a name in an MRTR round, then works as a task (task-required)',
      inputSchema: noArguments,
      taskSupport: 'required',
      handler: async (_args, ctx) => {
        const answer = await ctx.elicit({ message: 'What is your name?', requestedSchema: nameSchema }, { key: 'user_name', beforeTask: true });
        await sleepUnless(500, ctx.signal);
        const content = answer.content as { name?: unknown } | undefined;
        return `Hello, ${typeof content?.name === 'string' ? content.name : textOf(answer)}! (from the task)`;
      },
    },
    test_reconnection: {
      description: 'Runs 1.5 s, past the gateway\'s sseCloseAfterMs (1 s in conformance.sh): the gateway closes the SSE stream mid-call and the client resumes it with Last-Event-ID (SEP-1699)',
      inputSchema: noArguments,
      handler: async () => {
        await sleep(1_500);
        return 'Reconnection test completed';
      },
    },
    test_error_handling: {
      description: 'Always fails with a tool error',
      inputSchema: noArguments,
      handler: () => {
        throw new Error('This tool intentionally returns an error for testing');
      },
    },
  },
});
