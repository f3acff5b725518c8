import type { Command } from 'commander';
import { readEnv } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { generatePassword } from '../../security/passwords.ts';
import { clearSignInLimits } from '../../security/sign-in-limit.ts';
import { setAdminPassword } from '../../server/auth/admin-users.ts';

export function registerAdminPasswordCommand(program: Command): void {
  program
    .command('admin-password')
    .description('set a new generated password for the admin page (signs every session out) and print it')
    .action(async () => {
      const env = readEnv();
      const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      try {
        const password = generatePassword();
        await setAdminPassword(database.db, password);
        await clearSignInLimits(database.db);
        // Printed, never logged: this is the one place a person sees it.
        console.log(`New admin password: ${password}`);
      } finally {
        await database.close();
      }
    });
}
