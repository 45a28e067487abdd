/**
 * The MCP conformance suite's tool fixtures (`@modelcontextprotocol/conformance` server scenarios
 * `tools-call-*`) as an mcpool worker server, so the suite measures mcpool's own path: the tool
 * runs on a worker thread and its content, logs and progress reach the client through the
 * gateway. Each tool returns what the suite's scenario text asks for.
 *
 * Not here: `test_sampling` and `test_elicitation*`, which need a request from the server to the
 * client; a worker tool has no such call.
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
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
    test_error_handling: {
      description: 'Always fails with a tool error',
      inputSchema: noArguments,
      handler: () => {
        throw new Error('This tool intentionally returns an error for testing');
      },
    },
  },
});
