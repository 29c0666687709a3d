// A separate client process for test/http/body-limit.test.ts: fetch (undici) uploads an
// oversized JSON body ROUNDS times with content-length and ROUNDS times chunked, and prints
// what it got back as JSON. In the server's own process the client's writes interleave
// with the server's reads and the reset never shows; across processes it did.
const [url, key, rounds, megabytes] = process.argv.slice(2);
const body = Buffer.from(
  JSON.stringify({
    sku: 'BIG-1',
    name: 'x'.repeat(Number(megabytes) * 1024 * 1024),
    category: 'x',
    price: 1,
  }),
);
const outcomes = {};
const codes = {};
for (let round = 0; round < Number(rounds); round++) {
  for (const chunked of [false, true]) {
    const init = {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: chunked
        ? new ReadableStream({
            start(controller) {
              for (let at = 0; at < body.length; at += 65536)
                controller.enqueue(body.subarray(at, at + 65536));
              controller.close();
            },
          })
        : body,
      duplex: 'half',
    };
    let outcome;
    try {
      const response = await fetch(url, init);
      outcome = String(response.status);
      const answer = await response.json();
      codes[answer.error?.code] = (codes[answer.error?.code] ?? 0) + 1;
    } catch (error) {
      outcome = `failed: ${error.cause?.code ?? error.message}`;
    }
    const name = `${chunked ? 'chunked' : 'content-length'} ${outcome}`;
    outcomes[name] = (outcomes[name] ?? 0) + 1;
  }
}
process.stdout.write(JSON.stringify({ outcomes, codes }));
