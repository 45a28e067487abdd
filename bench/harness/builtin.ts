/**
 * @module bench/harness/builtin
 * Registers the built-in systems and scenarios: the core ones (the engine against piscina, a
 * direct call and the SDK), the gateway ones (mcpool serve against the SDK's servers), the
 * WebAssembly ones (a plugin against the same tools in JS) and reload under load.
 */
import { registerScenario, registerSystem } from './registry.js';
import { coreScenarios, gatewayScenarios, reloadScenarios, wasmScenarios } from './scenarios.js';
import { gatewayHttpSystem, gatewayStdioSystem, sdkHttpSystem } from './systems/gateway.js';
import { directSystem } from './systems/direct.js';
import { mcpoolSystem } from './systems/mcpool.js';
import { sdkInMemorySystem, sdkStdioSystem } from './systems/mcp-sdk.js';
import { piscinaSystem } from './systems/piscina.js';
import { directJsSystem, reloadingSystem, wasmSystem, workerJsSystem } from './systems/wasm.js';

for (const system of [directSystem, piscinaSystem, mcpoolSystem, sdkInMemorySystem, sdkStdioSystem, sdkHttpSystem, gatewayHttpSystem, gatewayStdioSystem, directJsSystem, workerJsSystem, wasmSystem, reloadingSystem]) registerSystem(system);
for (const scenario of [...coreScenarios, ...gatewayScenarios, ...wasmScenarios, ...reloadScenarios]) registerScenario(scenario);
