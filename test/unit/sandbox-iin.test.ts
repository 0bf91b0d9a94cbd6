/**
 * The sandbox's own IIN helper (SPEC §11) and the per-registry settings' random draws.
 */
import { centuryDigit, IinAllocator, iinCheckDigit, isValidIin, makeIin } from '../../sandbox/iin-gen';
import { SettingsState } from '../../sandbox/settings';

describe('IIN helper', () => {
  test('first-rule check digit: Σ dᵢ·i mod 11', () => {
    // 9·1+0+0+1·4+0+1·6+3·7+0+0+0+0 = 40 → 40 mod 11 = 7
    expect(iinCheckDigit('90010130000')).toBe(7);
    expect(isValidIin('900101300007')).toBe(true);
    expect(isValidIin('900101300008')).toBe(false);
  });

  test('second-rule check digit when the first gives 10, and no digit when both give 10', () => {
    // First rule: 9+4+6+21+80+11 = 131 → 131 mod 11 = 10; second: 27+6+8+27+8+2 = 78 → 1.
    expect(iinCheckDigit('90010130081')).toBe(1);
    expect(isValidIin('900101300811')).toBe(true);
    expect(iinCheckDigit('90010130080')).toBeNull();
    expect(makeIin('1990-01-01', 'M', 80)).toBeNull(); // serial 0080 → prefix 90010130080
  });

  test('the NCA test certificate IIN fails on purpose (CONTEXT)', () => {
    expect(isValidIin('123456789011')).toBe(false);
  });

  test('century and sex digit', () => {
    expect(centuryDigit(1899, 'M')).toBe(1);
    expect(centuryDigit(1985, 'M')).toBe(3);
    expect(centuryDigit(1985, 'F')).toBe(4);
    expect(centuryDigit(2005, 'M')).toBe(5);
    expect(centuryDigit(2005, 'F')).toBe(6);
    expect(makeIin('2005-02-28', 'F', 12)?.slice(0, 7)).toBe('0502286');
  });

  test('rejects impossible dates and century digits', () => {
    expect(isValidIin('900230300007')).toBe(false); // 30 February
    expect(isValidIin('900101700007')).toBe(false); // century digit 7
    expect(isValidIin('90010130000')).toBe(false);
  });

  test('the allocator hands out unique valid IINs', () => {
    const alloc = new IinAllocator(() => 9990);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const iin = alloc.next('2001-09-11', 'F');
      expect(isValidIin(iin)).toBe(true);
      expect(iin.slice(0, 7)).toBe('0109116');
      seen.add(iin);
    }
    expect(seen.size).toBe(500);
  });
});

describe('settings draws', () => {
  test('seeded plans repeat; other registries do not shift a registry\'s sequence', () => {
    const a = new SettingsState({ seed: 5, default: { errorRate: 0.3, latencyMs: 10, latencyJitterMs: 20 } });
    const b = new SettingsState({ seed: 5, default: { errorRate: 0.3, latencyMs: 10, latencyJitterMs: 20 } });
    const seqA = Array.from({ length: 50 }, () => a.plan('persons'));
    const seqB = Array.from({ length: 50 }, () => {
      b.plan('civil');
      return b.plan('persons');
    });
    expect(seqB).toEqual(seqA);
    for (const plan of seqA) {
      expect(plan.delayMs).toBeGreaterThanOrEqual(10);
      expect(plan.delayMs).toBeLessThan(30);
    }
    const failures = seqA.filter((p) => p.fail).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(30);
  });

  test('down wins over error rate; registry settings override the default field by field', () => {
    const s = new SettingsState({ default: { latencyMs: 7, errorRate: 0 }, sms: { down: true } });
    expect(s.plan('sms')).toEqual({ delayMs: 7, fail: true, failure: 'DOWN' });
    expect(s.effective('persons')).toEqual({ latencyMs: 7, latencyJitterMs: 0, errorRate: 0, down: false });
    s.update({ persons: { errorRate: 1 } });
    expect(s.plan('persons')).toMatchObject({ fail: true, failure: 'ERROR_DRAW' });
    expect(s.effective('persons').latencyMs).toBe(7);
  });
});
