/**
 * The bureau's side of the overview API for the CLI: one request with the upload token, the
 * answer's JSON on success, and a CliError with the problem's code and detail otherwise (exit
 * 1), or "cannot reach" when nothing answers (exit 2).
 */
import { CliError, isFetchFailure, unreachable } from '../../cli/errors.ts';

export interface OverviewTarget {
  url: string;
  token: string;
}

export interface OverviewProblem {
  code?: string;
  detail?: string;
  issues?: { line?: number; message: string }[];
}

/** The overview's default address: where `sandbank overview start` listens unless given --port. */
export const DEFAULT_OVERVIEW_URL = 'http://127.0.0.1:4100';

export const baseOf = (url: string) => url.replace(/\/+$/, '');

export async function overviewFetch(target: OverviewTarget, path: string, init: { method?: string; body?: Uint8Array | string; contentType?: string } = {}): Promise<{ status: number; text: string; ok: boolean }> {
  const base = baseOf(target.url);
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${target.token}`, ...(init.contentType ? { 'content-type': init.contentType } : {}) },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
  } catch (error) {
    if (!isFetchFailure(error)) throw error;
    throw new CliError(unreachable(base, error).message.replace('`sandbank start`', '`sandbank overview start`'), 2);
  }
  return { status: response.status, ok: response.ok, text: await response.text() };
}

export function problemOf(answer: { status: number; text: string }): OverviewProblem {
  try {
    return JSON.parse(answer.text) as OverviewProblem;
  } catch {
    return { detail: `HTTP ${answer.status}` };
  }
}

/** A JSON request that must succeed: the parsed answer, or the problem as one CLI line. */
export async function overviewJson<T>(target: OverviewTarget, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const answer = await overviewFetch(target, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' }) });
  if (answer.ok) return JSON.parse(answer.text) as T;
  const problem = problemOf(answer);
  const hint = problem.code === 'UNAUTHORIZED' ? ' — use the upload token that `sandbank overview start` printed' : '';
  throw new CliError(`${problem.code ?? `HTTP ${answer.status}`}: ${problem.detail ?? ''}${hint}`);
}
