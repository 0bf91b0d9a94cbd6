import { INTERPRETATIONS } from '../../domain/interpretations';
test('interpretations load with a version', () => {
  expect(INTERPRETATIONS.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});
