/* global fetch, URLSearchParams */
/** JSON requests to the dashboard's own API; a non-2xx answer becomes an ApiError with the server's message. */

export class ApiError extends Error {
  constructor(status, body) {
    super(body && typeof body.error === 'string' ? body.error : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    /** What went wrong, for the banner: database-unavailable, missing-views, bad-parameter, ... */
    this.kind = body && typeof body.kind === 'string' ? body.kind : 'error';
    this.hint = body && typeof body.hint === 'string' ? body.hint : '';
  }
}

/** GET `path` with the defined, non-empty `params`; resolves to the parsed JSON body. */
export async function getJson(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  let response;
  try {
    response = await fetch(text ? `${path}?${text}` : path, { headers: { accept: 'application/json' } });
  } catch (err) {
    throw new ApiError(0, { error: `the dashboard server did not answer (${err.message}); is npm run dashboard still running?`, kind: 'server-unreachable' });
  }
  let body;
  try {
    body = await response.json();
  } catch {
    body = { error: `HTTP ${response.status} ${response.statusText}` };
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}
