/** A text a person reads, in Kazakh and Russian, with English for developers. */
export interface LocalizedMessage {
  kk: string;
  ru: string;
  en: string;
}

/** The languages a person may choose on the pages (the state language first). */
export const LANGS = ['kk', 'ru'] as const;
export type Lang = (typeof LANGS)[number];
