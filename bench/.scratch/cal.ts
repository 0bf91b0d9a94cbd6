import cal2025 from '../../reference/calendar/2025.json';
import cal2026 from '../../reference/calendar/2026.json';
import cal2027 from '../../reference/calendar/2027.json';
import { compileCalendarYear } from '../../domain/calendar';
const raws: [unknown, number][] = [[cal2025, 2025], [cal2026, 2026], [cal2027, 2027]];
for (let round = 0; round < 3; round++) {
  const t = performance.now(); const n = 200;
  for (let i = 0; i < n; i++) for (const [r, y] of raws) compileCalendarYear(r, y);
  console.log(`3 years: ${((performance.now() - t) / n).toFixed(2)} ms per compile of all three`);
}
