/** A text a person reads, in the state language, the official language, and English for developers. */
export interface Localized {
  kk: string;
  ru: string;
  en: string;
}

/** A reason with a stable code, as the API and the workflow answer it. */
export interface Reason extends Localized {
  code: string;
}
