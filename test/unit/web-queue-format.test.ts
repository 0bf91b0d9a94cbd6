/** The queue pages' wording (web/src/queue-format.ts): months, waiting-time buckets, chart labels, history by list. */
import { bucketLabel, groupByList, monthLabel, wrapLabel, type QueueHistoryItem } from '../../web/src/queue-format';

describe('queue page wording', () => {
  it('months in Kazakh and Russian', () => {
    expect(monthLabel('2026-12', 'kk')).toBe('2026 ж. желтоқсан');
    expect(monthLabel('2026-01', 'ru')).toMatch(/^январь 2026( г\.)?$/);
  });

  it('waiting-time buckets with Russian plurals', () => {
    const buckets: [number, number | null][] = [[0, 1], [1, 2], [2, 3], [3, 5], [5, 10], [10, null]];
    expect(buckets.map(([f, t]) => bucketLabel(f, t, 'ru'))).toEqual(['0–1 год', '1–2 года', '2–3 года', '3–5 лет', '5–10 лет', '10 лет и более']);
    expect(buckets.map(([f, t]) => bucketLabel(f, t, 'kk'))).toEqual(['0–1 жыл', '1–2 жыл', '2–3 жыл', '3–5 жыл', '5–10 жыл', '10 жыл және одан көп']);
    expect(bucketLabel(21, null, 'ru')).toBe('21 год и более');
  });

  it('long chart labels in at most three lines, the rest elided', () => {
    expect(wrapLabel('Многодетные семьи')).toEqual(['Многодетные семьи']);
    expect(wrapLabel('Лица с инвалидностью первой и второй групп')).toEqual(['Лица с инвалидностью', 'первой и второй групп']);
    const long = wrapLabel('один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать', 10);
    expect(long).toHaveLength(3);
    expect(long[2].endsWith('…')).toBe(true);
  });

  it('history by list: the locality first, then categories, each in the order given', () => {
    const item = (category: string | undefined, at: string): QueueHistoryItem => ({
      at,
      list: { kato: '611010000', ...(category ? { category } : {}) },
      from: 2,
      to: 1,
      reason: { code: 'WITHDRAWN', kk: 'k', ru: 'r' },
    });
    const groups = groupByList([item('ORPHAN', '3'), item(undefined, '2'), item('LARGE_FAMILY', '1'), item(undefined, '0')]);
    expect(groups.map((g) => g.category ?? '')).toEqual(['', 'LARGE_FAMILY', 'ORPHAN']);
    expect(groups[0].items.map((i) => i.at)).toEqual(['2', '0']);
  });
});
