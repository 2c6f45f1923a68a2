/**
 * A stable, low-cardinality name for one Salesforce REST request, for call counters and latency
 * metrics (R1 reporting): `GET query`, `PATCH composite/sobjects`, `GET sobjects/Opportunity/{id}`.
 * Record ids and query locators are replaced so the metric does not grow one label per record.
 */
export function apiOperationOf(method: string, url: string): string {
  let path: string;
  try {
    path = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    path = url;
  }
  const trimmed = path
    .replace(/^\/services\/data\/v\d+\.\d+/, '')
    .replace(/^\/services\//, '/')
    .split('/')
    .filter(Boolean)
    .map((segment) =>
      /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?(?:-\d+)?$/.test(segment) && /\d/.test(segment)
        ? '{id}'
        : segment,
    )
    .join('/');
  return `${method.toUpperCase()} ${trimmed}`;
}
