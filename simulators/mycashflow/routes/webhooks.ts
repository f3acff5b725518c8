import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notFound } from '../api-error.ts';
import { itemResponse, listResponse, noContent } from '../envelope.ts';
import { ORDER_EXPANDS, webhookUrlField } from '../fields.ts';
import { type ListSpec, listPage } from '../list-query.ts';
import type { WebhookRec } from '../model.ts';
import { renderWebhook } from '../render.ts';
import { parseBody, type RouteContext, type RouteDef } from '../route-context.ts';

const subscribeSchema = z.strictObject({
  topic: z.literal('order.created', { error: 'must be "order.created", the only topic the API offers' }),
  expands: z
    .array(z.enum(ORDER_EXPANDS, { error: `must be one of ${ORDER_EXPANDS.join(', ')}` }))
    .default([]),
  url: webhookUrlField,
});

/** Subscriptions have no id of their own; their position gives the list its order. */
interface Numbered {
  id: number;
  hook: WebhookRec;
}

const webhookSpec: ListSpec<Numbered> = {
  resource: '/webhooks',
  sortFields: { id: (n) => n.id },
  rangeFields: {},
  expands: [],
};

function findIndex(ctx: RouteContext): number {
  const uuid = ctx.params[0] ?? '';
  const index = ctx.store.webhooks.findIndex((w) => w.uuid === uuid);
  if (index < 0) throw notFound(`webhook subscription ${uuid} not found`);
  return index;
}

export const webhookRoutes: RouteDef[] = [
  {
    path: '/webhooks',
    methods: {
      GET: (ctx) => {
        const numbered = ctx.store.webhooks.map((hook, i) => ({ id: i + 1, hook }));
        const page = listPage(numbered, webhookSpec, ctx.list);
        return listResponse(
          page.items.map((n) => renderWebhook(n.hook)),
          page.meta,
        );
      },
      POST: (ctx) => {
        const body = parseBody(ctx, subscribeSchema, ['uuid', 'user_id']);
        const hook: WebhookRec = {
          uuid: randomUUID(),
          userId: ctx.user.id,
          topic: body.topic,
          expands: body.expands,
          url: body.url,
        };
        ctx.store.webhooks.push(hook);
        return itemResponse(renderWebhook(hook));
      },
    },
  },
  {
    path: '/webhooks/:uuid',
    methods: {
      GET: (ctx) => itemResponse(renderWebhook(ctx.store.webhooks[findIndex(ctx)]!)),
      DELETE: (ctx) => {
        ctx.store.webhooks.splice(findIndex(ctx), 1);
        return noContent();
      },
    },
  },
];
