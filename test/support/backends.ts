// The databases every storage and API suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/storage/database.js';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, migrated, empty database; closing it drops it. */
  open(): Promise<Database>;
}

const pglite: Backend = { name: 'pglite', open: () => openDatabase({ dataDir: 'memory://' }) };

/** A database of its own per suite on the shared server, dropped when the suite closes it. */
function postgresBackend(adminUrl: string): Backend {
  return {
    name: 'postgres',
    async open() {
      const name = `accord_test_${randomBytes(6).toString('hex')}`;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const database = await openDatabase({ url: url.toString(), poolSize: 10 });
      return {
        ...database,
        async close() {
          await database.close();
          const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
          await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await dropper.end();
        },
      };
    },
  };
}

export const backends: Backend[] = [pglite, ...(process.env.TEST_DATABASE_URL ? [postgresBackend(process.env.TEST_DATABASE_URL)] : [])];
