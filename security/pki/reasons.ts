/**
 * Why a certificate, a signature or a sign-in was refused: a stable code for programs and the
 * reason in Kazakh, Russian and English for the person (the same shape as domain/iin.ts uses).
 * `details` carries technical context (which certificate, which algorithm) and never personal data
 * beyond what the caller already holds.
 */

export type PkiReasonCode =
  // certificates and chains
  | 'BAD_CERTIFICATE'
  | 'UNTRUSTED_ISSUER'
  | 'BAD_CERTIFICATE_SIGNATURE'
  | 'SIGNATURE_ALGORITHM_UNSUPPORTED'
  | 'VERIFIER_UNAVAILABLE'
  | 'CERT_EXPIRED'
  | 'CERT_NOT_YET_VALID'
  | 'ISSUER_NOT_VALID'
  | 'ISSUER_NOT_CA'
  | 'PATH_TOO_LONG'
  | 'UNKNOWN_CRITICAL_EXTENSION'
  | 'KEY_USAGE_NOT_ALLOWED'
  // revocation
  | 'CERT_REVOKED'
  | 'REVOCATION_UNKNOWN'
  | 'REVOCATION_UNAVAILABLE'
  // CMS signatures
  | 'BAD_CMS'
  | 'SIGNER_CERT_MISSING'
  | 'CONTENT_MISMATCH'
  | 'BAD_SIGNATURE'
  | 'SIGNING_TIME_INVALID'
  // sign-in
  | 'NONCE_MISMATCH'
  | 'NOT_AUTH_KEY'
  | 'NOT_INDIVIDUAL'
  | 'NOT_ORGANIZATION_EMPLOYEE'
  | 'BIN_MISMATCH'
  | 'NO_IIN'
  | 'INVALID_IIN';

export interface PkiReason {
  code: PkiReasonCode;
  kk: string;
  ru: string;
  en: string;
  details?: Record<string, string | number | boolean>;
}

type Texts = Omit<PkiReason, 'code' | 'details'>;

