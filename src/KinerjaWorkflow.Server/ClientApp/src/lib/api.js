// Calls the service's JSON API with the sign-in cookie; errors arrive as RFC 7807 problem details.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Permintaan gagal (HTTP ${status}).`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** Every message the problem carries: its detail, field errors and listed problems. */
  get messages() {
    const messages = [];
    if (this.problem.errors) {
      for (const list of Object.values(this.problem.errors)) messages.push(...list);
    }
    if (messages.length === 0) messages.push(this.message);
    return messages;
  }
}

// Once the user signs out (or the page is being left) a 401 is expected, not a lapsed session: sending the
// browser to the sign-in page with a returnUrl then would race the sign-out's own redirect.
let leavingPage = false;
document.addEventListener('submit', (event) => {
  if (event.target instanceof HTMLFormElement && event.target.classList.contains('signout')) leavingPage = true;
});
window.addEventListener('pagehide', () => { leavingPage = true; });

export async function api(path, { method = 'GET', json, body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin', signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    init.body = body;
  }

  const response = await fetch(path, init);
  if (response.status === 401) {
    // The session ended (expired or signed out elsewhere): back to the sign-in page, then here again.
    if (!leavingPage) window.location.assign(`/masuk?returnUrl=${encodeURIComponent(window.location.pathname + window.location.search)}`);
    throw new ApiError(401, { detail: 'Sesi berakhir; silakan masuk lagi.' });
  }

  const type = response.headers.get('Content-Type') ?? '';
  const payload = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new ApiError(response.status, typeof payload === 'object' ? payload : { detail: payload || undefined });
  }
  return payload;
}

/** The items of a list answer, whether it is a plain array or a page ({ items, ... }). */
export function itemsOf(answer) {
  return Array.isArray(answer) ? answer : (answer?.items ?? []);
}
