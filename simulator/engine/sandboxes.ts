/**
 * A new sandbox: a seeded fake company with its accounts and users at one bank, its own
 * clock, API key and (optionally) webhook.
 */
import type { Random } from '../../formats/random.ts';
import type { BankId, BankProfile, SigningMode } from '../banks/index.ts';
import type { LocalDateTime, SandboxCore, WebhookConfig } from './model.ts';
import { seedSandboxData, token, totpSecret } from './sandbox-factory.ts';
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
   * A fixed API key (test-only provider states keep the caller's key). Only the sandbox named
   * in `replaces` may already hold it: that one is replaced, any other holder is refused.
   */
  apiKey?: string;
  replaces?: string;
  /** A fixed primary account (clearing + account number) instead of a generated one. */
  primaryAccount?: { clearing: string; accountNumber: string };
  /** One of the ready-made pair `sandbank start` creates (kept by prune, shown in the banner). */
  isDefault?: boolean;
}

/** A webhook configuration; without a secret the bank makes one up. */
export function webhookConfig(random: Random, webhook: { url: string; secret?: string } | undefined): WebhookConfig | undefined {
  return webhook ? { url: webhook.url, secret: webhook.secret ?? `whsec_${token(random, 24)}` } : undefined;
}

/** A seed for a sandbox created without one. */
export function drawSeed(random: Random): number {
  return random.int(1, 2 ** 31 - 1);
}

/**
 * The core of a new sandbox; the random source draws its id, API key, webhook secret and its
 * users' ids and credentials, in that order. The seed reproduces the company, accounts and
 * user names, never a login: internet-bank user ids are unique across the server (`takenUserIds`).
 */
export function newSandboxCore(profile: BankProfile, random: Random, input: CreateSandboxInput & { seed: number }, defaultStart: () => LocalDateTime, takenUserIds: ReadonlySet<string> = new Set()): SandboxCore {
  const seed = input.seed;
  const data = seedSandboxData(profile, seed, {
    ...(input.companyName === undefined ? {} : { companyName: input.companyName }),
    ...(input.openingBalancesOre === undefined ? {} : { openingBalancesOre: input.openingBalancesOre }),
    ...(input.primaryAccount === undefined ? {} : { primaryAccount: input.primaryAccount }),
  });
  const now = normalizeStart(input.start ?? defaultStart());
  const id = `sbx_${token(random, 12)}`;
  const apiKey = input.apiKey ?? `sk_test_${token(random, 32)}`;
  const webhook = webhookConfig(random, input.webhook);
  const taken = new Set(takenUserIds);
  const users = data.users.map((user) => {
    let userId: string;
    do userId = `u${random.digits(8)}`;
    while (taken.has(userId));
    taken.add(userId);
    return { ...user, id: userId, password: token(random, 16), totpSecret: totpSecret(random) };
  });
  return {
    id,
    bank: input.bank,
    seed,
    apiKey,
    createdAt: now,
    openedAt: normalizeStart(defaultStart()),
    ...(input.isDefault ? { isDefault: true } : {}),
    now,
    company: data.company,
    accounts: data.accounts,
    users,
    signingModes: input.signingModes ?? [...profile.signingModes],
    counters: { file: 0, payment: 0, report: 0, entry: 0, event: 0, incoming: 0, cancellation: 0 },
    webhook,
    faults: [],
    heldReports: [],
  };
}
