/**
 * The principal is told what their representative did (A2.B): a notice in their personal cabinet
 * (table `notices`, kind REPRESENTATIVE_ACTION, channel CABINET).
 *
 * The outbox allows one notice per case, kind and channel (`UNIQUE (application_id, kind,
 * channel)`, which the decision activities rely on), so a case has one REPRESENTATIVE_ACTION
 * notice that lists every action: each new action is appended and its text and time become the
 * notice's (so it comes first in the cabinet again). Idempotent per request id: the same request (a retry
 * with the same Idempotency-Key or X-Request-Id) is listed once. A cabinet notice is delivered by
 * being written, so it is stored DELIVERED and the SMS outbox never picks it up.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { toAlmatyIso } from '../../domain/time';
import type { LocalizedMessage } from '../errors';

export const REPRESENTATIVE_ACTION = 'REPRESENTATIVE_ACTION';

/** What a representative did, per endpoint, as the principal reads it. */
const ACTION_TEXTS: Readonly<Record<string, LocalizedMessage>> = {
  'POST /v1/applications': {
    kk: 'сіздің атыңыздан тұрғын үйге мұқтаж ретінде есепке алу туралы өтініш берді',
    ru: 'подал(а) от вашего имени заявление о постановке на учёт нуждающихся в жилище',
    en: 'filed an application for registration as in need of housing on your behalf',
  },
  'POST /v1/applications/:id/technical-report': {
    kk: 'техникалық зерттеп-қарау қорытындысын жүктеді',
    ru: 'загрузил(а) заключение технического обследования',
    en: 'uploaded the technical inspection report',
  },
  'POST /v1/applications/:id/position': {
    kk: 'тыңдау алдында сіздің ұстанымыңызды білдірді',
    ru: 'изложил(а) вашу позицию перед заслушиванием',
    en: 'stated your position before the hearing',
  },
  'POST /v1/applications/:id/consents': {
    kk: 'сіздің атыңыздан келісім берді',
    ru: 'дал(а) согласие от вашего имени',
    en: 'gave consent on your behalf',
  },
  'POST /v1/applications/:id/consents/:code/withdraw': {
    kk: 'сіздің атыңыздан келісімді кері қайтарып алды',
    ru: 'отозвал(а) согласие от вашего имени',
    en: 'withdrew a consent on your behalf',
  },
  'POST /v1/applications/:id/recheck': {
    kk: 'деректерді қайта тексеруді сұрады',
    ru: 'запросил(а) повторную проверку сведений',
    en: 'asked for the data to be checked again',
  },
};

const GENERIC: LocalizedMessage = {
  kk: 'сіздің өтінішіңіз бойынша әрекет жасады',
  ru: 'совершил(а) действие по вашему заявлению',
  en: 'acted on your application',
};

export function actionText(endpointKey: string): LocalizedMessage {
  return ACTION_TEXTS[endpointKey] ?? GENERIC;
}

export interface RepresentativeAction {
  applicationId: string;
  /** Idempotency: the same request id is recorded once. */
  requestId: string;
  representativeIin: string;
  /** `METHOD /template` (security/policy/policy.json). */
  endpoint: string;
  at: Date;
}

function noticeId(applicationId: string): string {
  // Stable per case (like the decision notices' ids): uuid-shaped SHA-256 of case and kind.
  const h = createHash('sha256').update(`${applicationId}|${REPRESENTATIVE_ACTION}|CABINET`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Writes (or extends) the principal's cabinet notice; a request id already listed changes nothing. */
export async function noticeRepresentativeAction(pool: Pool, a: RepresentativeAction): Promise<void> {
  const what = actionText(a.endpoint);
  const when = toAlmatyIso(a.at.getTime()).slice(0, 16).replace('T', ' ');
  const body = {
    kk: `Сіздің өкіліңіз (ЖСН ${a.representativeIin}) ${when} ${what.kk}.`,
    ru: `Ваш представитель (ИИН ${a.representativeIin}) ${when} ${what.ru}.`,
    en: `Your representative (IIN ${a.representativeIin}) ${what.en} at ${when}.`,
    actions: [
      { requestId: a.requestId, at: toAlmatyIso(a.at.getTime()), endpoint: a.endpoint, representativeIin: a.representativeIin, text: what },
    ],
  };
  await pool.query(
    `INSERT INTO notices (id, application_id, kind, channel, issued_at, recipient, body, status, delivered_at)
     VALUES ($1, $2, '${REPRESENTATIVE_ACTION}', 'CABINET', $3, NULL, $4::jsonb, 'DELIVERED', $3)
     ON CONFLICT (application_id, kind, channel) DO UPDATE
        SET body = EXCLUDED.body || jsonb_build_object('actions', COALESCE(notices.body->'actions', '[]'::jsonb) || (EXCLUDED.body->'actions')),
            issued_at = EXCLUDED.issued_at,
            delivered_at = EXCLUDED.delivered_at,
            status = 'DELIVERED'
      WHERE notices.kind = '${REPRESENTATIVE_ACTION}'
        AND NOT COALESCE(notices.body->'actions', '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('requestId', $5::text))`,
    [noticeId(a.applicationId), a.applicationId, a.at, JSON.stringify(body), a.requestId],
  );
}
