/**
 * The answers of sign-in, sessions and authorisation, in Kazakh, Russian and English, in the API's
 * one error format (api/errors.ts). Kept here so that api/errors.ts stays the core's.
 */
import { AUTH_MESSAGE_TEXTS } from '../../domain/messages/auth';
import { ApiError } from '../errors';

export const AUTH_MESSAGES = AUTH_MESSAGE_TEXTS;

export type AuthMessageCode = keyof typeof AUTH_MESSAGES;

export function authError(status: number, code: AuthMessageCode, opts: { field?: string; details?: unknown[] } = {}): ApiError {
  return new ApiError(status, code, AUTH_MESSAGES[code], opts);
}
