/**
 * @module gateway/eras/missing-tasks
 * The `-32021` of a request that needs the tasks extension and did not declare it: a `tasks/*`
 * method, a listen request for task notifications, or a call of a task-required tool.
 */
import type { RpcError } from '../errors.js';
import { MISSING_CAPABILITY } from './classify.js';
import { TASKS_EXTENSION } from './envelope.js';

/** The error, with the `requiredCapabilities` data the specification asks for. */
export function missingTasksError(): RpcError {
  return {
    code: MISSING_CAPABILITY,
    message: `Missing required client capability: the ${TASKS_EXTENSION} extension (declare it in _meta["io.modelcontextprotocol/clientCapabilities"].extensions)`,
    data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  };
}
