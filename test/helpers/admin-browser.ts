import type { Page } from 'playwright-core';
import type { RunningSimulators, Scenario } from '../../simulators/scenario.ts';
import type { ConnectionFile } from '../../src/config/connection-file.ts';
import type { ConnectionRecord } from '../../src/connections/connection-store.ts';
import { launchBrowser, signIn, type TestBrowser } from './browser.ts';
import {
  ADMIN_PASSWORD,
  addConnection,
  connectionFileFor,
  startStoreSims,
  startTestService,
  type TestService,
} from './service.ts';

/** The whole service, both simulators, one stored store and a signed-in Chromium page on it. */
export interface AdminApp {
  t: TestService;
  sims: RunningSimulators;
  record: ConnectionRecord;
  /** `/connections/<slug>`. */
  base: string;
  b: TestBrowser;
  page: Page;
}

/**
 * What a browser test of one store's pages starts from: the service in this process (options as
 * `startTestService`), the simulators (the small scenario unless another is given), the store added
 * from its connection file (adjusted by `connection`), and Chromium signed in. All closed when the file ends.
 */
export async function openAdminApp(options: {
  id: string;
  name: string;
  service?: Parameters<typeof startTestService>[0];
  scenario?: Scenario;
  connection?: (file: ConnectionFile) => ConnectionFile;
}): Promise<AdminApp> {
  const t = await startTestService(options.service);
  const sims = await startStoreSims(options.scenario);
  const file = connectionFileFor(sims, options.id, options.name);
  const record = await addConnection(t, options.connection ? options.connection(file) : file);
  const b = await launchBrowser();
  await signIn(b.page, t.url, ADMIN_PASSWORD);
  return { t, sims, record, base: `/connections/${record.slug}`, b, page: b.page };
}
