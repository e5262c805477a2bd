export * from './luhn.ts';
export * from './ocr.ts';
export * from './giro.ts';
export * from './account.ts';
export * from './iban.ts';
