/**
 * Hostile text (issue #9 §5.1) in the pieces that need no HTTP: the body walker of api/edge.ts and
 * the schemas' freeText, both asking the domain's hostileTextProblem (as the workflow's validators do).
 */
import { hostileInJson } from '../../api/edge';
import { parseOrThrow } from '../../api/errors';
import { reportReviewBody, technicalReportQuery } from '../../api/schemas';
import { hostileTextProblem, textProblem } from '../../domain/procedure/inputs';

describe('hostile text', () => {
  it('the domain names a NUL, a control character and a lone surrogate, and lets tab, newlines and pairs through', () => {
    expect(hostileTextProblem('a\u0000b')?.code).toBe('CONTROL_CHARACTER');
    expect(hostileTextProblem('a\u001bb')?.code).toBe('CONTROL_CHARACTER');
    expect(hostileTextProblem('\ud800')?.code).toBe('INVALID_UNICODE');
    expect(hostileTextProblem('x\udc00')?.code).toBe('INVALID_UNICODE');
    expect(hostileTextProblem('line\r\nnext\tтаб 😀')).toBeUndefined();
    // The workflow's validators ask the same through textProblem.
    expect(textProblem('x\u0000', 100)?.code).toBe('CONTROL_CHARACTER');
  });

  it('the body walker names the field at any depth, keys included, and survives deep nesting', () => {
    expect(hostileInJson({ contact: { email: 'a\u0000@b.kz' } })?.field).toBe('contact.email');
    expect(hostileInJson({ categories: ['ORPHAN', '\ud800'] })?.field).toBe('categories.1');
    expect(hostileInJson({ ['k\u0000']: 1 })?.field).toBe('body');
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(hostileInJson(deep)?.status).toBe(400);
    expect(hostileInJson({ text: 'fine', n: 1, b: true, z: null })).toBeUndefined();
  });

  it('freeText refuses it in the schemas too, naming the field with kk/ru/en', () => {
    const call = (): unknown => parseOrThrow(reportReviewBody, { accepted: false, reason: 'no\u0000' });
    expect(call).toThrow(expect.objectContaining({ status: 400, field: 'reason', code: 'VALIDATION_FAILED' }));
    expect(() => parseOrThrow(technicalReportQuery, { reportNumber: '\ud800', propertyId: 'p' })).toThrow(expect.objectContaining({ field: 'reportNumber' }));
  });
});
