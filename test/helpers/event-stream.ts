import http from 'node:http';

/** A Server-Sent Events client for tests: a real HTTP connection, parsed as it arrives. */

export interface StreamedEvent {
  /** The SSE `id:` line; null when the message had none. */
  id: string | null;
  event: string;
  data: {
    id: number;
    type: string;
    channel: string | null;
    subject: string;
    createdAt: string;
    data: Record<string, unknown>;
  };
}

export interface EventStreamClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body of a refused request (not 200). */
  body: string;
  events: StreamedEvent[];
  /** How many comment lines (heartbeats) arrived. */
  comments: number;
  /** Resolves once at least `count` events arrived; fails after `timeoutMs` with what did. */
  waitForEvents(count: number, timeoutMs?: number): Promise<StreamedEvent[]>;
  waitFor(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export function openEventStream(
  baseUrl: string,
  path: string,
  options: { key?: string | null; headers?: Record<string, string> } = {},
): Promise<EventStreamClient> {
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(path, baseUrl), { headers, agent: false }, (response) => {
      let buffer = '';
      const waiters = new Set<() => void>();
      let endedResolve!: () => void;
      const ended = new Promise<void>((done) => {
        endedResolve = done;
      });
      const client: EventStreamClient = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: '',
        events: [],
        comments: 0,
        async waitForEvents(count, timeoutMs) {
          await client.waitFor(() => client.events.length >= count, `${count} events`, timeoutMs);
          return client.events;
        },
        waitFor(check, what, timeoutMs = 10_000) {
          if (check()) return Promise.resolve();
          return new Promise((done, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(poll);
              fail(
                new Error(
                  `timed out waiting for ${what}; got ${JSON.stringify(client.events.map((e) => [e.id, e.event, e.data.subject]))}`,
                ),
              );
            }, timeoutMs);
            const poll = () => {
              if (!check()) return;
              clearTimeout(timer);
              waiters.delete(poll);
              done();
            };
            waiters.add(poll);
          });
        },
        ended,
        close: () => request.destroy(),
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (client.status !== 200) {
          client.body += chunk;
          return;
        }
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          parseBlock(client, buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
        for (const poll of [...waiters]) poll();
      });
      response.on('end', endedResolve);
      response.on('close', endedResolve);
      response.on('error', () => endedResolve());
      if (client.status === 200) resolve(client);
      else response.on('end', () => resolve(client));
    });
    request.on('error', reject);
  });
}

function parseBlock(client: EventStreamClient, block: string): void {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) client.comments++;
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length > 0) {
    client.events.push({ id, event, data: JSON.parse(data.join('\n')) as StreamedEvent['data'] });
  }
}
