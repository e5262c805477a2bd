import { describe, expect, it } from 'vitest';
import { checkBankgiro, checkIban, checkOcr, checkPlusgiro, checkSwedishAccount, checkSwedishBban, formatBankgiro, formatPlusgiro, generateOcr, luhnCheckDigit } from './index.ts';

describe('OCR reference', () => {
  it('generates the length digit and the Luhn check digit (domain.md: 12345 → 1234574)', () => {
    expect(generateOcr('12345')).toBe('1234574');
    expect(generateOcr('12345', { withLengthDigit: false })).toBe('123455');
  });

  it.each([
    ['1234574', 'check-digit-and-length', true],
    ['1234574', 'check-digit', true],
    ['1234575', 'check-digit', false],
    ['123455', 'check-digit-and-length', false],
    ['123455', 'check-digit', true],
    ['1', 'none', false],
    ['12a4', 'none', false],
    ['12345678901234567890123456', 'none', false],
  ] as const)('%s at level %s valid=%s', (ref, level, valid) => {
    expect(checkOcr(ref, level).ok).toBe(valid);
  });

  it('reports which check failed', () => {
    expect(checkOcr('1234575')).toMatchObject({ ok: false, reason: 'check-digit' });
    expect(checkOcr('123455', 'check-digit-and-length')).toMatchObject({ ok: false, reason: 'length-digit' });
  });

  it('every generated OCR validates at the strictest level', () => {
    for (let n = 1; n < 3000; n += 13) expect(checkOcr(generateOcr(String(n)), 'check-digit-and-length').ok).toBe(true);
  });
});

describe('bankgiro and plusgiro', () => {
  it('validates bankgiro with Luhn over 7–8 digits', () => {
    expect(checkBankgiro('5050-1055')).toEqual({ ok: true, number: '50501055' });
    expect(checkBankgiro('991-2346')).toEqual({ ok: true, number: '9912346' });
    expect(checkBankgiro('5050-1056')).toMatchObject({ ok: false, reason: 'check-digit' });
    expect(checkBankgiro('123456')).toMatchObject({ ok: false, reason: 'length' });
    expect(checkBankgiro('5050-10X5')).toMatchObject({ ok: false, reason: 'syntax' });
  });

  it('validates plusgiro with Luhn over 2–8 digits', () => {
    expect(checkPlusgiro('90 20 03-3')).toEqual({ ok: true, number: '9020033' });
    expect(checkPlusgiro('9020034')).toMatchObject({ ok: false, reason: 'check-digit' });
    expect(checkPlusgiro('123456789')).toMatchObject({ ok: false, reason: 'length' });
  });

  it('formats as people write them', () => {
    expect(formatBankgiro('50501055')).toBe('5050-1055');
    expect(formatBankgiro('9912346')).toBe('991-2346');
    expect(formatPlusgiro('9020033')).toBe('90 20 03-3');
    expect(formatPlusgiro('4178032')).toBe('41 78 03-2');
    expect(formatPlusgiro('12345')).toBe('12 34-5');
  });

  it('Luhn check digit matches the textbook example', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
  });
});

describe('Swedish bank accounts (kontonummer)', () => {
  it('accepts Swedbank 8xxx-x with five-digit clearing (domain.md example)', () => {
    expect(checkSwedishAccount('8105-9', '694 857 993-0')).toEqual({ ok: true, value: { clearing: '81059', account: '6948579930', bankName: 'Swedbank' } });
    expect(checkSwedishBban('810596948579930')).toMatchObject({ ok: true });
  });

  it('rejects a wrong clearing check digit and a wrong account check digit', () => {
    expect(checkSwedishAccount('8105-8', '6948579930')).toMatchObject({ ok: false, reason: 'clearing' });
    expect(checkSwedishAccount('8105-9', '6948579931')).toMatchObject({ ok: false, reason: 'account' });
  });
});

describe('IBAN', () => {
  it('validates the Swedbank example and extracts bank code 800', () => {
    expect(checkIban('SE93 8000 0810 5969 4857 9930')).toEqual({ ok: true, iban: 'SE9380000810596948579930', countryCode: 'SE', bankCode: '800' });
    expect(checkIban('SE9480000810596948579930').ok).toBe(false);
  });
});
