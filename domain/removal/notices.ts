/**
 * The notices of a removal case (issue #11 §2), to the cabinet and by SMS, in Kazakh and Russian:
 * the preliminary decision with its ground, the hearing's time and what the person may do before
 * it (APPC art. 73; the style of the application's R17 notice, domain/notices.ts), and the final
 * decision — removed or kept. Pure.
 */
import type { RenderedNotice } from '../notices';
import type { RemovalGround } from '../../workflows/removal/contract';
import { REMOVAL_GROUND_TEXT } from './grounds';
import type { RemovalOutcome } from './procedure';

const fmt = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

/** The removal case's short reference shown to people. */
export function removalRef(removalId: string): string {
  return `ЕШ-${removalId.slice(0, 8).toUpperCase()}`;
}

export function removalPreliminaryNotice(p: { ref: string; registrationNumber: string; ground: RemovalGround; hearingAt: string; decisionDueAt: string }): RenderedNotice {
  const g = REMOVAL_GROUND_TEXT[p.ground];
  return {
    kind: 'REMOVAL_PRELIMINARY',
    cabinet: {
      kk:
        `Алдын ала шешім (${p.ref}): ${p.registrationNumber} нөмірлі жазбаны тұрғын үйге мұқтаждар есебінен шығару көзделіп отыр (ӘРПК 73-бабы). Негіз: ${g.kk}. ` +
        `Тыңдау: ${fmt(p.hearingAt)} (Астана уақыты), онлайн, жеке кабинет арқылы. Тыңдауға дейін өз ұстанымыңызды білдіріп, дәлелдеріңізді көрсете аласыз. ` +
        `Түпкілікті шешім мерзімі: ${fmt(p.decisionDueAt)}.`,
      ru:
        `Предварительное решение (${p.ref}): предполагается снять запись № ${p.registrationNumber} с учёта нуждающихся в жилище (статья 73 АППК). Основание: ${g.ru}. ` +
        `Заслушивание: ${fmt(p.hearingAt)} (время Астаны), онлайн через личный кабинет. До заслушивания вы можете выразить свою позицию и привести доводы. ` +
        `Срок окончательного решения: ${fmt(p.decisionDueAt)}.`,
    },
    sms: {
      kk: `Otbasy: ${p.registrationNumber} жазбасын есептен шығару туралы алдын ала шешім. Тыңдау ${fmt(p.hearingAt)}. Жеке кабинетті қараңыз.`,
      ru: `Otbasy: предварительное решение о снятии с учёта записи ${p.registrationNumber}. Заслушивание ${fmt(p.hearingAt)}. См. личный кабинет.`,
    },
  };
}

export function removalDecidedNotice(p: { ref: string; registrationNumber: string; ground: RemovalGround; outcome: RemovalOutcome; at: string; reasoning: string }): RenderedNotice {
  const g = REMOVAL_GROUND_TEXT[p.ground];
  const removed = p.outcome === 'REMOVE';
  return {
    kind: 'REMOVAL_DECIDED',
    cabinet: removed
      ? {
          kk:
            `${p.registrationNumber} нөмірлі жазба ${fmt(p.at)} тұрғын үйге мұқтаждар есебінен шығарылды (${p.ref}): ол енді ешбір тізімде жоқ. Негіз: ${g.kk}. Негіздеме: ${p.reasoning}. ` +
            `Шешімге берушінің басшысының атына шағым беруге болады (Қағидалардың 18-тармағы).`,
          ru:
            `Запись № ${p.registrationNumber} снята с учёта нуждающихся в жилище ${fmt(p.at)} (${p.ref}): её больше нет ни в одном списке. Основание: ${g.ru}. Мотивировка: ${p.reasoning}. ` +
            `Решение можно обжаловать, подав жалобу на имя руководителя услугодателя (пункт 18 Правил).`,
        }
      : {
          kk: `${p.registrationNumber} нөмірлі жазба есепте қалдырылды (${p.ref}, ${fmt(p.at)}): кезектегі орныңыз өзгерген жоқ. Негіздеме: ${p.reasoning}.`,
          ru: `Запись № ${p.registrationNumber} оставлена на учёте (${p.ref}, ${fmt(p.at)}): ваше место в очереди не изменилось. Мотивировка: ${p.reasoning}.`,
        },
    sms: removed
      ? {
          kk: `Otbasy: ${p.registrationNumber} жазбасы есептен шығарылды. Толығырақ: жеке кабинет.`,
          ru: `Otbasy: запись ${p.registrationNumber} снята с учёта. Подробнее: личный кабинет.`,
        }
      : {
          kk: `Otbasy: ${p.registrationNumber} жазбасы есепте қалдырылды.`,
          ru: `Otbasy: запись ${p.registrationNumber} оставлена на учёте.`,
        },
  };
}
