import type { ConnectionFile } from '../config/connection-file.ts';
import { MyCashflowClient } from '../mycashflow/client.ts';
import { NetBaronClient } from '../netbaron/client.ts';
import type { Logger } from '../observability/logger.ts';
import type { Secrets, StoredSettings } from './settings.ts';

/** Both clients of a connection, with its credentials; module passwords that are not set stay unset. */
export function clientsFor(
  connection: ConnectionFile,
  logger: Logger,
): { mcf: MyCashflowClient; nb: NetBaronClient } {
  const { mycashflow: m, netbaron: n } = connection;
  const mcf = new MyCashflowClient(
    { baseUrl: m.baseUrl, email: m.user, apiKey: m.apiKey },
    logger.child({ system: 'mycashflow' }),
  );
  const nb = netbaronClient(n, n, logger);
  return { mcf, nb };
}

/**
 * A NetBaron client from its settings and module passwords; a module without a password stays unset.
 * Also used before a connection is complete (no marketplace chosen yet): it lists the marketplaces to
 * choose from and tests the modules.
 */
export function netbaronClient(
  settings: Pick<
    StoredSettings['netbaron'],
    'baseUrl' | 'organisation' | 'productsInterface' | 'salesOrderInterface'
  > &
    Partial<Pick<StoredSettings['netbaron'], 'booleanSpelling' | 'decimalSeparator'>>,
  secrets: Pick<Secrets, 'productApiPassword' | 'orderApiPassword'>,
  logger: Logger,
): NetBaronClient {
  return new NetBaronClient(
    {
      baseUrl: settings.baseUrl,
      organisation: settings.organisation,
      products: secrets.productApiPassword
        ? { password: secrets.productApiPassword, interface: settings.productsInterface }
        : undefined,
      salesorder: secrets.orderApiPassword
        ? { password: secrets.orderApiPassword, interface: settings.salesOrderInterface }
        : undefined,
      format: {
        booleanSpelling: settings.booleanSpelling ?? 'upper',
        decimalSeparator: settings.decimalSeparator ?? '.',
      },
    },
    logger.child({ system: 'netbaron' }),
  );
}

export function netbaronClientFromSettings(
  settings: StoredSettings['netbaron'],
  secrets: Secrets,
  logger: Logger,
): NetBaronClient | undefined {
  return settings.baseUrl && settings.organisation ? netbaronClient(settings, secrets, logger) : undefined;
}

/** A MyCashflow client from the store's settings and API key; undefined while one of them is missing. */
export function mycashflowClientFromSettings(
  settings: StoredSettings['mycashflow'],
  secrets: Pick<Secrets, 'mycashflowApiKey'>,
  logger: Logger,
): MyCashflowClient | undefined {
  if (!settings.baseUrl || !settings.user || !secrets.mycashflowApiKey) return undefined;
  return new MyCashflowClient(
    { baseUrl: settings.baseUrl, email: settings.user, apiKey: secrets.mycashflowApiKey },
    logger.child({ system: 'mycashflow' }),
  );
}
