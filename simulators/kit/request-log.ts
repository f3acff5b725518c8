export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: string;
  status: number | null;
  durationMs: number;
  remoteAddress: string;
  fault?: string;
}

/**
 * Keeps the newest entries in full and every count since the last clear, so that a 100 000-request
 * benchmark can still be counted without holding every request in memory.
 */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;
  private byMethod = new Map<string, number>();
  private byRoute = new Map<string, number>();
  private byStatus = new Map<string, number>();

  constructor(private readonly keep = 5000) {}

  add(entry: Omit<LoggedRequest, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > this.keep) this.entries.splice(0, this.entries.length - this.keep);
    bump(this.byMethod, entry.method);
    bump(this.byRoute, `${entry.method} ${entry.path}`);
    bump(this.byStatus, entry.status === null ? 'dropped' : String(entry.status));
  }

  clear(): void {
    this.entries = [];
    this.byMethod.clear();
    this.byRoute.clear();
    this.byStatus.clear();
  }

  snapshot(): {
    total: number;
    counts: {
      byMethod: Record<string, number>;
      byPath: Record<string, number>;
      byStatus: Record<string, number>;
    };
    requests: LoggedRequest[];
  } {
    let total = 0;
    for (const n of this.byMethod.values()) total += n;
    return {
      total,
      counts: {
        byMethod: Object.fromEntries(this.byMethod),
        byPath: Object.fromEntries(this.byRoute),
        byStatus: Object.fromEntries(this.byStatus),
      },
      requests: [...this.entries],
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
