/**
 * `GET /sandboxes/{id}/export` and `POST /sandboxes/import`: a whole sandbox as one file
 * (simulator/export/export-file.ts), and that file recreated as a new sandbox. A refused
 * import creates nothing.
 */
import { readExportFile, writeExportFile } from '../export/export-file.ts';
import { problem } from './problem.ts';
import type { RouteContext } from './routes.ts';
import { creationRefusal, sandboxView, webhookRefusal } from './routes.ts';
import type { ApiRequest, ApiResponse } from './types.ts';

export async function exportSandbox(sandboxId: string, ctx: RouteContext): Promise<ApiResponse> {
  const snapshot = await ctx.engine.exportSandbox(sandboxId);
  if (!snapshot.ok) return problem(snapshot.code, snapshot.message, snapshot.details ?? {});
  const body = writeExportFile(snapshot.value, ctx.exportKey === undefined ? {} : { exportKey: ctx.exportKey });
  const name = `${sandboxId}-${snapshot.value.core.now.slice(0, 10)}.sandbank.json`;
  return { status: 200, headers: { 'content-type': 'application/json', 'content-disposition': `attachment; filename="${name}"` }, body };
}

/** An import creates a sandbox: the same operator-key and quota rules as `POST /sandboxes`. */
export async function importSandbox(req: ApiRequest, ctx: RouteContext): Promise<ApiResponse> {
  await ctx.engine.refreshCatalogue();
  const refusal = creationRefusal(req, ctx);
  if (refusal) return refusal;
  const type = req.header('content-type') ?? '';
  if (type !== '' && !/json|octet-stream/.test(type)) return problem('UNSUPPORTED_MEDIA_TYPE', `send the export file as application/json; got ${type}`);
  const read = readExportFile(Buffer.from(await req.body()).toString('utf8'), ctx.exportKey === undefined ? {} : { exportKey: ctx.exportKey });
  if (!read.ok) return problem(read.code, read.message, read.details ?? {});
  // A webhook URL this server's policy refuses is not registered; the rest is imported.
  const hook = read.snapshot.core.webhook;
  const refusedHook = hook === null ? undefined : webhookRefusal(ctx, hook.url);
  const created = await ctx.engine.importSandbox(read.snapshot, { webhook: refusedHook === undefined });
  if (!created.ok) return problem(created.code, created.message, created.details ?? {});
  ctx.schedule(created.value.id);
  return {
    status: 201,
    headers: { 'content-type': 'application/json', location: `/sandboxes/${created.value.id}` },
    body: JSON.stringify({ ...sandboxView(created.value, true), importedFrom: read.source.sandboxId, signatureVerified: ctx.exportKey !== undefined && read.signed,
      ...(refusedHook === undefined ? {} : { webhookDropped: `the exported webhook URL ${hook?.url} is refused by this server's policy; register another with PUT /sandboxes/{id}/webhook` }) }),
  };
}
