// Read by the Prisma CLI only (generate, migrate dev). The apps take their
// database URL from @wxcs/config, and `npm run db:migrate` uses the offline
// runner in packages/migrate.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/wechat_cs',
  },
});
