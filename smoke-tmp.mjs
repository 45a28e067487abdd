import { spawn } from 'node:child_process';
import { McpManager } from 'mcpool';
import { spawnSync } from 'node:child_process';
const port = 14333;
const ns = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 300));
const url = `nats://127.0.0.1:${port}`;
const node = spawn(process.execPath, ['dist/src/cli/main.js', 'node', '--nats', url, '--name', 'n1'], { stdio: ['ignore', 'inherit', 'inherit'] });
await new Promise((r) => setTimeout(r, 1500));
const caller = new McpManager();
await caller.deployServer({ name: 'm', type: 'nats', url, remoteName: 'math' });
const local = new McpManager();
await local.deployServer({ name: 'math', type: 'worker', module: 'dist/examples/math.js', threads: 2 });
const cpu = (p) => process.cpuUsage(p);
for (let r = 0; r < 8; r++) {
  for (const [mgr, name] of [[caller, 'm'], [local, 'math']]) {
    const calls = Array.from({ length: 10000 }, (_, i) => ({ server: name, tool: 'add', arguments: { a: i, b: 1 } }));
    const c0 = cpu(); const t = performance.now();
    const res = await mgr.executeBatch(calls);
    const ms = performance.now() - t; const c = cpu(c0);
    console.log(name, res.filter(r => !r.ok).length, Math.round(10000 / (ms / 1000)), 'calls/s', ((c.user + c.system) / 10000).toFixed(2), 'us/call caller');
  }
}
await caller.shutdown(); await local.shutdown();
node.kill('SIGTERM'); await new Promise((r) => node.once('exit', (c) => { console.log('node exit', c); r(); }));
ns.kill();
