/**
 * The principal is told what their representative did (A2.B): a notice in their personal cabinet
 * (table `notices`, kind REPRESENTATIVE_ACTION, channel CABINET).
 *
 * One notice per action: the request id is the notice's dedupe key (db/migrations/006_notice_keys.sql),
 * so the same request (a retry with the same Idempotency-Key or X-Request-Id) is one notice and
 * each other action is a notice of its own. A cabinet notice is delivered by being written, so it
 * is stored DELIVERED and the SMS outbox never picks it up.
 */
import type { Pool } from 'pg';
import { queueNotice } from '../../db/cases/notices';
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
  'POST /v1/applications/:id/withdrawal': {
    kk: 'сіздің атыңыздан кезектен шығу туралы өтініш берді',
    ru: 'подал(а) от вашего имени заявление о выходе из очереди',
    en: 'asked on your behalf for your entry to leave the queue',
  },
  'POST /v1/applications/:id/category-recheck': {
    kk: 'санаттарды қайта тексеруді сұрады',
    ru: 'запросил(а) повторную проверку категорий',
    en: 'asked for the categories to be checked again',
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

/** Writes the principal's cabinet notice of this action; the same request id again changes nothing. */
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
  await queueNotice(pool, {
    applicationId: a.applicationId,
    kind: REPRESENTATIVE_ACTION,
    channel: 'CABINET',
    dedupeKey: a.requestId,
    issuedAt: a.at,
    recipient: null,
    body,
    status: 'DELIVERED',
  });
}
