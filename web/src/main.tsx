/**
 * The web app (issue #12): the citizen cabinet at /, the staff console at /staff/, the public
 * queue at /queue/<kato>. Kazakh and Russian on every page (./i18n.ts); one bundle (docs/web.md).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { applyLang, initialLang, t, type Lang } from './i18n';
import { linkHandler, navigate, usePath } from './router';
import { currentSession, signOut } from './session';
import type { SessionView } from './api';
import { Cabinet } from './pages/cabinet';
import { ApplyPage } from './pages/apply';
import { CasePage } from './pages/case';
import { StaffWorklist, StaffCase } from './pages/staff';
import { QueuePage } from './pages/queue';
import { QueueHistoryPage } from './pages/queue-history';
import { QueueCheckPage } from './pages/queue-check';
import { SignInPanel } from './pages/sign-in';
import './style.css';

function LangSwitch({ lang, setLang }: { lang: Lang; setLang: (l: Lang) => void }) {
  return (
    <nav aria-label={t('language', lang)} class="lang">
      {(['kk', 'ru'] as const).map((l) => (
        <a
          key={l}
          href={`?lang=${l}`}
          lang={l}
          aria-current={l === lang ? 'true' : undefined}
          onClick={(e) => {
            e.preventDefault();
            setLang(l);
          }}
        >
          {l === 'kk' ? 'Қазақша' : 'Русский'}
        </a>
      ))}
    </nav>
  );
}

function App() {
  const [lang, setLangState] = useState<Lang>(initialLang());
  const [session, setSession] = useState<SessionView | undefined | null>(null);
  const path = usePath();
  useEffect(() => applyLang(lang), [lang]);
  useEffect(() => {
    void currentSession().then((s) => setSession(s));
  }, []);
  const setLang = (l: Lang): void => setLangState(l);
  const staffArea = path.startsWith('/staff');
  const queueArea = path.startsWith('/queue/');

  let page;
  const caseMatch = /^\/case\/([0-9a-f-]{36})$/.exec(path);
  const caseQueueMatch = /^\/case\/([0-9a-f-]{36})\/(queue-history|queue-check)$/.exec(path);
  const staffCaseMatch = /^\/staff\/case\/([0-9a-f-]{36})$/.exec(path);
  const queueMatch = /^\/queue\/(\d{9})\/?$/.exec(path);
  if (queueMatch) page = <QueuePage lang={lang} kato={queueMatch[1]} />;
  else if (session === null) page = <p aria-busy="true">{t('loading', lang)}</p>;
  else if (!session || staffArea !== isStaffRole(session.role)) page = <SignInPanel lang={lang} as={staffArea ? 'staff' : 'applicant'} onSignedIn={setSession} />;
  else if (staffCaseMatch) page = <StaffCase lang={lang} id={staffCaseMatch[1]} session={session} />;
  else if (staffArea) page = <StaffWorklist lang={lang} session={session} />;
  else if (path === '/apply') page = <ApplyPage lang={lang} session={session} />;
  else if (caseQueueMatch?.[2] === 'queue-history') page = <QueueHistoryPage lang={lang} id={caseQueueMatch[1]} />;
  else if (caseQueueMatch?.[2] === 'queue-check') page = <QueueCheckPage lang={lang} id={caseQueueMatch[1]} />;
  else if (caseMatch) page = <CasePage lang={lang} id={caseMatch[1]} />;
  else if (path === '/' || path === '') page = <Cabinet lang={lang} />;
  else page = <h1>{t('notFound', lang)}</h1>;

  const home = staffArea ? '/staff/' : '/';
  return (
    <>
      <a class="skip" href="#main">
        {t('skipToContent', lang)}
      </a>
      <header class="top">
        <a class="brand" href={home} onClick={linkHandler(home)}>
          {t('appTitle', lang)}
        </a>
        <span class="area">{staffArea ? t('staffConsole', lang) : queueArea ? t('publicQueue', lang) : t('cabinet', lang)}</span>
        <LangSwitch lang={lang} setLang={setLang} />
        {session && !queueArea ? (
          <div class="who">
            <span>
              {t('signedInAs', lang)} {session.name ?? session.id}
            </span>
            <button
              type="button"
              class="link"
              onClick={() => {
                void signOut().finally(() => {
                  setSession(undefined);
                  navigate(home);
                });
              }}
            >
              {t('signOut', lang)}
            </button>
          </div>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

function isStaffRole(role: string): boolean {
  return role !== 'applicant' && role !== 'representative';
}

render(<App />, document.getElementById('app')!);
