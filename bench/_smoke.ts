import { launchChromium } from '../test/helpers/browser';
const base = 'http://127.0.0.1:27186';
const nca = 'https://127.0.0.1:27187';
async function plug(holder: string) { await fetch(nca + '/select', { method: 'POST', body: JSON.stringify({ holder }) }).catch((e) => console.log('select', e.message)); }
(async () => {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  const b = await launchChromium();
  const c = await b.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 800 } });
  const p = await c.newPage();
  await plug('900505431921');
  await p.goto(base + '/?lang=kk');
  await p.getByRole('button', { name: /Өтініш беруші/ }).click();
  await p.getByRole('heading', { name: 'Менің өтініштерім' }).waitFor();
  await p.getByRole('link', { name: 'Өтініш беру' }).click();
  await p.getByLabel('Елді мекен').fill('Астана (710000000)');
  for (const x of ['C1','C2','C3','C4']) await p.locator('#f-consent-' + x).check();
  await p.getByRole('button', { name: 'Қол қою және жіберу' }).click();
  await p.waitForURL(/case/);
  for (let i = 0; i < 30; i++) { await p.waitForTimeout(1000); await p.reload(); if (await p.getByTestId('queue-position').count()) break; }
  await p.screenshot({ path: 'docs/images/cabinet-case.png', fullPage: true });
  const id = /case\/([0-9a-f-]{36})/.exec(p.url())![1];
  console.log('case', id, await p.locator('[data-status]').getAttribute('data-status'));
  const s = await (await b.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 800 } })).newPage();
  await plug('HO-0001');
  await s.goto(base + '/staff/?lang=ru');
  await s.getByRole('button', { name: /Войти как сотрудник/ }).click();
  await s.waitForTimeout(3000);
  console.log('staff', await s.locator('main').innerText());
  await s.getByLabel('Открыть заявление по номеру').fill(id).catch(() => {});
  await s.getByRole('button', { name: 'Открыть' }).click().catch(() => {});
  await s.waitForTimeout(3000);
  await s.screenshot({ path: 'docs/images/staff-case.png', fullPage: true });
  await b.close();
})();
