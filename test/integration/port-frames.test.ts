/**
 * The frame path cases (test/support/frame-path-cases) over the session port alone
 * (`MCPOOL_SHARED_FRAMES=0`, read when mcpool loads: this file runs in its own process).
 */
process.env.MCPOOL_SHARED_FRAMES = '0';
const { McpManager } = await import('mcpool');
const { framePathCases } = await import('../support/frame-path-cases.js');

framePathCases('the session port', McpManager);
