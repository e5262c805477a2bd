/** The CLI's requests to a running sandbank (or a partner bank): failures become one line naming the URL. */
import { CliError, unreachable } from './errors.ts';

export interface ProblemBody {
  title?: string;
  detail?: string;
  code?: string;
}

export async function requestJson<T>(url: string, init: RequestInit & { apiKey?: string } = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  if (init.apiKey) headers.set('authorization', `Bearer ${init.apiKey}`);
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
    const hint = response.status === 401 ? ' (check --api-key)' : '';
    throw new CliError(`${init.method ?? 'GET'} ${url}: ${problem.detail ?? problem.title ?? `HTTP ${response.status}`}${problem.code ? ` [${problem.code}]` : ''}${hint}`);
  }
  return { status: response.status, body: body as T };
}
