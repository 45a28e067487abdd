/**
 * @module config/load-config
 * Reading a config file on the main thread: `loadConfig` reads and parses the JSON here, and
 * `parseConfig` validates it in the validation thread (config/validate), so zod never loads on
 * the main thread. The format is config/config-file's.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ErrorCode, McpoolError, messageOf } from '../errors/mcpool-error.js';
import type { LoadedConfig } from './config-file.js';
import { parseConfigFile } from './validate.js';

/** Validates a parsed config file; `baseDir` is the folder relative paths resolve against. */
export function parseConfig(raw: unknown, baseDir: string, path = '<config>', env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  return parseConfigFile(raw, baseDir, path, env);
}

/** Reads and validates a config file. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new McpoolError(ErrorCode.INVALID_CONFIG, `cannot read config file ${path}: ${messageOf(error)}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new McpoolError(ErrorCode.INVALID_CONFIG, `config file ${path} is not valid JSON: ${messageOf(error)}`, { cause: error });
  }
  return parseConfig(raw, dirname(path), path, env);
}
