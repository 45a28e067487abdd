/**
 * @module bench/builtin
 * Registers the built-in systems and scenarios. Modules that add their own (the MCP gateway's
 * scenarios) are imported here too, so `mcpool bench` sees them.
 */
import { registerScenario, registerSystem } from './registry.js';
import { coreScenarios } from './scenarios.js';
import { directSystem } from './systems/direct.js';
import { mcpoolSystem } from './systems/mcpool.js';
import { sdkInMemorySystem, sdkStdioSystem } from './systems/mcp-sdk.js';
import { piscinaSystem } from './systems/piscina.js';

for (const system of [directSystem, piscinaSystem, mcpoolSystem, sdkInMemorySystem, sdkStdioSystem]) registerSystem(system);
for (const scenario of coreScenarios) registerScenario(scenario);
