import { describe, expect, it } from 'vitest';
import { colourAllowed, stripAnsi } from './colour.ts';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('colours only where a person reads them (no-color.org)', () => {
  it.each([
    [tty, {}, true],
    [pipe, {}, false],
    [tty, { NO_COLOR: '1' }, false],
    [tty, { NO_COLOR: '' }, true],
    [tty, { FORCE_COLOR: '0' }, false],
    [pipe, { FORCE_COLOR: '1' }, true],
    [pipe, { FORCE_COLOR: '1', NO_COLOR: 'yes' }, false],
    [tty, { TERM: 'dumb' }, false],
  ])('%o with %o → %s', (stream, env, allowed) => {
    expect(colourAllowed(stream, env)).toBe(allowed);
  });

  it("strips Pact's colour codes and keeps the text", () => {
    expect(stripAnsi('Verifying a pact between \u001b[1msandbank-client\u001b[0m and \u001b[31mfailed\u001b[0m')).toBe('Verifying a pact between sandbank-client and failed');
  });
});
