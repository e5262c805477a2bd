/**
 * The report mailbox: every report the bank produces (pain.002, camt.05x, camt.029, BgMax)
 * gets a sequence number here; report faults hold back, drop or duplicate it. The documents
 * themselves are built in reports.ts.
 */
import { nextBankDay } from './calendar.ts';
import { emit } from './events.ts';
import { matchReportFault } from './faults.ts';
import type { PaymentFile, ReportMeta, ReportType, StatusReason } from './model.ts';
import { pain002For, type StatusLine } from './reports.ts';
import { dateOf, pad, profileOf, type Dirty, type SandboxState } from './state.ts';

export function addReport(state: SandboxState, type: ReportType, message: string, body: string, extra: { fileId?: string; accountId?: string }, dirty: Dirty): ReportMeta {
  const core = state.core;
  const fault = matchReportFault(core, type);
  const copies = fault?.action.type === 'duplicate-report' ? 2 : 1;
  let first: ReportMeta | undefined;
  for (let copy = 0; copy < copies; copy++) {
    core.counters.report++;
    const meta: ReportMeta = {
      id: `rpt_${pad(core.counters.report)}`,
      sequence: core.counters.report,
      type,
      message,
      createdAt: core.now,
      contentType: type === 'bgmax' ? 'text/plain; charset=iso-8859-1' : 'application/xml',
      visible: fault === undefined || fault.action.type === 'duplicate-report',
      sizeBytes: Buffer.byteLength(body, type === 'bgmax' ? 'latin1' : 'utf8'),
      ...extra,
    };
    if (fault) fault.hits++;
    if (fault?.action.type === 'delay-report') {
      let release = dateOf(core.now);
      for (let i = 0; i < fault.action.bankDays; i++) release = nextBankDay(release);
      core.heldReports.push({ reportId: meta.id, releaseOn: release });
    }
    state.reports.push(meta);
    dirty.add(`report:${meta.id}`);
    state.pendingBodies.set(meta.id, body);
    if (meta.visible) emit(state, 'report.available', { reportId: meta.id, type, message, fileId: meta.fileId }, dirty);
    first ??= meta;
  }
  return first as ReportMeta;
}

function pain002Id(state: SandboxState): string {
  return `${profileOf(state).id === 'swedbank' ? 'SWED' : 'SPAR'}-STS-${pad(state.core.counters.report + 1, 8)}`;
}

/** A pain.002 status report for a file (group status, when given, and per-payment lines). */
export function reportStatus(state: SandboxState, file: PaymentFile, groupStatus: string | undefined, groupReasons: StatusReason[], lines: StatusLine[], dirty: Dirty): void {
  const profile = profileOf(state);
  const body = pain002For(profile, pain002Id(state), state.core.now, file, groupStatus, groupReasons, lines);
  addReport(state, 'pain.002', profile.pain002Version, body, { fileId: file.id }, dirty);
}

/** Reports held back by a delay-report fault become visible at the start of their release day. */
export function releaseHeld(state: SandboxState, day: string, dirty: Dirty): void {
  const core = state.core;
  const due = core.heldReports.filter((h) => h.releaseOn <= day);
  if (due.length === 0) return;
  core.heldReports = core.heldReports.filter((h) => h.releaseOn > day);
  for (const held of due) {
    const meta = state.reports.find((r) => r.id === held.reportId);
    if (!meta) continue;
    meta.visible = true;
    dirty.add(`report:${meta.id}`);
    emit(state, 'report.available', { reportId: meta.id, type: meta.type, message: meta.message, fileId: meta.fileId }, dirty);
  }
}

/** Visible reports after a report id (or its sequence number), oldest first. */
export function listReports(state: SandboxState, options: { after?: string; type?: ReportType; limit?: number }): ReportMeta[] {
  const afterSequence = options.after === undefined ? 0 : (state.reports.find((r) => r.id === options.after)?.sequence ?? Number(options.after.replace(/\D/g, '')));
  const list = state.reports.filter((r) => r.visible && r.sequence > afterSequence && (options.type === undefined || r.type === options.type));
  return list.slice(0, options.limit ?? 500);
}

export function visibleReport(state: SandboxState, reportId: string): ReportMeta | undefined {
  return state.reports.find((r) => r.id === reportId && r.visible);
}
