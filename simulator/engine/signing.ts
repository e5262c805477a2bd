/**
 * Signing: an administrator signs a file awaiting signature (in the internet bank, or in the
 * app when the agreement has two-step signing), scheduling its payments for their execution
 * day; or rejects it in the internet bank, cancelling every waiting payment.
 */
import { cancelledTxStatus, cancelReasonCode } from './cancellation.ts';
import { fail, ok, type EngineResult } from './errors.ts';
import { executionDateFor } from './execution.ts';
import { reportStatus } from './mailbox.ts';
import type { PaymentFile } from './model.ts';
import { flush } from './persistence.ts';
import type { StatusLine } from './reports.ts';
import { profileOf, type Dirty, type EngineDeps, type SandboxState } from './state.ts';
import { setFileStatus, setPaymentStatus } from './transitions.ts';

export interface Signer {
  channel: 'in-app' | 'internet-bank';
  signedBy: string;
  role: 'administrator' | 'user';
}

/** The file, if it is awaiting signature (else the error a sign or reject gets). */
export function fileAwaitingSignature(state: SandboxState, fileId: string): EngineResult<PaymentFile> {
  const file = state.files.get(fileId);
  if (!file) return fail('FILE_NOT_FOUND', `no payment file ${fileId} in this sandbox`);
  if (file.status !== 'AWAITING_SIGNATURE' && file.status !== 'PARTIALLY_ACCEPTED') {
    return fail('FILE_NOT_AWAITING_SIGNATURE', `payment file ${fileId} is ${file.status}; only a file awaiting signature can be signed or rejected`, { fileStatus: file.status });
  }
  return ok(file);
}

export async function signFile(deps: EngineDeps, state: SandboxState, file: PaymentFile, signer: Signer): Promise<EngineResult<PaymentFile>> {
  if (signer.channel === 'in-app' && !state.core.signingModes.includes('in-app-two-step')) {
    return fail('SIGNING_NOT_ALLOWED', 'this agreement has no two-step integration: sign the file in the internet bank');
  }
  if (signer.role !== 'administrator') return fail('SIGNING_NOT_ALLOWED', 'only an administrator may sign payment files');
  const dirty: Dirty = new Set();
  file.signature = { at: state.core.now, channel: signer.channel, signedBy: signer.signedBy };
  const lines: StatusLine[] = [];
  const profile = profileOf(state);
  for (const p of file.payments) {
    if (p.status !== 'AWAITING_SIGNATURE') continue;
    p.executionDate = executionDateFor(profile, state.core.now, p.requestedExecutionDate);
    setPaymentStatus(state, p, 'SCHEDULED', dirty, undefined, false);
    lines.push({ payment: p, status: 'ACCP', reasons: [] });
  }
  setFileStatus(state, file, 'SIGNED', dirty);
  reportStatus(state, file, 'ACCP', [], lines, dirty);
  await flush(deps, state, dirty);
  return ok(file);
}

/** Internet-bank "reject file": the user refuses to sign; every waiting payment is cancelled. */
export async function rejectFile(deps: EngineDeps, state: SandboxState, file: PaymentFile, userName: string): Promise<EngineResult<PaymentFile>> {
  const dirty: Dirty = new Set();
  const reason = { code: cancelReasonCode(state), message: `rejected in the internet bank by ${userName}` };
  const lines: StatusLine[] = [];
  for (const p of file.payments.filter((x) => x.status === 'AWAITING_SIGNATURE')) {
    setPaymentStatus(state, p, 'CANCELLED', dirty, reason);
    lines.push({ payment: p, status: cancelledTxStatus(state), reasons: [reason] });
  }
  file.reasons.push(reason);
  setFileStatus(state, file, 'REJECTED', dirty);
  reportStatus(state, file, 'RJCT', [reason], lines, dirty);
  await flush(deps, state, dirty);
  return ok(file);
}
