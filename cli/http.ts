/** The CLI's requests to a running sandbank (or a partner bank): failures become one line naming the URL. */
import { CliError, unreachable } from './errors.ts';

export interface ProblemBody {
  title?: string;
  detail?: string;
  code?: string;
}

/** A key and where the user gave it ("--operator-key", "SANDBANK_API_KEY"), to name when the server refuses it. */
export interface GivenKey {
  key: string;
  from: string;
}

/** The first key given, in order of precedence: each candidate is [value, its flag, its environment variable]. */
export function firstKey(...candidates: [string | undefined, string, string][]): GivenKey | undefined {
  for (const [value, flag, variable] of candidates) {
    if (value) return { key: value, from: flag };
    const fromEnv = process.env[variable];
    if (fromEnv) return { key: fromEnv, from: variable };
  }
  return undefined;
}

/** The hint after a 401: the flag or variable the refused key came from. */
export function refusedKeyHint(status: number, key: GivenKey | undefined): string {
  return status === 401 && key ? ` (check ${key.from})` : '';
}

export async function requestJson<T>(url: string, init: RequestInit & { apiKey?: string | GivenKey } = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  const given = typeof init.apiKey === 'string' ? { key: init.apiKey, from: '--api-key' } : init.apiKey;
  if (given) headers.set('authorization', `Bearer ${given.key}`);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers });
  } catch (error) {
    throw unreachable(new URL(url).origin, error);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new CliError(`${url} did not answer JSON (HTTP ${response.status}): is this a sandbank server?`);
  }
  if (!response.ok) {
    const problem: ProblemBody = typeof body === 'object' && body !== null ? (body as ProblemBody) : {};
    const hint = refusedKeyHint(response.status, given);
    throw new CliError(`${init.method ?? 'GET'} ${url}: ${problem.detail ?? problem.title ?? `HTTP ${response.status}`}${problem.code ? ` [${problem.code}]` : ''}${hint}`);
  }
  return { status: response.status, body: body as T };
}
