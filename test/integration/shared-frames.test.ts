/** The frame path cases (test/support/frame-path-cases) over the shared rings, the default path. */
import { McpManager } from 'mcpool';
import { framePathCases } from '../support/frame-path-cases.js';

framePathCases('the shared rings', McpManager);
