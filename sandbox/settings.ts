/**
 * Per-registry behaviour of the sandbox: latency, jitter, failure rate, outage. Lets tests and
 * benchmarks reproduce a slow or flaky e-government gateway (SPEC §10: "latency and failure rate
 * adjustable per registry").
 */
import { z } from 'zod';
import { REGISTRIES, type RegistryName } from '../domain/registry-facts';
import { Prng, type RandomSource } from './prng';

/** What a settings key can name: a registry, the SMS gateway, or the default for all. */
export const SETTINGS_TARGETS = [...REGISTRIES, 'sms'] as const;
export type SettingsTarget = RegistryName | 'sms';
export type SettingsKey = SettingsTarget | 'default';

export interface TargetSettings {
  /** Minimum delay before answering. */
  latencyMs: number;
  /** Extra delay drawn uniformly from [0, latencyJitterMs). */
  latencyJitterMs: number;
  /** Probability that a call answers 503 REGISTRY_UNAVAILABLE. */
  errorRate: number;
  /** A down target answers every call with 503. */
  down: boolean;
}

/** Upper bound on delays so a typo cannot hang a test run for hours. */
const MAX_DELAY_MS = 120_000;

export const targetSettingsPatchSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
  latencyJitterMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  down: z.boolean().optional(),
});
export type TargetSettingsPatch = z.output<typeof targetSettingsPatchSchema>;

const targetShape = Object.fromEntries(
  [...SETTINGS_TARGETS, 'default'].map((key) => [key, targetSettingsPatchSchema.optional()]),
) as Record<SettingsKey, z.ZodOptional<typeof targetSettingsPatchSchema>>;

/**
 * The settings document of `GET/PUT /_admin/settings`. `seed` (an integer) makes failure and
 * jitter draws reproducible; null or absent means unseeded (Math.random).
 */
export const sandboxSettingsSchema = z.strictObject({
  seed: z.number().int().nullable().optional(),
  ...targetShape,
});
export type SandboxSettings = z.output<typeof sandboxSettingsSchema>;

export const BUILTIN_DEFAULT: Readonly<TargetSettings> = Object.freeze({
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  down: false,
});

/** What one call should do, decided before it waits. */
export interface CallPlan {
  delayMs: number;
  fail: boolean;
  /** Why it fails, for the response body. */
  failure?: 'DOWN' | 'ERROR_DRAW';
}

/**
 * Holds the current settings and the random streams. Each target has its own seeded stream, so
 * the draws of one registry do not depend on how much traffic another registry got.
 */
export class SettingsState {
  private current: SandboxSettings;
  private readonly streams = new Map<SettingsTarget, RandomSource>();

  constructor(initial: SandboxSettings = {}) {
    this.current = structuredClone(initial);
  }

  get(): SandboxSettings {
    return structuredClone(this.current);
  }

  /**
   * Merges a validated patch: each named target's given fields replace the old ones, other fields
   * and targets stay. Giving `seed` (even the same value) restarts every random stream.
   */
  update(patch: SandboxSettings): SandboxSettings {
    const next: SandboxSettings = structuredClone(this.current);
    for (const key of [...SETTINGS_TARGETS, 'default'] as const) {
      const p = patch[key];
      if (p !== undefined) next[key] = { ...next[key], ...p };
    }
    if (patch.seed !== undefined) {
      next.seed = patch.seed;
      this.streams.clear();
    }
    this.current = next;
    return this.get();
  }

  /** Replaces everything (used to restore start-up settings). */
  replace(settings: SandboxSettings): void {
    this.current = structuredClone(settings);
    this.streams.clear();
  }

  /** The target's settings with the default and built-in values filled in. */
  effective(target: SettingsTarget): TargetSettings {
    return { ...BUILTIN_DEFAULT, ...this.current.default, ...this.current[target] };
  }

  private random(target: SettingsTarget): RandomSource {
    const seed = this.current.seed;
    if (seed === undefined || seed === null) return Math.random;
    let stream = this.streams.get(target);
    if (!stream) {
      stream = new Prng(seed, target).source();
      this.streams.set(target, stream);
    }
    return stream;
  }

  /** Draws the delay and the failure for one call to `target`. */
  plan(target: SettingsTarget): CallPlan {
    const s = this.effective(target);
    const random = this.random(target);
    // Always draw both numbers so a seeded sequence does not shift when a rate is 0 or 1.
    const jitterDraw = random();
    const errorDraw = random();
    const delayMs = s.latencyMs + Math.floor(jitterDraw * s.latencyJitterMs);
    if (s.down) return { delayMs, fail: true, failure: 'DOWN' };
    if (errorDraw < s.errorRate) return { delayMs, fail: true, failure: 'ERROR_DRAW' };
    return { delayMs, fail: false };
  }
}
