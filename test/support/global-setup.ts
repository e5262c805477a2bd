/** Says once, clearly, when the official reference files are missing and their checks skip. */
import { HAS_SHARED, SHARED_MISSING_REASON } from './shared.ts';

export default function setup(): void {
  if (!HAS_SHARED) console.warn(`\n⚠ ${SHARED_MISSING_REASON}\n`);
}
