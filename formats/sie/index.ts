export * from './tokenize.ts';
export * from './checksum.ts';
export * from './sie4.ts';
export * from './import-checks.ts';
