import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/*
 * A port for a server that a test stops and starts again at the same address (a restarted database, a
 * worker started again after SIGKILL). A port the system picks (`listen(0)`) comes from the ephemeral
 * range, which the servers of every other test file running beside this one and every outgoing
 * connection draw from as well: while the server is down, one of them may take the port, and the
 * restart fails with EADDRINUSE. The system never hands out a port below that range by itself, so one
 * chosen there stays free unless someone asks for it by number.
 */

const FLOOR = 10_000;
/** Linux's default start of the range; also below the IANA range (49152) that other systems use. */
const DEFAULT_EPHEMERAL_LOW = 32_768;

async function ephemeralLow(): Promise<number> {
  try {
    const [low] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/);
    const value = Number(low);
    return Number.isInteger(value) && value > FLOOR + 1_000 ? value : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    // Every address: a server on any of them would keep the restarted one out.
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** A free port below the ephemeral range, picked at random so that two test files rarely try the same one. */
export async function restartablePort(): Promise<number> {
  const high = await ephemeralLow();
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = randomInt(FLOOR, high);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${FLOOR} and ${high}`);
}
