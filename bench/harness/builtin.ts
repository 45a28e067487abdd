/**
 * @module bench/harness/builtin
 * Registers the built-in systems and scenarios: the core ones (the engine against piscina, a
 * direct call and the SDK) and the gateway ones (mcpool serve against the SDK's servers).
 */
import { registerScenario, registerSystem } from './registry.js';
import { coreScenarios, gatewayScenarios } from './scenarios.js';
import { gatewayHttpSystem, gatewayStdioSystem, sdkHttpSystem } from './systems/gateway.js';
import { directSystem } from './systems/direct.js';
import { mcpoolSystem } from './systems/mcpool.js';
import { sdkInMemorySystem, sdkStdioSystem } from './systems/mcp-sdk.js';
import { piscinaSystem } from './systems/piscina.js';

for (const system of [directSystem, piscinaSystem, mcpoolSystem, sdkInMemorySystem, sdkStdioSystem, sdkHttpSystem, gatewayHttpSystem, gatewayStdioSystem]) registerSystem(system);
for (const scenario of [...coreScenarios, ...gatewayScenarios]) registerScenario(scenario);
