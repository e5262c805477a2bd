export * from './sie4.ts';
