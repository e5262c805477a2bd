/**
 * Submission of payment files: an upload is stored and acknowledged RECEIVED (idempotent by
 * Idempotency-Key and by content), then validated by the back office (intake.ts does the
 * format rules; here the debtor account, dates, duplicates and the resulting statuses and
 * pain.002).
 */
import { createHash } from 'node:crypto';

import { dayNumber, isBankDay } from './calendar.ts';
import { fail, ok, type EngineResult } from './errors.ts';
import { emit } from './events.ts';
import { createIntake, intake, type IntakeReader } from './intake.ts';
import { reportStatus } from './mailbox.ts';
import type { FileStatus, Payment, PaymentFile, SandboxAccount, StatusReason } from './model.ts';
import { flush, openRaw } from './persistence.ts';
import { dateOf, digitsOnly, pad, profileOf, reserveIdentity, type Dirty, type EngineDeps, type PendingValidation, type SandboxState } from './state.ts';
import type { BlobWriter } from './store-port.ts';
import { setFileStatus, setPaymentStatus } from './transitions.ts';

export interface SubmitResult {
  fileId: string;
  status: FileStatus;
  idempotencyHit: boolean;
}

/** Reads MsgId from the group header without parsing the whole document. */
export function sniffMessageId(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 8192)).toString('utf8');
  if (!head.trimStart().startsWith('<') && !head.startsWith('\uFEFF')) return undefined;
  const m = /<(?:\w+:)?GrpHdr>\s*<(?:\w+:)?MsgId>([^<]{1,64})<\/(?:\w+:)?MsgId>/.exec(head);
  return m?.[1]?.trim() ?? '';
}

/** An upload read to its end: its digest, its head, the intake reading it, its bytes in the store (not yet committed). */
export interface ReceivedUpload {
  digest: string;
  sizeBytes: number;
  messageId: string | undefined;
  reading: IntakeReader;
  raw: BlobWriter;
}

const SNIFF_HEAD_BYTES = 8192;

/**
 * Reads an upload as it arrives, outside the sandbox's lock: every piece goes to the store,
 * the digest and the pain.001 parse in the same pass, so nothing holds the whole file. A
 * failure on the way (the body limit, a dropped connection) leaves nothing stored.
 */
