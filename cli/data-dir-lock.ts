/**
 * One process owns a data directory: a second server started on it is refused, naming the
 * process that holds it. A lock left by a process that is gone (killed, crashed) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Takes `<dir>/<program>.lock`; the returned function releases it. */
export function lockDataDir(dir: string, program: 'sandbank' | 'invoicing'): () => void {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, `${program}.lock`);
  try {
    const fd = openSync(lock, 'wx');
    writeFileSync(fd, String(process.pid));
    closeSync(fd);
  } catch {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (pid !== process.pid && isRunning(pid)) throw new Error(`${dir} is in use by ${program} process ${pid}; stop it or use --data <another dir>`);
    writeFileSync(lock, String(process.pid));
  }
  return () => {
    try {
      unlinkSync(lock);
    } catch {
      // already gone
    }
  };
}
