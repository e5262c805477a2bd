/**
 * Drives the simulated internet bank the way its pages do — form posts with cookies and CSRF
 * tokens — without a browser: for client tests that need "sign in the internet bank".
 */
import { currentCode } from '../../simulator/internetbank/auth.ts';

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

export async function signInInternetBank(baseUrl: string, bank: string, user: { id: string; password: string; totpSecret: string }, fileId: string): Promise<void> {
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
  const verified = await post(`${base}/login/totp`, { _csrf: csrfOf(await totpPage.text()), code: await currentCode(user.totpSecret) });
  if (verified.status !== 303) throw new Error(`code step failed: ${verified.status}`);
  const files = await get(`${base}/files`);
  const html = await files.text();
  if (!html.includes(`data-file-id="${fileId}"`)) throw new Error(`file ${fileId} is not awaiting signature in the internet bank`);
  const signed = await post(`${base}/files/${fileId}/sign`, { _csrf: csrfOf(html) });
  if (signed.status !== 303) throw new Error(`signing failed: ${signed.status}`);
}
