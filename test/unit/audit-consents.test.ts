/**
 * What a consent withdrawal does and how it is told (personal-data/withdrawal.ts), the consent
 * states (personal-data/consents.ts), and the hardening settings (api/hardening.ts).
 */
import { hardeningFromEnv, parseCorsOrigins } from '../../api/hardening';
import { consentStatuses, type ConsentRow } from '../../personal-data/consents';
import { withdrawalConsequence, type CaseStanding } from '../../personal-data/withdrawal';

const STANDINGS: CaseStanding[] = ['ACTIVE', 'REGISTERED', 'REFUSED', 'WITHDRAWN'];

describe('withdrawal consequences', () => {
  it('C1 and C2 before a decision: the case cannot be checked, refusal under A1.9.4 unless given again', () => {
    for (const code of ['C1', 'C2'] as const) {
      const c = withdrawalConsequence(code, 'ACTIVE');
      // Names what is withdrawn, in the reader's language.
      expect(c.explanation.ru).toMatch(code === 'C1' ? /^Без согласия на проверку наличия жилища/ : /^Без согласия на сбор и обработку/);
      expect(c.effect).toBe('CASE_CANNOT_BE_CHECKED');
      expect(c.providerInformed).toBe(true);
      expect(c.explanation.ru).toMatch(/подпункту 4\) пункта 9 приложения 1/);
      expect(c.explanation.ru).toMatch(/до заслушивания/);
      expect(c.explanation.kk).toMatch(/9-тармағының 4\) тармақшасы/);
      expect(c.explanation.kk).toMatch(/тыңдауға дейін/);
      expect(c.explanation.en).toMatch(/A1\.9\.4/);
    }
  });

  it('C1 and C2 after registration: no re-check possible, the provider is told', () => {
    const c = withdrawalConsequence('C1', 'REGISTERED');
    expect(c.effect).toBe('RECHECK_IMPOSSIBLE_PROVIDER_INFORMED');
    expect(c.providerInformed).toBe(true);
    expect(c.explanation.ru).toMatch(/Услугодатель уведомлён/);
    expect(c.explanation.kk).toMatch(/хабардар етілді/);
    expect(withdrawalConsequence('C2', 'REFUSED').effect).toBe('CASE_CLOSED_NO_CHANGE');
  });

  it('C3: position only in the published list; C4: informational; whatever the case stands at', () => {
    for (const s of STANDINGS) {
      expect(withdrawalConsequence('C3', s).effect).toBe('NOT_PUBLISHED');
      expect(withdrawalConsequence('C4', s).effect).toBe('INFORMATIONAL');
    }
    expect(withdrawalConsequence('C3', 'REGISTERED').explanation.ru).toMatch(/только позиция/);
  });

  it('every explanation is in Kazakh, Russian and English, and they differ', () => {
    for (const code of ['C1', 'C2', 'C3', 'C4'] as const) {
      for (const s of STANDINGS) {
        const { kk, ru, en } = withdrawalConsequence(code, s).explanation;
        expect(kk.length).toBeGreaterThan(40);
        expect(ru.length).toBeGreaterThan(40);
        expect(en.length).toBeGreaterThan(40);
        expect(new Set([kk, ru, en]).size).toBe(3);
        expect(kk).toMatch(/[әғқңөұүһі]/i); // Kazakh letters, not Russian text under a Kazakh label
        // Text built from parts: no object pasted in whole, no part missing.
        for (const text of [kk, ru, en]) expect(text).not.toMatch(/\[object |undefined|NaN/);
      }
    }
  });
});

describe('consent states', () => {
  const row = (id: number, code: ConsentRow['code'], withdrawn: boolean): ConsentRow => ({
    id,
    application_id: '0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11',
    code,
    given_at: new Date(id * 1000),
    given_by: 'applicant:950314419498',
    signature: null,
    withdrawn_at: withdrawn ? new Date(id * 1000 + 1) : null,
    withdrawn_by: withdrawn ? 'applicant:950314419498' : null,
    withdrawal_reason: null,
  });

  it('the latest row of a code decides: given, withdrawn, given again', () => {
    const states = consentStatuses([row(1, 'C1', true), row(2, 'C2', false), row(3, 'C3', true), row(4, 'C1', false)]);
    expect(states.map((s) => [s.code, s.status])).toEqual([
      ['C1', 'GIVEN'],
      ['C2', 'GIVEN'],
      ['C3', 'WITHDRAWN'],
      ['C4', 'NOT_GIVEN'],
    ]);
  });
});

describe('hardening settings', () => {
  it('defaults: no CORS origin, limits per address and per IIN', () => {
    const s = hardeningFromEnv({});
    expect(s.corsOrigins).toEqual([]);
    expect(s.rateLimitPerAddress).toBe(600);
    expect(s.rateLimitPerIin).toBe(120);
    expect(s.rateLimitWindowMs).toBe(60_000);
    expect(s.trustProxy).toBe(false);
  });

  it('reads the environment and refuses nonsense', () => {
    const s = hardeningFromEnv({ HPC_RATE_LIMIT_PER_IIN: '5', HPC_CORS_ORIGINS: 'https://portal.example.kz, http://localhost:5173', HPC_TRUST_PROXY: '1' });
    expect(s.rateLimitPerIin).toBe(5);
    expect(s.corsOrigins).toEqual(['https://portal.example.kz', 'http://localhost:5173']);
    expect(s.trustProxy).toBe(1);
    expect(() => hardeningFromEnv({ HPC_RATE_LIMIT_PER_ADDRESS: '0' })).toThrow(/positive integer/);
    expect(() => hardeningFromEnv({ HPC_RATE_LIMIT_WINDOW_MS: 'soon' })).toThrow(/positive integer/);
  });

  it('CORS origins are exact http(s) origins: no wildcard, path or null', () => {
    for (const bad of ['*', 'https://portal.example.kz/', 'https://portal.example.kz/app', 'null', 'ftp://x.kz', 'portal.example.kz']) {
      expect(() => parseCorsOrigins(bad)).toThrow(/HPC_CORS_ORIGINS/);
    }
  });
});
