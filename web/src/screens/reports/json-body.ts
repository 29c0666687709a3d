/**
 * Report routes declare both JSON and CSV answers, so the typed client sees `data` as
 * either; the screens only ever ask for JSON, and a string here means something between
 * us and the API rewrote the answer.
 */
export function jsonBody<T>(data: T | string | undefined): T {
  if (data === undefined || typeof data === 'string')
    throw new Error('The server answered a report without its JSON body.');
  return data;
}
