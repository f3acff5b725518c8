import { z } from 'zod';

/*
 * Branded identifiers: each system's IDs are distinct types, so a NetBaron sales-order number can never
 * be passed where a MyCashflow order id is expected. The product code is the one key both systems share.
 */

const positiveInt = () => z.number().int().positive();

export const mcfProductIdSchema = positiveInt().brand<'McfProductId'>();
export type McfProductId = z.infer<typeof mcfProductIdSchema>;

export const mcfVariationIdSchema = positiveInt().brand<'McfVariationId'>();
export type McfVariationId = z.infer<typeof mcfVariationIdSchema>;

export const mcfStockItemIdSchema = positiveInt().brand<'McfStockItemId'>();
export type McfStockItemId = z.infer<typeof mcfStockItemIdSchema>;

export const mcfOrderIdSchema = positiveInt().brand<'McfOrderId'>();
export type McfOrderId = z.infer<typeof mcfOrderIdSchema>;

export const mcfOrderLineIdSchema = positiveInt().brand<'McfOrderLineId'>();
export type McfOrderLineId = z.infer<typeof mcfOrderLineIdSchema>;

export const mcfVersionIdSchema = positiveInt().brand<'McfVersionId'>();
export type McfVersionId = z.infer<typeof mcfVersionIdSchema>;

export const mcfPaymentMethodIdSchema = positiveInt().brand<'McfPaymentMethodId'>();
export type McfPaymentMethodId = z.infer<typeof mcfPaymentMethodIdSchema>;

export const mcfShippingMethodIdSchema = positiveInt().brand<'McfShippingMethodId'>();
export type McfShippingMethodId = z.infer<typeof mcfShippingMethodIdSchema>;

export const mcfWebhookUuidSchema = z.string().min(1).brand<'McfWebhookUuid'>();
export type McfWebhookUuid = z.infer<typeof mcfWebhookUuidSchema>;

/** The product code: NetBaron's `ProductCode` and MyCashflow's `product_code`, the join key. */
export const productCodeSchema = z.string().min(1).max(255).brand<'ProductCode'>();
export type ProductCode = z.infer<typeof productCodeSchema>;

export const nbMarketplaceIdSchema = z.string().min(1).brand<'NbMarketplaceId'>();
export type NbMarketplaceId = z.infer<typeof nbMarketplaceIdSchema>;

export const nbSalesOrderNumberSchema = z.string().min(1).brand<'NbSalesOrderNumber'>();
export type NbSalesOrderNumber = z.infer<typeof nbSalesOrderNumberSchema>;

export const productCode = (value: string): ProductCode => productCodeSchema.parse(value);
export const mcfOrderId = (value: number): McfOrderId => mcfOrderIdSchema.parse(value);
export const nbMarketplaceId = (value: string): NbMarketplaceId => nbMarketplaceIdSchema.parse(value);
