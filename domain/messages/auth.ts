/**
 * The texts of sign-in, sessions and authorisation (api/auth/messages.ts answers with them; the
 * web pages show them). Pure.
 */
import type { LocalizedMessage } from './types';

export const AUTH_MESSAGE_TEXTS = {
  UNAUTHENTICATED: {
    kk: 'Жүйеге кірмегенсіз: ЭЦҚ арқылы кіріңіз',
    ru: 'Вы не вошли в систему: войдите с помощью ЭЦП',
    en: 'Not signed in: sign in with your EDS (electronic digital signature)',
  },
  SESSION_EXPIRED: {
    kk: 'Сессия аяқталды немесе жарамсыз; ЭЦҚ арқылы қайта кіріңіз',
    ru: 'Сеанс завершён или недействителен; войдите снова с помощью ЭЦП',
    en: 'The session has ended or is not valid; sign in again with your EDS',
  },
  CSRF_FAILED: {
    kk: 'Сұрау расталмады: X-CSRF-Token тақырыбы жоқ немесе сессияға сәйкес келмейді; бетті жаңартыңыз',
    ru: 'Запрос не подтверждён: заголовок X-CSRF-Token отсутствует или не соответствует сеансу; обновите страницу',
    en: 'The request was not confirmed: the X-CSRF-Token header is missing or does not match the session; reload the page',
  },
  AUTHORIZATION_MALFORMED: {
    kk: 'Authorization тақырыбы «Bearer <токен>» түрінде болуы керек',
    ru: 'Заголовок Authorization должен иметь вид «Bearer <токен>»',
    en: 'The Authorization header must be "Bearer <token>"',
  },
  CHALLENGE_INVALID: {
    kk: 'Жүйеге кіру коды жарамсыз, пайдаланылған немесе мерзімі өткен; жүйеге кіруді қайта бастаңыз',
    ru: 'Код входа недействителен, уже использован или просрочен; начните вход заново',
    en: 'The sign-in code is unknown, already used or expired; start signing in again',
  },
  NOT_STAFF: {
    kk: 'Сіз берушінің қызметкерлер тізілімінде жоқсыз немесе қол жеткізуіңіз тоқтатылған',
    ru: 'Вас нет в реестре сотрудников предоставителя, или ваш доступ приостановлен',
    en: "You are not in the provider's staff registry, or your access is suspended",
  },
  ROLE_REQUIRED: {
    kk: 'Сізде бірнеше рөл бар: жүйеге қай рөлмен кіретініңізді таңдаңыз (role өрісі)',
    ru: 'У вас несколько ролей: выберите, в какой роли вы входите (поле role)',
    en: 'You hold several roles: choose the one you sign in with (the role field)',
  },
  ROLE_NOT_GRANTED: {
    kk: 'Бұл рөл сізге берілмеген',
    ru: 'Эта роль вам не предоставлена',
    en: 'This role has not been granted to you',
  },
  STAFF_SIGN_IN_UNAVAILABLE: {
    kk: 'Қызметкерлердің жүйеге кіруі бапталмаған (берушінің БСН-і көрсетілмеген)',
    ru: 'Вход сотрудников не настроен (не указан БИН предоставителя)',
    en: "Staff sign-in is not configured (the provider's BIN is not set)",
  },
  REPRESENTATION_NOT_CONFIRMED: {
    kk: 'Өкілдік тізілімі сіздің осы адамның өкілі екеніңізді дәл қазір растамайды (қамқоршылық, қорғаншылық немесе сенімхат жоқ не мерзімі өткен)',
    ru: 'Реестр представительства сейчас не подтверждает, что вы представляете это лицо (опека, попечительство или доверенность отсутствуют либо истекли)',
    en: 'The representation registry does not confirm right now that you represent this person (no guardianship, trusteeship or power of attorney in force)',
  },
  REPRESENTATION_UNAVAILABLE: {
    kk: 'Өкілдік тізілімі уақытша жауап бермейді; кейінірек қайталаңыз',
    ru: 'Реестр представительства временно не отвечает; повторите позже',
    en: 'The representation registry is temporarily unavailable; try again later',
  },
  OWN_STAFF_ENTRY: {
    kk: 'Әкімші өз рөлдерін өзгерте алмайды',
    ru: 'Администратор не может изменять собственные роли',
    en: 'An administrator cannot change their own roles',
  },
  STAFF_ID_TAKEN: {
    kk: 'Бұл қызметкер нөмірі басқа адамға берілген',
    ru: 'Этот табельный номер уже присвоен другому лицу',
    en: 'This staff id already belongs to another person',
  },
} satisfies Record<string, LocalizedMessage>;
