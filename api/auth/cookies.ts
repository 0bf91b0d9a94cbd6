/**
 * The session's cookies. `__Host-` names: the browser keeps them only when Secure, for Path=/ and
 * without a Domain, so no other host or path can set or shadow them.
 *   __Host-hpc_session  the session token — HttpOnly (no script reads it), SameSite=Strict
 *   __Host-hpc_csrf     the CSRF token — readable by the portal's script, which sends it back in
 *                       the X-CSRF-Token header of every state-changing request (double submit;
 *                       the server also compares it with the session's own CSRF token)
 * No Max-Age: they go when the browser closes; the server ends the session earlier (expiry).
 */
import type { CookieOptions, Response } from 'express';
import { CSRF_COOKIE, SESSION_COOKIE } from './sessions';

const BASE: CookieOptions = { secure: true, sameSite: 'strict', path: '/' };

export function setSessionCookies(res: Response, token: string, csrfToken: string): void {
  res.cookie(SESSION_COOKIE, token, { ...BASE, httpOnly: true });
  res.cookie(CSRF_COOKIE, csrfToken, { ...BASE, httpOnly: false });
}

export function clearSessionCookies(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { ...BASE, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, { ...BASE, httpOnly: false });
}
