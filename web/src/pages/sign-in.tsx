/** Sign-in with EDS through NCALayer (./session.ts). */
import { useState } from 'preact/hooks';
import type { SessionView } from '../api';
import { Alert, errorText } from '../components';
import { t, type Lang } from '../i18n';
import { signIn } from '../session';

export function SignInPanel({ lang, as, onSignedIn }: { lang: Lang; as: 'applicant' | 'staff'; onSignedIn: (s: SessionView) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <section aria-labelledby="signin-title">
      <h1 id="signin-title">{as === 'staff' ? t('staffConsole', lang) : t('cabinet', lang)}</h1>
      <p>{t('signInIntro', lang)}</p>
      <Alert text={error} />
      <div class="buttons">
        {(as === 'staff' ? (['staff'] as const) : (['applicant', 'representative'] as const)).map((who) => (
          <button
            key={who}
            type="button"
            class={who === 'representative' ? undefined : 'primary'}
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setError(undefined);
              try {
                onSignedIn(await signIn(who, lang));
              } catch (err) {
                setError(errorText(err, lang));
              } finally {
                setBusy(false);
              }
            }}
          >
            {who === 'staff' ? t('signInAsStaff', lang) : who === 'representative' ? t('signInAsRepresentative', lang) : t('signInAsApplicant', lang)}
          </button>
        ))}
      </div>
      {busy ? <p role="status">{t('signing', lang)}</p> : null}
    </section>
  );
}
