// Composition root of the staff accounts CLI: `npm run support-users -- add|remove|list NAME`.
import { loadMigrateConfig } from '@wxcs/config';
import { createPrismaClient } from '@wxcs/db';
import { readPassword } from './read-password.js';
import { runSupportUsers } from './support-users-command.js';

async function main(argv: readonly string[]): Promise<number> {
  const config = loadMigrateConfig(process.env);
  const prisma = createPrismaClient({ databaseUrl: config.database.DATABASE_URL, poolSize: 1 });
  try {
    return await runSupportUsers(argv, {
      prisma,
      production: config.common.NODE_ENV === 'production',
      readPassword: () => readPassword(process.stdin, (text) => process.stderr.write(text)),
      write: (text) => process.stdout.write(text),
      now: () => new Date(),
    });
  } finally {
    await prisma.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`support-users: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
