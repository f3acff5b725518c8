import { readFileSync } from 'node:fs';
import type { AppContext } from '../app-context.ts';
import { sendJson, sendText, type Route } from '../http/router.ts';

/** Served by the service itself: the admin page loads nothing from elsewhere. */
const ASSETS: Record<string, { type: string; body: Buffer }> = {
  'app.css': {
    type: 'text/css; charset=utf-8',
    body: readFileSync(new URL('../assets/app.css', import.meta.url)),
  },
  'app.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(new URL('../assets/app.js', import.meta.url)),
  },
};

export function opsRoutes(app: Pick<AppContext, 'readiness' | 'metrics' | 'metricsNeedToken'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      access: 'public',
      handler: async ({ res }) => sendText(res, 200, 'ok'),
    },
    {
      method: 'GET',
      path: '/readyz',
      access: 'public',
      handler: async ({ res }) => {
        const { ok, checks } = await app.readiness();
        sendJson(res, ok ? 200 : 503, { ok, checks });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      access: 'metrics',
      handler: async ({ res }) => {
        if (app.metricsNeedToken)
          return sendText(
            res,
            403,
            'Metrics need a token when the service listens beyond this machine: set METRICS_TOKEN and send it as a bearer token.',
          );
        const { contentType, text } = await app.metrics.render();
        sendText(res, 200, text, contentType);
      },
    },
    {
      method: 'GET',
      path: '/assets/:file',
      access: 'public',
      handler: async ({ res, params }) => {
        const asset = ASSETS[params.file ?? ''];
        if (!asset) return sendText(res, 404, 'not found');
        res.writeHead(200, {
          'Content-Type': asset.type,
          'Content-Length': asset.body.length,
          'Cache-Control': 'public, max-age=300',
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(asset.body);
      },
    },
  ];
}
