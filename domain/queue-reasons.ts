/**
 * Why a queue entry's position changed (issue #11 §1): the reason codes of the queue ledger
 * (db/migrations/030_queue_ledger.sql) and what a person reads for each, in Kazakh and Russian —
 * once for the person's own entry, once for an entry ahead of theirs (never naming who it was).
 *
 * Removal grounds are the Housing Law's, not Order 130's (SPEC cites them; interpretation: the
 * codes HOUSING_PROVIDED, HOUSING_ACQUIRED, DIED and DATA_UNRELIABLE are our reading of the Housing
 * Law's grounds for taking a person off the register; WITHDRAWN is the person's own request).
 */
export const QUEUE_CHANGE_REASONS = [
  'REGISTERED',
  'MIGRATED',
  'RESTORED',
  'CATEGORY_CONFIRMED',
  'CATEGORY_LOST',
  'RECORD_CORRECTED',
  'HOUSING_PROVIDED',
  'HOUSING_ACQUIRED',
  'DIED',
  'DATA_UNRELIABLE',
  'WITHDRAWN',
] as const;

export type QueueChangeReason = (typeof QUEUE_CHANGE_REASONS)[number];

/** The reasons an entry may leave every list for (removal and withdrawal). */
export const REMOVAL_REASONS = ['HOUSING_PROVIDED', 'HOUSING_ACQUIRED', 'DIED', 'DATA_UNRELIABLE', 'WITHDRAWN'] as const satisfies readonly QueueChangeReason[];
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

interface Text {
  kk: string;
  ru: string;
}

/** `own`: the change was the person's own entry's; `ahead`: another entry ahead of theirs. */
export const QUEUE_REASON_TEXT: Record<QueueChangeReason, { own: Text; ahead: Text }> = {
  REGISTERED: {
    own: { kk: 'Сіз кезекке қойылдыңыз', ru: 'Вы поставлены на учёт' },
    ahead: { kk: 'Сізден бұрын өтініш берген адам кезекке қойылды', ru: 'На учёт поставлен человек, подавший заявление раньше вас' },
  },
  MIGRATED: {
    own: { kk: 'Сіздің есебіңіз әкімдіктің бірыңғай базасынан көшірілді', ru: 'Ваша учётная запись перенесена из единой базы акимата' },
    ahead: {
      kk: 'Әкімдіктің бірыңғай базасынан сізден бұрын тіркелген есеп көшірілді',
      ru: 'Из единой базы акимата перенесена запись, поставленная на учёт раньше вас',
    },
  },
  RESTORED: {
    own: { kk: 'Сіздің кезектегі бастапқы күніңіз қалпына келтірілді', ru: 'Восстановлена исходная дата вашей постановки на учёт' },
    ahead: {
      kk: 'Сізден бұрын берілген өтініштің кезегі қалпына келтірілді (шағым қанағаттандырылды)',
      ru: 'Восстановлено место в очереди по заявлению, поданному раньше вашего (жалоба удовлетворена)',
    },
  },
  CATEGORY_CONFIRMED: {
    own: { kk: 'Сіздің санатыңыз расталды', ru: 'Ваша категория подтверждена' },
    ahead: { kk: 'Сізден алдағы адамның санаты расталды', ru: 'Стоящему впереди подтверждена категория' },
  },
  CATEGORY_LOST: {
    own: { kk: 'Сіздің санатыңыз расталмады', ru: 'Ваша категория больше не подтверждается' },
    ahead: { kk: 'Сізден алдағы адамның санаты расталмады', ru: 'Стоящий впереди утратил категорию' },
  },
  RECORD_CORRECTED: {
    own: { kk: 'Сіздің есебіңіздің деректері түзетілді', ru: 'Исправлены данные вашей учётной записи' },
    ahead: { kk: 'Сізден алдағы есептің деректері түзетілді', ru: 'Исправлены данные записи, стоящей впереди' },
  },
  HOUSING_PROVIDED: {
    own: { kk: 'Сізге тұрғын үй берілді', ru: 'Вам предоставлено жильё' },
    ahead: { kk: 'Сізден алдағы адамға тұрғын үй берілді', ru: 'Стоящему впереди предоставлено жильё' },
  },
  HOUSING_ACQUIRED: {
    own: { kk: 'Сіз тұрғын үй сатып алдыңыз', ru: 'Вы приобрели жильё' },
    ahead: { kk: 'Сізден алдағы адам тұрғын үй сатып алды', ru: 'Стоящий впереди приобрёл жильё' },
  },
  DIED: {
    own: { kk: 'Есептен шығарылды (адам қайтыс болды)', ru: 'Снят с учёта (в связи со смертью)' },
    ahead: { kk: 'Сізден алдағы адам қайтыс болуына байланысты есептен шығарылды', ru: 'Стоящий впереди снят с учёта в связи со смертью' },
  },
  DATA_UNRELIABLE: {
    own: { kk: 'Деректер дұрыс емес деп танылып, есептен шығарылдыңыз', ru: 'Вы сняты с учёта: сведения признаны недостоверными' },
    ahead: {
      kk: 'Сізден алдағы адам деректері дұрыс емес деп танылып, есептен шығарылды',
      ru: 'Стоящий впереди снят с учёта: сведения признаны недостоверными',
    },
  },
  WITHDRAWN: {
    own: { kk: 'Сіз өз өтінішіңіз бойынша есептен шықтыңыз', ru: 'Вы сняты с учёта по собственному заявлению' },
    ahead: { kk: 'Сізден алдағы адам өз өтініші бойынша есептен шықты', ru: 'Стоящий впереди снят с учёта по собственному заявлению' },
  },
};
