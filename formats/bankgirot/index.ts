export * from './fixed-width.ts';
export * from './lb.ts';
export * from './bgmax.ts';
