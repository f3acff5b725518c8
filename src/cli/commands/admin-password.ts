import type { Command } from 'commander';
import { readEnv } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { generatePassword } from '../../security/passwords.ts';
import { clearSignInLimits } from '../../server/auth/sign-in-limit.ts';
import { setAdminPassword } from '../../server/auth/admin-users.ts';
import { forgetInitialPassword } from '../../server/auth/initial-password.ts';

export function registerAdminPasswordCommand(program: Command): void {
  program
    .command('admin-password')
    .description(
      'set a new generated password for the admin page (signs every session out) and print it; works beside a running service',
    )
    .action(async () => {
      const env = readEnv();
      const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      try {
        const password = generatePassword();
        await setAdminPassword(database.db, password);
        await clearSignInLimits(database.db);
        // The first start's password no longer signs in: its file would only mislead.
        await forgetInitialPassword(env.DATA_DIR);
        // Printed, never logged: this is the one place a person sees it.
        console.log(`New admin password: ${password}`);
        if (env.ADMIN_PASSWORD)
          console.log(
            'Note: ADMIN_PASSWORD is set in this environment; a service started with it sets that one again.',
          );
      } finally {
        await database.close();
      }
    });
}
