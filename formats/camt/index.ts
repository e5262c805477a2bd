export * from './report-model.ts';
export * from './report-parse.ts';
export * from './report-write.ts';
export * from './cancellation.ts';
