export * from './model.ts';
export * from './parse.ts';
export * from './write.ts';
export * from './validate.ts';
export * from "./sample.ts";