const TEXTS: Record<PkiReasonCode, Texts> = {
  BAD_CERTIFICATE: {
    kk: 'Сертификатты оқу мүмкін емес: ол X.509 сертификаты емес немесе зақымдалған',
    ru: 'Не удалось прочитать сертификат: это не сертификат X.509 или он повреждён',
    en: 'The certificate cannot be read: it is not an X.509 certificate or it is damaged',
  },
  UNTRUSTED_ISSUER: {
    kk: 'Сертификатты сенімді куәландырушы орталық бермеген',
    ru: 'Сертификат выдан не доверенным удостоверяющим центром',
    en: 'The certificate was not issued by a trusted certification authority',
  },
  BAD_CERTIFICATE_SIGNATURE: {
    kk: 'Сертификаттағы куәландырушы орталықтың қолтаңбасы жарамсыз',
    ru: 'Подпись удостоверяющего центра на сертификате недействительна',
    en: "The certification authority's signature on the certificate is not valid",
  },
  SIGNATURE_ALGORITHM_UNSUPPORTED: {
    kk: 'Қолтаңба алгоритміне (мысалы, ГОСТ) әдепкі тексерушіде қолдау жоқ; сыртқы тексеру қызметі қосылмаған',
    ru: 'Алгоритм подписи (например, ГОСТ) не поддерживается проверкой по умолчанию; внешний сервис проверки не подключён',
    en: 'The signature algorithm (e.g. GOST) is unsupported by the default verifier; no external verification service is configured',
  },
  VERIFIER_UNAVAILABLE: {
    kk: 'Қолтаңбаны тексеру қызметі жауап бермеді; кейінірек қайталаңыз',
    ru: 'Сервис проверки подписи не ответил; повторите позже',
    en: 'The signature verification service did not answer; try again later',
  },
  CERT_EXPIRED: {
    kk: 'Сертификаттың қолданылу мерзімі өтіп кеткен',
    ru: 'Срок действия сертификата истёк',
    en: 'The certificate has expired',
  },
  CERT_NOT_YET_VALID: {
    kk: 'Сертификаттың қолданылу мерзімі әлі басталмаған',
    ru: 'Срок действия сертификата ещё не начался',
    en: 'The certificate is not valid yet',
  },
  ISSUER_NOT_VALID: {
    kk: 'Куәландырушы орталықтың сертификаты сол уақытта жарамсыз',
    ru: 'Сертификат удостоверяющего центра недействителен на тот момент',
    en: "The certification authority's certificate is not valid at that time",
  },
  ISSUER_NOT_CA: {
    kk: 'Сертификатты куәландырушы орталық емес сертификат берген',
    ru: 'Сертификат выдан сертификатом, который не является сертификатом удостоверяющего центра',
    en: 'The certificate was issued by a certificate that is not a certification authority',
  },
  PATH_TOO_LONG: {
    kk: 'Сертификаттар тізбегі тым ұзын',
    ru: 'Цепочка сертификатов слишком длинная',
    en: 'The certificate chain is too long',
  },
  UNKNOWN_CRITICAL_EXTENSION: {
    kk: 'Сертификатта белгісіз сыни (critical) кеңейтім бар',
    ru: 'Сертификат содержит неизвестное критическое расширение',
    en: 'The certificate has an unknown critical extension',
  },
  KEY_USAGE_NOT_ALLOWED: {
    kk: 'Сертификат кілтін бұл мақсатқа пайдалануға болмайды',
    ru: 'Ключ сертификата не предназначен для этой цели',
    en: "The certificate's key may not be used for this purpose",
  },
  CERT_REVOKED: {
    kk: 'Сертификат кері қайтарылған (күші жойылған)',
    ru: 'Сертификат отозван',
    en: 'The certificate has been revoked',
  },
  REVOCATION_UNKNOWN: {
    kk: 'Куәландырушы орталық бұл сертификаттың мәртебесін білмейді',
    ru: 'Удостоверяющему центру неизвестен статус этого сертификата',
    en: 'The certification authority does not know the status of this certificate',
  },
  REVOCATION_UNAVAILABLE: {
    kk: 'Сертификаттың кері қайтарылмағанын тексеру мүмкін болмады; кейінірек қайталаңыз',
    ru: 'Не удалось проверить, не отозван ли сертификат; повторите позже',
    en: 'Could not check whether the certificate has been revoked; try again later',
  },
  BAD_CMS: {
    kk: 'Қол қойылған деректерді (CMS) оқу мүмкін емес',
    ru: 'Не удалось прочитать подписанные данные (CMS)',
    en: 'The signed data (CMS) cannot be read',
  },
  SIGNER_CERT_MISSING: {
    kk: 'Қол қоюшының сертификаты табылмады',
    ru: 'Сертификат подписавшего не найден',
    en: "The signer's certificate was not found",
  },
  CONTENT_MISMATCH: {
    kk: 'Қолтаңба басқа деректерге қойылған',
    ru: 'Подпись поставлена под другими данными',
    en: 'The signature was made over different data',
  },
  BAD_SIGNATURE: {
    kk: 'Электрондық цифрлық қолтаңба жарамсыз',
    ru: 'Электронная цифровая подпись недействительна',
    en: 'The electronic digital signature is not valid',
  },
  SIGNING_TIME_INVALID: {
    kk: 'Қол қою уақыты жарамсыз (болашақта немесе тым ерте)',
    ru: 'Недопустимое время подписания (в будущем или слишком давно)',
    en: 'The signing time is not acceptable (in the future or too long ago)',
  },
  NONCE_MISMATCH: {
    kk: 'Қол қойылған жол сервер берген кодқа сәйкес келмейді; жүйеге кіруді қайта бастаңыз',
    ru: 'Подписанная строка не совпадает с кодом, выданным сервером; начните вход заново',
    en: 'The signed string does not match the code the server issued; start signing in again',
  },
  NOT_AUTH_KEY: {
    kk: 'Жүйеге кіру үшін қол қою кілтін емес, аутентификация кілтін (AUTH_…) таңдаңыз',
    ru: 'Для входа выберите ключ аутентификации (AUTH_…), а не ключ подписи',
    en: 'To sign in, choose the authentication key (AUTH_…), not the signing key',
  },
  NOT_INDIVIDUAL: {
    kk: 'Азамат жүйеге жеке тұлғаның сертификатымен кіреді',
    ru: 'Гражданин входит с сертификатом физического лица',
    en: "A citizen signs in with an individual's certificate",
  },
  NOT_ORGANIZATION_EMPLOYEE: {
    kk: 'Қызметкер жүйеге заңды тұлға қызметкерінің сертификатымен кіреді',
    ru: 'Сотрудник входит с сертификатом сотрудника юридического лица',
    en: "Staff sign in with a legal entity employee's certificate",
  },
  BIN_MISMATCH: {
    kk: 'Сертификат басқа ұйымның (БСН) қызметкеріне берілген',
    ru: 'Сертификат выдан сотруднику другой организации (БИН)',
    en: 'The certificate belongs to an employee of another organisation (BIN)',
  },
  NO_IIN: {
    kk: 'Сертификатта ЖСН жоқ',
    ru: 'В сертификате нет ИИН',
    en: 'The certificate has no IIN',
  },
  INVALID_IIN: {
    kk: 'Сертификаттағы ЖСН жарамсыз',
    ru: 'ИИН в сертификате недействителен',
    en: 'The IIN in the certificate is not valid',
  },
};

export function pkiReason(code: PkiReasonCode, details?: PkiReason['details']): PkiReason {
  return { code, ...TEXTS[code], ...(details === undefined ? {} : { details }) };
}

export const PKI_REASON_CODES = Object.keys(TEXTS) as PkiReasonCode[];
