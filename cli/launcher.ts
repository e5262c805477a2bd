/**
 * A server started through npm (`npx sandbank start`, `npm start`) runs under npm and a shell.
 * Killing that launcher — `kill %1` on a backgrounded `npx …` in a script — ends npm but not
 * the server, which is left serving with no parent (its parent becomes init). Such a server
 * stops, as on SIGTERM, once the process that started it is gone. Started directly (node,
 * nohup, a service manager) it is left alone.
 */
const CHECK_INTERVAL_MS = 500;

export function stopWhenLauncherExits(stop: () => void, env: NodeJS.ProcessEnv = process.env): void {
  if (env['npm_command'] === undefined) return;
  const launcher = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    stop();
  }, CHECK_INTERVAL_MS);
  timer.unref();
}
