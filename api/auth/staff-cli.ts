/**
 * The staff registry from the command line (docs/access-control.md), printing JSON:
 *
 *   npx tsx api/auth/staff-cli.ts seed-test-staff           development: the test CA's staff
 *   npx tsx api/auth/staff-cli.ts grant <iin> <staffId> <role>[,<role>…]
 *   npx tsx api/auth/staff-cli.ts revoke <iin>              suspends (the history stays)
 *   npx tsx api/auth/staff-cli.ts list
 *
 * The database is DATABASE_URL, else the embedded development cluster of `npm start` (PGPORT,
 * default 54320). `grant` is how the first administrator is made; after that administrators
 * manage the registry through `PUT /v1/admin/staff/:iin`.
 */
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { validateIin } from '../../domain/iin';
import { STAFF_ROLES, type StaffRole } from '../../security/policy/policy';
import { listStaff, upsertStaffMember, findStaffMember } from './staff';

/** The test CA's staff (dev/pki/test-ca.ts) and the role each holds in development. */
export const TEST_STAFF_ROLES: Readonly<Record<string, StaffRole>> = {
  'OP-0001': 'operator',
  'HO-0001': 'officer',
  'HD-0001': 'head',
};

function fail(message: string): never {
  process.stderr.write(`${JSON.stringify({ error: message })}\n`);
  process.exit(1);
}

function rolesOf(arg: string | undefined): StaffRole[] {
  if (!arg) fail(`roles: one or more of ${STAFF_ROLES.join(', ')}, comma-separated`);
  const roles = arg.split(',').map((r) => r.trim());
  const bad = roles.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r));
  if (bad.length > 0) fail(`unknown role(s) ${bad.join(', ')}; roles are ${STAFF_ROLES.join(', ')}`);
  return roles as StaffRole[]; // each checked against STAFF_ROLES above
}

async function main(argv: string[]): Promise<unknown> {
  const [command, ...args] = argv;
  if (!['seed-test-staff', 'grant', 'revoke', 'list'].includes(command ?? '')) {
    fail('commands: seed-test-staff | grant <iin> <staffId> <roles> | revoke <iin> | list');
  }
  const url = process.env.DATABASE_URL ?? `postgres://postgres:hpc-local-dev@127.0.0.1:${process.env.PGPORT ?? 54320}/hpc`;
  const pool = createPool(url, 2);
  try {
    await migrate(pool);
    switch (command) {
      case 'seed-test-staff': {
        if (process.env.NODE_ENV === 'production') fail('seed-test-staff is for development only (NODE_ENV=production)');
        const { TEST_STAFF } = await import('../../dev/pki/test-ca');
        const seeded = [];
        for (const member of TEST_STAFF) {
          const role = TEST_STAFF_ROLES[member.staffId];
          if (!role) continue;
          seeded.push(await upsertStaffMember(pool, { iin: member.iin, staffId: member.staffId, roles: [role], active: true, by: 'cli:seed-test-staff' }));
        }
        return { seeded: seeded.map((m) => ({ staffId: m.staffId, iin: m.iin, roles: m.roles })) };
      }
      case 'grant': {
        const [iin, staffId, roles] = args;
        if (!iin || !validateIin(iin).valid) fail('grant <iin> <staffId> <roles>: a valid 12-digit IIN');
        if (!staffId || !/^[A-Z]{2}-\d{4}$/.test(staffId)) fail('grant <iin> <staffId> <roles>: a staff id such as OP-0002');
        const m = await upsertStaffMember(pool, { iin, staffId, roles: rolesOf(roles), active: true, by: 'cli:grant' });
        return { staffId: m.staffId, iin: m.iin, roles: m.roles, active: m.active };
      }
      case 'revoke': {
        const [iin] = args;
        const existing = iin ? await findStaffMember(pool, iin) : undefined;
        if (!existing) fail('revoke <iin>: no staff member with this IIN');
        const m = await upsertStaffMember(pool, { ...existing, active: false, by: 'cli:revoke' });
        return { staffId: m.staffId, iin: m.iin, roles: m.roles, active: m.active };
      }
      case 'list':
        return { staff: (await listStaff(pool)).map((m) => ({ staffId: m.staffId, iin: m.iin, roles: m.roles, active: m.active })) };
      default:
        return fail('commands: seed-test-staff | grant <iin> <staffId> <roles> | revoke <iin> | list');
    }
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
    (err: unknown) => fail(err instanceof Error ? err.message : String(err)),
  );
}
