// The HTTP client of bench/http-load.ts, in a worker thread so that it does not share
// the server's event loop: node:http with keep-alive, `concurrency` requests in flight.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const {
  base,
  requests,
  headers,
  concurrency,
  seconds,
  expectStatus = 200,
  idempotencyKeyPrefix,
} = workerData;
let sent = 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const url = new URL(base);

function send({ method, path, body }) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKeyPrefix === undefined
            ? {}
            : { 'idempotency-key': `${idempotencyKeyPrefix}${sent++}` }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const latencies = [];
let next = 0;
const deadline = performance.now() + seconds * 1000;
const start = performance.now();
async function loop() {
  while (performance.now() < deadline) {
    const r = requests[next++ % requests.length];
    const t0 = performance.now();
    const { status, text } = await send(r);
    if (status !== expectStatus)
      throw new Error(`${r.method} ${r.path}: ${status} ${text.slice(0, 300)}`);
    latencies.push(performance.now() - t0);
  }
}
await Promise.all(Array.from({ length: concurrency }, loop));
const elapsed = (performance.now() - start) / 1000;
agent.destroy();
parentPort.postMessage({ latencies: Float64Array.from(latencies), elapsed });
