/**
 * The sandbox export file (docs/sandbox-export.md): one JSON document, versioned, whose
 * `digest` is the SHA-256 of the canonical JSON of everything else, and whose optional
 * `signature` is an HMAC-SHA256 of that digest under the server's export key. A truncated
 * file does not parse, a changed one does not match its digest, a forged one does not match
 * the signature — each is refused with its own code, before anything is created.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxSnapshot } from '../engine/bank.ts';
import { isSandboxSnapshot, snapshotIssues } from './snapshot-schema.ts';

export const EXPORT_FORMAT = 'sandbank.sandbox-export';
export const EXPORT_VERSION = 1;

export interface ExportEnvelope {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** The sandbox clock when it was exported. */
  exportedAt: string;
  source: { sandboxId: string; bank: string };
  sandbox: SandboxSnapshot;
}

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function digestOf(envelope: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(envelope)).digest('hex')}`;
}

function signatureOf(digest: string, key: string): string {
  return `hmac-sha256:${createHmac('sha256', key).update(digest).digest('hex')}`;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The export file's text: the envelope, its digest, and a signature when there is an export key. */
export function writeExportFile(snapshot: SandboxSnapshot, options: { exportKey?: string } = {}): string {
  const envelope: ExportEnvelope = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: snapshot.core.now, source: { sandboxId: snapshot.core.id, bank: snapshot.core.bank }, sandbox: snapshot };
  const digest = digestOf(envelope);
  const { sandbox, ...header } = envelope;
  // Header first and the sandbox last, so a person opening the file sees what it is.
  return `${JSON.stringify({ ...header, digest, ...(options.exportKey ? { signature: signatureOf(digest, options.exportKey) } : {}), sandbox }, null, 1)}\n`;
}

export type ExportRefusal = { ok: false; code: 'EXPORT_UNREADABLE' | 'EXPORT_VERSION_UNSUPPORTED' | 'EXPORT_DIGEST_MISMATCH' | 'EXPORT_SIGNATURE_INVALID' | 'EXPORT_INVALID'; message: string; details?: Record<string, unknown> };

export type ReadExport = { ok: true; snapshot: SandboxSnapshot; source: { sandboxId: string; bank: string }; signed: boolean } | ExportRefusal;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and checks an export file. With an export key, only files signed with it are
 * accepted; without one, the digest alone vouches for the content.
 */
export function readExportFile(text: string, options: { exportKey?: string } = {}): ReadExport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'EXPORT_UNREADABLE', message: `not a complete sandbox export (${error instanceof Error ? error.message : 'invalid JSON'}); is the file truncated?` };
  }
  if (!isRecord(value) || value['format'] !== EXPORT_FORMAT) return { ok: false, code: 'EXPORT_UNREADABLE', message: `not a sandbox export: "format" must be "${EXPORT_FORMAT}"` };
  if (value['version'] !== EXPORT_VERSION) return { ok: false, code: 'EXPORT_VERSION_UNSUPPORTED', message: `export version ${String(value['version'])} is not supported; this server reads version ${EXPORT_VERSION}`, details: { supported: [EXPORT_VERSION] } };
  const { digest, signature, ...envelope } = value;
  if (typeof digest !== 'string' || !same(digest, digestOf(envelope))) {
    return { ok: false, code: 'EXPORT_DIGEST_MISMATCH', message: 'the file does not match its digest: it is corrupt or was changed after export' };
  }
  const signed = typeof signature === 'string';
  if (options.exportKey !== undefined) {
    if (!signed) return { ok: false, code: 'EXPORT_SIGNATURE_INVALID', message: 'this server only imports exports signed with its export key, and this file is not signed' };
    if (!same(signature, signatureOf(digest, options.exportKey))) return { ok: false, code: 'EXPORT_SIGNATURE_INVALID', message: 'the signature does not verify with this server\'s export key: the file was signed elsewhere or changed' };
  }
  const sandbox = envelope['sandbox'];
  const source = envelope['source'];
  if (!isSandboxSnapshot(sandbox) || !isRecord(source)) return { ok: false, code: 'EXPORT_INVALID', message: 'the file is whole but is not a sandbox this server can import', details: { issues: snapshotIssues(sandbox) } };
  return { ok: true, snapshot: sandbox, source: { sandboxId: String(source['sandboxId']), bank: String(source['bank']) }, signed };
}
