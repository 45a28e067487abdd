/** The floor: a plain `node:http` server answering every request with one fixed JSON-RPC body. `node floor-server.js PORT`. */
import { createServer } from 'node:http';

const body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '{"sum":3}' }], structuredContent: { sum: 3 } } });
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
}).listen(Number(process.argv[2]), '127.0.0.1');
