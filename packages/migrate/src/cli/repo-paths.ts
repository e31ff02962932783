import { fileURLToPath } from 'node:url';

// src/cli/ and dist/cli/ sit at the same depth under packages/migrate, so this
// finds the repository root both under tsx and from compiled JavaScript. An
// image with another layout passes --migrations-dir / --schema instead.
const repositoryRoot = (): URL => new URL('../../../../', import.meta.url);

export const defaultMigrationsDir = (): string => fileURLToPath(new URL('prisma/migrations', repositoryRoot()));

export const defaultSchemaPath = (): string => fileURLToPath(new URL('prisma/schema.prisma', repositoryRoot()));
