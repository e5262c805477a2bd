/**
 * The route table speaks this small request/response shape, not node's or the fetch API's:
 * the node:http adapter and the msw adapter each convert cheaply, and the hot path never
 * builds a WHATWG Request.
 */
export interface ApiRequest {
  method: string;
  /** Path without query string, e.g. `/v1/swedbank/payment-files`. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  header(name: string): string | undefined;
  /** The body, read at most up to the configured limit (see readBody in the adapters). */
  body(): Promise<Uint8Array>;
  /**
   * The body piece by piece as it arrives, for uploads that are stored and parsed on the way
   * (the same limit applies: the iteration throws BodyTooLarge). Adapters without one are
   * read whole with `body()`. Use one or the other, once.
   */
  stream?(): AsyncIterable<Uint8Array>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}

/** The client went away or broke the body off: nothing went wrong on this side. */
export class RequestAborted extends Error {
  constructor() {
    super('the request body was broken off');
  }
}

export const DEFAULT_BODY_LIMIT_BYTES = 128 * 1024 * 1024;
