/** Small shared pieces: messages that screen readers announce, and a labelled field with its error. */
import type { ComponentChildren } from 'preact';
import { NcaLayerError } from './ncalayer';
import { failureText } from './api';
import { t, type Lang } from './i18n';

export function Alert({ text, kind = 'error' }: { text?: string; kind?: 'error' | 'ok' | 'info' }) {
  if (!text) return null;
  return (
    <p class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  );
}

export function Field(props: { id: string; label: string; error?: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class={`field${props.error ? ' field-error' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.children}
      {props.error ? (
        <span class="error" id={`${props.id}-error`}>
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

/** aria-describedby for an input with a hint and/or an error. */
export function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/** The text of a failure of the API or of NCALayer, in the page's language. */
export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof NcaLayerError) return err.kind === 'CANCELLED' ? t('ncaLayerCancelled', lang) : t('ncaLayerMissing', lang);
  return failureText(err, lang);
}
