/**
 * Drives the simulated internet bank the way its pages do — form posts with cookies and CSRF
 * tokens — without a browser: for client tests that need "sign in the internet bank".
 */
import { currentCode } from '../simulator/internetbank/auth.ts';

function cookieJar() {
  const jar = new Map<string, string>();
  return {
    header: () => [...jar.entries()].map(([k, v]) => `${k}=${v}`).join('; '),
    take(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq);
        const value = pair.slice(eq + 1);
        if (/Max-Age=0/.test(line)) jar.delete(name);
        else jar.set(name, value);
      }
    },
  };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Logs in (password + TOTP) and returns a function that GETs/POSTs with the session. */
async function logIn(baseUrl: string, bank: string, user: { id: string; password: string; totpSecret: string }) {
  const jar = cookieJar();
  const get = async (path: string) => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.take(res);
    return res;
  };
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form), redirect: 'manual' });
    jar.take(res);
    return res;
  };
  const base = `/internetbank/${bank}`;
  const login = await get(`${base}/`);
  const loggedIn = await post(`${base}/login`, { _csrf: csrfOf(await login.text()), userId: user.id, password: user.password });
  if (loggedIn.status !== 303) throw new Error(`password step failed: ${loggedIn.status}`);
  const totpPage = await get(`${base}/login/totp`);
  const csrf = csrfOf(await totpPage.text());
  // A code is accepted once: a second login within the same 30 s uses the next step's code.
  const now = Math.floor(Date.now() / 1000);
  let verified = await post(`${base}/login/totp`, { _csrf: csrf, code: await currentCode(user.totpSecret, now) });
  if (verified.status === 401) verified = await post(`${base}/login/totp`, { _csrf: csrf, code: await currentCode(user.totpSecret, now + 30) });
  if (verified.status !== 303) throw new Error(`code step failed: ${verified.status}`);
  return { get, post, base };
}

export async function signInInternetBank(baseUrl: string, bank: string, user: { id: string; password: string; totpSecret: string }, fileId: string): Promise<void> {
  const { get, post, base } = await logIn(baseUrl, bank, user);
  const files = await get(`${base}/files`);
  const html = await files.text();
  if (!html.includes(`data-file-id="${fileId}"`)) throw new Error(`file ${fileId} is not awaiting signature in the internet bank`);
  const signed = await post(`${base}/files/${fileId}/sign`, { _csrf: csrfOf(html) });
  if (signed.status !== 303) throw new Error(`signing failed: ${signed.status}`);
}

export async function deletePaymentInInternetBank(baseUrl: string, bank: string, user: { id: string; password: string; totpSecret: string }, paymentId: string): Promise<void> {
  const { get, post, base } = await logIn(baseUrl, bank, user);
  const page = await get(`${base}/future`);
  const html = await page.text();
  if (!html.includes(`data-payment-id="${paymentId}"`)) throw new Error(`payment ${paymentId} is not a future payment in the internet bank`);
  const deleted = await post(`${base}/payments/${paymentId}/delete`, { _csrf: csrfOf(html) });
  if (deleted.status !== 303) throw new Error(`delete failed: ${deleted.status}`);
}
