/**
 * The link that downloads a report's rows as CSV: the API answers `format=csv` with
 * `Content-Disposition: attachment`, and the session cookie rides along on a same-origin
 * link, so the browser saves the file without the page holding it in memory.
 */
export function csvHref(path: string, query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  search.set('format', 'csv');
  return `${path}?${search.toString()}`;
}
