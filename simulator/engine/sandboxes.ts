/**
 * A new sandbox: a seeded fake company with its accounts and users at one bank, its own
 * clock, API key and (optionally) webhook.
 */
import type { Random } from '../../formats/random.ts';
import type { BankId, BankProfile, SigningMode } from '../banks/index.ts';
import type { LocalDateTime, SandboxCore, WebhookConfig } from './model.ts';
import { seedSandboxData, token } from './sandbox-factory.ts';
import { normalizeStart } from './state.ts';

export interface CreateSandboxInput {
  bank: BankId;
  seed?: number;
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (Swedish local time). */
  start?: string;
  companyName?: string;
  openingBalancesOre?: number[];
  signingModes?: SigningMode[];
  webhook?: { url: string; secret?: string };
  /**
   * A fixed API key (provider states for contract verification use a known one). A sandbox
   * already holding this key is replaced.
   */
  apiKey?: string;
  /** A fixed primary account (clearing + account number) instead of a generated one. */
  primaryAccount?: { clearing: string; accountNumber: string };
}

/** A webhook configuration; without a secret the bank makes one up. */
export function webhookConfig(random: Random, webhook: { url: string; secret?: string } | undefined): WebhookConfig | undefined {
  return webhook ? { url: webhook.url, secret: webhook.secret ?? `whsec_${token(random, 24)}` } : undefined;
}

/** A seed for a sandbox created without one. */
export function drawSeed(random: Random): number {
  return random.int(1, 2 ** 31 - 1);
}

/** The core of a new sandbox; the random source draws its id, API key and webhook secret, in that order. */
export function newSandboxCore(profile: BankProfile, random: Random, input: CreateSandboxInput & { seed: number }, defaultStart: () => LocalDateTime): SandboxCore {
  const seed = input.seed;
  const data = seedSandboxData(profile, seed, {
    ...(input.companyName === undefined ? {} : { companyName: input.companyName }),
    ...(input.openingBalancesOre === undefined ? {} : { openingBalancesOre: input.openingBalancesOre }),
    ...(input.primaryAccount === undefined ? {} : { primaryAccount: input.primaryAccount }),
  });
  const now = normalizeStart(input.start ?? defaultStart());
  return {
    id: `sbx_${token(random, 12)}`,
    bank: input.bank,
    seed,
    apiKey: input.apiKey ?? `sk_test_${token(random, 32)}`,
    createdAt: now,
    now,
    company: data.company,
    accounts: data.accounts,
    users: data.users,
    signingModes: input.signingModes ?? [...profile.signingModes],
    counters: { file: 0, payment: 0, report: 0, entry: 0, event: 0, incoming: 0, cancellation: 0 },
    webhook: webhookConfig(random, input.webhook),
    faults: [],
    heldReports: [],
  };
}
