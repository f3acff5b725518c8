import type { Progress } from '../catalog/executor.ts';

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** A one-line progress bar on a terminal (redrawn at most ten times a second); silent elsewhere. */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): {
  update(p: Progress): void;
  stage(text: string): void;
  done(): void;
} {
  const tty = Boolean(stream.isTTY);
  let last = 0;
  let drawn = false;
  const draw = (line: string) => {
    if (!tty) return;
    stream.write(
      `\r${line.slice(0, (stream.columns ?? 100) - 1).padEnd(Math.min(stream.columns ?? 100, 100) - 1)}`,
    );
    drawn = true;
  };
  return {
    stage(text) {
      if (tty) draw(text);
    },
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.completed < p.total) return;
      last = now;
      const width = 30;
      const share = p.total === 0 ? 1 : p.completed / p.total;
      const filled = Math.round(share * width);
      const eta = p.etaSeconds === undefined ? '--:--' : clock(p.etaSeconds);
      draw(
        `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.completed}/${p.total} ${(share * 100).toFixed(0)}%` +
          `  failed ${p.failed}  concurrency ${p.concurrency}  ETA ${eta}`,
      );
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
