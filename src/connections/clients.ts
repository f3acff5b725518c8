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
  const nb = new NetBaronClient(
    {
      baseUrl: n.baseUrl,
      organisation: n.organisation,
      products: n.productApiPassword
        ? { password: n.productApiPassword, interface: n.productsInterface }
        : undefined,
      salesorder: n.orderApiPassword
        ? { password: n.orderApiPassword, interface: n.salesOrderInterface }
        : undefined,
    },
    logger.child({ system: 'netbaron' }),
  );
  return { mcf, nb };
}

/**
 * A NetBaron client from stored settings before the connection is complete (no marketplace chosen
 * yet): it is what lists the marketplaces to choose from and tests the modules.
 */
export function netbaronClientFromSettings(
  settings: StoredSettings['netbaron'],
  secrets: Secrets,
  logger: Logger,
): NetBaronClient | undefined {
  if (!settings.baseUrl || !settings.organisation) return undefined;
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
    },
    logger.child({ system: 'netbaron' }),
  );
}
