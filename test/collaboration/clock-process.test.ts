/**
 * The invoicing service's controllable clock on a running `sandbank invoicing start --clock …`
 * process (real HTTP): a change of invoice recipient takes effect exactly at the next contract
 * period's start, and a termination closes the bureau's feed, with the audit at the simulated
 * times. (Without --clock the route is absent: test/cli/collaboration.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killed, printedKeys, startInvoicingChild, type ServiceChild } from '../bureau/children.ts';
import { call, tempDir } from '../bureau/support.ts';

let service: ServiceChild;
beforeAll(async () => {
  service = await startInvoicingChild(tempDir('clock'), 0, ['--memory', '--clock', '2026-01-15T09:00:00', '--recipient', 'bureau', '--period', 'quarterly']);
}, 60_000);
afterAll(async () => service && killed(service.child));

const advance = (move: { to: string } | { days: number }) => call(service.url, 'POST', '/setup/clock/advance', { json: move });

describe('sandbank invoicing start --clock', () => {
  it('a recipient change made mid-period takes effect at the next period boundary, not a second before; termination closes the feed', async () => {
    expect(service.output).toContain('clock              2026-01-15T09:00:00 (simulated;');
    expect(service.output).toContain('lifecycle          active, quarterly from 2026-01-01, invoiced to the bureau');
    const keys = printedKeys(service.output);
    const B = `/v1/collaborations/${keys.collaborationId}/lifecycle`;
    const lifecycle = async () => (await call(service.url, 'GET', B, { key: keys.bureauApiKey })).json as { recipientNow: string; billing: { from: string; recipient: string }[]; audit: { at: string; action: string }[] };
    expect((await call(service.url, 'GET', '/setup/clock')).json).toEqual({ now: '2026-01-15T09:00:00' });

    expect((await advance({ to: '2026-02-20T14:00:00' })).json).toEqual({ now: '2026-02-20T14:00:00' });
    const changed = await call(service.url, 'POST', `${B}/recipient`, { key: keys.bureauApiKey, json: { recipient: 'customer' } });
    expect(changed.json).toMatchObject({ recipientNow: 'bureau', nextPeriodStart: '2026-04-01', recipients: [{ from: '2026-01-01', recipient: 'bureau' }, { from: '2026-04-01', recipient: 'customer' }] });

    await advance({ to: '2026-03-31T23:59:59' });
    expect(await lifecycle()).toMatchObject({ recipientNow: 'bureau', billing: [{ from: '2026-01-01', recipient: 'bureau' }] });
    await advance({ to: '2026-04-01T00:00:00' });
    const april = await lifecycle();
    expect(april.recipientNow).toBe('customer');
    expect(april.billing.map((p) => [p.from, p.recipient])).toEqual([['2026-01-01', 'bureau'], ['2026-04-01', 'customer']]);

    const back = await advance({ to: '2026-03-01T00:00:00' });
    expect([back.status, back.json['code']]).toEqual([400, 'INVALID_REQUEST']);
    expect(String(back.json['detail'])).toContain('the clock only moves forward: it shows 2026-04-01T00:00:00');
    expect((await advance({ days: 39 })).json).toEqual({ now: '2026-05-10T00:00:00' });

    expect((await call(service.url, 'GET', `/v1/collaborations/${keys.collaborationId}/changes`, { key: keys.bureauApiKey })).status).toBe(200);
    expect((await call(service.url, 'POST', `${B}/termination`, { key: keys.bureauApiKey, json: { mode: 'standalone' } })).json).toMatchObject({ state: 'ended', termination: { at: '2026-05-10T00:00:00', mode: 'standalone' } });
    const feed = await call(service.url, 'GET', `/v1/collaborations/${keys.collaborationId}/changes`, { key: keys.bureauApiKey });
    expect([feed.status, feed.json['code']]).toEqual([403, 'COLLABORATION_ENDED']);
    expect((await lifecycle()).audit.map((a) => [a.at, a.action])).toEqual([['2026-01-15T09:00:00', 'activated'], ['2026-02-20T14:00:00', 'recipient-change-scheduled'], ['2026-05-10T00:00:00', 'terminated']]);

    const doc = (await call(service.url, 'GET', '/openapi.json')).json as { paths: Record<string, Record<string, { tags: string[]; requestBody?: unknown }>> };
    expect(doc.paths['/setup/clock/advance']?.['post']).toMatchObject({ tags: ['Test helpers'], requestBody: expect.anything() });
  }, 60_000);
});