export async function receiveUpload(deps: EngineDeps, state: SandboxState, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<EngineResult<ReceivedUpload>> {
  const hash = createHash('sha256');
  const reading = createIntake(profileOf(state));
  const raw = await openRaw(deps.store, state);
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let sizeBytes = 0;
  try {
    for await (const piece of body instanceof Uint8Array ? [body] : body) {
      if (piece.length === 0) continue;
      sizeBytes += piece.length;
      hash.update(piece);
      if (headBytes < SNIFF_HEAD_BYTES) {
        head.push(piece);
        headBytes += piece.length;
      }
      // The disk write runs while this piece is parsed.
      const written = raw.write(piece);
      reading.write(piece);
      await written;
    }
  } catch (error) {
    await raw.abort();
    throw error;
  }
  if (sizeBytes === 0) {
    await raw.abort();
    return fail('INVALID_REQUEST', 'the request body is empty: send the payment file');
  }
  return ok({ digest: hash.digest('hex'), sizeBytes, messageId: sniffMessageId(Buffer.concat(head)), reading, raw });
}

/**
 * Records a received upload and acknowledges it as RECEIVED (under the sandbox's lock): the
 * raw bytes are committed first, then the group with the file's document, its event and the
 * core, so a visible file always has its bytes. Validation runs after the acknowledgement
 * (the queued job), as a bank's intake does.
 */
export async function submitFile(deps: EngineDeps, state: SandboxState, upload: ReceivedUpload, options: { idempotencyKey?: string }): Promise<EngineResult<SubmitResult>> {
  const { digest, messageId } = upload;
  if (options.idempotencyKey !== undefined) {
    const existingId = state.byIdempotencyKey.get(options.idempotencyKey);
    const existing = existingId === undefined ? undefined : state.files.get(existingId);
    if (existing) {
      await upload.raw.abort();
      if (existing.sha256 !== digest) return fail('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${options.idempotencyKey} was used for a different file (${existing.id})`, { fileId: existing.id });
      return ok({ fileId: existing.id, status: existing.status, idempotencyHit: true });
    }
  }
  // Identical bytes under a new key (or none) are a new upload: the duplicate-file control in
  // validation rejects it DUPL, as a bank does. Only the same key answers the original.
  const core = state.core;
  const file: PaymentFile = {
    id: `pf_${pad(core.counters.file + 1)}`,
    format: messageId === undefined ? 'lb' : 'pain.001.001.03',
    receivedAt: core.now,
    sha256: digest,
    sizeBytes: upload.sizeBytes,
    messageId: messageId ?? '',
    idempotencyKeys: options.idempotencyKey === undefined ? [] : [options.idempotencyKey],
    status: 'RECEIVED',
    reasons: [],
    issues: [],
    numberOfTransactions: 0,
    controlSumOre: 0,
    payments: [],
  };
  // A failed commit leaves the sandbox as it was (the counter not taken).
  await upload.raw.commit(file.id);
  core.counters.file++;
  state.files.set(file.id, file);
  if (options.idempotencyKey !== undefined) state.byIdempotencyKey.set(options.idempotencyKey, file.id);
  state.queue.push({ kind: 'validate', fileId: file.id, source: { reading: upload.reading } });
  const dirty: Dirty = new Set([`file:${file.id}`]);
  emit(state, 'payment_file.status_changed', { fileId: file.id, status: 'RECEIVED' }, dirty);
  await flush(deps, state, dirty);
  return ok({ fileId: file.id, status: file.status, idempotencyHit: false });
}

/** The company's account a file names as debtor (IBAN, BBAN with 4- or 5-digit clearing, or the bankgiro). */
function debtorAccountFor(state: SandboxState, written: string): SandboxAccount | undefined {
  const digits = digitsOnly(written);
  const upper = written.replace(/\s/g, '').toUpperCase();
  return state.core.accounts.find((a) => a.iban === upper || digits === `${a.clearing}${a.accountNumber}` || digits === `${a.clearing.slice(0, 4)}${a.accountNumber}`)
    ?? (digits === state.core.company.bankgiro ? state.core.accounts.find((a) => a.primary) : undefined);
}

export function validateFile(state: SandboxState, job: PendingValidation, dirty: Dirty): void {
  const file = state.files.get(job.fileId);
  if (!file || file.status !== 'RECEIVED') return;
  const core = state.core;
  const profile = profileOf(state);
  const result = 'reading' in job.source ? job.source.reading.close() : intake(job.source.bytes, profile);
  file.format = result.format;
  file.issues = result.issues.slice(0, 200).map((i) => ({ path: i.path, code: i.code, message: i.message, severity: i.severity, ...(i.line === undefined ? {} : { line: i.line }) }));
  // A file without a message id of its own (LB, not a payment file, or XML too broken to read
  // one from) is named by its content: its pain.002 must name an original message (1–35 characters).
  const ownId = result.format === 'lb' || result.format === 'unknown' ? '' : result.messageId.trim();
  file.messageId = ownId.length >= 1 && ownId.length <= 35 ? ownId : `${result.format === 'lb' ? result.messageId : 'UNKNOWN'}-${file.sha256.slice(0, 12)}`;
  const fileReasons = [...result.fileRejections];
  // The duplicate-file control (one rule, see reservesMessageId): identical bytes, or the same
  // MsgId, as a file the bank has already accepted.
  const sameBytes = state.bySha.get(file.sha256);
  const duplicateOf = state.byMessageId.get(file.messageId);
  if (sameBytes !== undefined && sameBytes !== file.id) {
    fileReasons.unshift({ code: 'DUPL', message: `the same file was already received (${sameBytes})` });
  } else if (file.messageId && duplicateOf !== undefined && duplicateOf !== file.id) {
    fileReasons.unshift({ code: 'DUPL', message: `message id ${file.messageId} was already received (${duplicateOf}) with different content` });
  }
  const today = dateOf(core.now);
  const policy = profile.nonBankDayPolicy[file.format === 'lb' ? 'lb' : 'pain001'];
  // A file names a handful of debtor accounts for all its payments: each is looked up once.
  const debtors = new Map<string, SandboxAccount | undefined>();
  // …and most share one requested date: its checks are made once.
  const dateRejections = new Map<string, StatusReason[]>();
  for (const ip of result.payments) {
    core.counters.payment++;
    let debtor = debtors.get(ip.debtorAccount);
    if (debtor === undefined && !debtors.has(ip.debtorAccount)) {
      debtor = debtorAccountFor(state, ip.debtorAccount);
      debtors.set(ip.debtorAccount, debtor);
    }
    const rejections = [...ip.rejections];
    if (!debtor) rejections.push({ code: 'AC02', message: `debtor account ${ip.debtorAccount} is not an account of ${core.company.name} at ${profile.displayName}` });
    const date = ip.requestedExecutionDate;
    let forDate = dateRejections.get(date);
    if (forDate === undefined) {
      forDate = [];
      if (date !== '' && !isBankDay(date) && policy === 'reject') forDate.push({ code: 'DT01', message: `${date} is not a bank day` });
      if (date !== '' && dayNumber(date) > dayNumber(today) + profile.maxFutureDays) forDate.push({ code: 'DT01', message: `${date} is more than ${profile.maxFutureDays} days ahead` });
      dateRejections.set(date, forDate);
    }
    for (const rejection of forDate) rejections.push({ ...rejection });
    const payment: Payment = {
      id: `pmt_${pad(core.counters.payment, 7)}`,
      fileId: file.id,
      paymentInformationId: ip.paymentInformationId,
      endToEndId: ip.endToEndId,
      amountOre: ip.amountOre,
      currency: ip.currency,
      debtorAccountId: debtor?.id ?? '',
      creditor: ip.creditor,
      requestedExecutionDate: date,
      status: 'RECEIVED',
      reasons: [],
      retries: 0,
      history: [{ at: core.now, status: 'RECEIVED' }],
    };
    if (ip.instructionId !== undefined) payment.instructionId = ip.instructionId;
    if (ip.reference !== undefined) payment.reference = ip.reference;
    file.payments.push(payment);
    state.payments.set(payment.id, payment);
    if (fileReasons.length === 0 && rejections.length > 0) {
      payment.status = 'REJECTED';
      payment.reasons.push(...rejections);
      payment.history.push({ at: core.now, status: 'REJECTED', reason: rejections.map((r) => `${r.code} ${r.message}`).join('; ') });
    }
  }
  // The intake's copies are not needed past this point (a 100k file's would be held through its report).
  result.payments.length = 0;
  file.numberOfTransactions = file.payments.length;
  file.controlSumOre = file.payments.reduce((sum, p) => sum + p.amountOre, 0);
  dirty.add(`file:${file.id}`);
  if (fileReasons.length > 0) {
    file.reasons = fileReasons;
    for (const p of file.payments) {
      p.status = 'REJECTED';
      p.reasons.push(fileReasons[0] as StatusReason);
      p.history.push({ at: core.now, status: 'REJECTED', reason: `${fileReasons[0]?.code} file rejected` });
    }
    setFileStatus(state, file, 'REJECTED', dirty);
    reportStatus(state, file, 'RJCT', fileReasons.slice(0, 10), [], dirty);
    return;
  }
  const accepted = file.payments.filter((p) => p.status !== 'REJECTED');
  for (const p of accepted) setPaymentStatus(state, p, 'AWAITING_SIGNATURE', dirty, undefined, false);
  reserveIdentity(state, file);
  const status = accepted.length === 0 ? 'REJECTED' : accepted.length < file.payments.length ? 'PARTIALLY_ACCEPTED' : 'AWAITING_SIGNATURE';
  if (accepted.length === 0) file.reasons = [{ code: 'NARR', message: 'every payment in the file was rejected' }];
  setFileStatus(state, file, status, dirty);
  reportStatus(state, file, accepted.length === 0 ? 'RJCT' : accepted.length < file.payments.length ? 'PART' : 'ACTC', [],
    file.payments.map((p) => (p.status === 'REJECTED' ? { payment: p, status: 'RJCT', reasons: p.reasons } : { payment: p, status: 'PDNG', reasons: [] })), dirty);
}
