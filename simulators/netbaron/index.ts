export { createNetBaronSim, NetBaronSim, type NetBaronSimOptions } from './netbaron-sim.ts';
export {
  makeNbStateSchema,
  nbStateSchema,
  parseNbState,
  DEFAULT_ORGANISATION,
  DEFAULT_PRODUCTS_PASSWORD,
  DEFAULT_ORDERS_PASSWORD,
  FIRST_SALES_ORDER_NUMBER,
  type NbStateDocument,
  type NbStateInput,
  type NbProduct,
  type NbMarketplace,
  type NbSalesOrder,
  type NbInvoiceDetails,
  type NbModuleName,
} from './state-schema.ts';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './products-handler.ts';
