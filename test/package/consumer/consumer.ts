// Type-checks only against the shipped .d.ts: a wrong call here must fail `tsc`.
import { createSandbankHandlers, type SandbankHandlersOptions } from 'sandbank/msw';
import { formatOreSwedish, sampleFileFor, validateFile, type SampleFile } from 'sandbank/formats';
import type { Simulator } from 'sandbank/simulator';

const options: SandbankHandlersOptions = { baseUrl: 'http://bank.test', seed: 1 };
const bank = createSandbankHandlers(options);
const handlerCount: number = bank.handlers.length;
const file: SampleFile = sampleFileFor('lb', { sandboxId: 'sbx_1', now: '2026-03-16T09:00:00', company: { name: 'AB', agreementId: '1', bankgiro: '5050-1055' }, accounts: [{ iban: 'SE9380000810596948579930', primary: true }] });
const ok: boolean = validateFile(file.bytes).ok;
const words: string = formatOreSwedish(file.totalOre);
export type Running = Simulator['url'];
export { handlerCount, ok, words };

// The shipped types are real types, not `any`: these misuses must be reported.
// @ts-expect-error seed is a number
createSandbankHandlers({ seed: 'forty-two' });
// @ts-expect-error there is no sample kind "csv"
sampleFileFor('csv', { sandboxId: 'x', now: '', company: { name: '', agreementId: '', bankgiro: '' }, accounts: [] });
