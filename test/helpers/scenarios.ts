import { MCF_USER, NB_ORDERS_PASSWORD, NB_ORG, NB_PRODUCTS_PASSWORD } from './sims.ts';

/** A small store and NetBaron register, hand-written in both systems' own vocabulary. */
export function smallScenario(): { mycashflow: Record<string, unknown>; netbaron: Record<string, unknown> } {
  return {
    mycashflow: {
      store: { name: 'Testikauppa', plan: 'advanced' },
      api_users: [MCF_USER],
      versions: [
        { id: 1, name: 'Suomi', language: 'fi' },
        { id: 2, name: 'Sverige', language: 'sv', contact: { company: 'Testbutik AB', email: 'butik@example.se' } },
      ],
      payment_methods: [
        { id: 1, name: 'Paytrail' },
        { id: 2, name: 'Lasku' },
        { id: 3, name: 'Klarna' },
      ],
      shipping_methods: [{ id: 1, name: 'Posti Paketti' }],
      products: [
        { id: 1, product_code: 'KAHVI-1', name: 'Kahvi, tumma paahto 500 g', price: 8.9, purchase_price: 4.1, vat_rate: 14, stock_item: { quantity: 20, reserved: 2 } },
        { id: 2, product_code: 'KIRJA-1', name: 'Kirja: Pähkinänsärkijä', price: 24.9, purchase_price: 11.0, vat_rate: 10 },
        {
          id: 3,
          product_code: 'TS-100',
          name: 'T-paita',
          price: 24.9,
          vat_rate: 25.5,
          variations: [
            { id: 31, product_code: 'TS-100-S', name: 'S', price: 24.9, stock_item: { quantity: 3, reserved: 0 } },
            { id: 32, product_code: 'TS-100-M', name: 'M', price: 24.9, stock_item: { quantity: 5, reserved: 1 } },
          ],
        },
        { id: 4, product_code: 'MUKI-1', name: 'Muki Äitienpäivä', price: 12.5, vat_rate: 25.5 },
        { id: 5, product_code: 'SUKKA-1', name: 'Villasukat, harmaa', price: 19.9, vat_rate: 25.5 },
        { id: 6, product_code: 'KYNÄ-1', name: 'Kynä €-merkillä', price: 2.5, vat_rate: 25.5 },
        { id: 7, product_code: 'LAMPPU-1', name: 'Lamppu', price: 49, vat_rate: 25.5 },
      ],
    },
    netbaron: {
      organisation: NB_ORG,
      modules: {
        products: { password: NB_PRODUCTS_PASSWORD, interface: 1 },
        salesorder: { password: NB_ORDERS_PASSWORD, interface: 1 },
      },
      marketplaces: [
        { Id: '3', Name: 'Verkkokauppa' },
        { Id: '5', Name: 'B2B-kauppa' },
      ],
      payment_methods: ['Paytrail', 'Lasku'],
      products: [
        { ProductCode: 'KAHVI-1', EAN: '6430000000012', Name: 'Kahvi, tumma paahto 500 g', VatPercent: 14, SalesPriceVatIncluded: 8.9, PurchasePrice: 4.1, Weight: 0.5, PackageType: 'S', Quantity: 40, Marketplaces: ['3'] },
        { ProductCode: 'KIRJA-1', EAN: '6430000000029', Name: 'Kirja: Pähkinänsärkijä', Description: 'Lyhyt kuvaus', AdditionalInformation: 'Pitkä kuvaus äöå €', VatPercent: 10, SalesPriceVatIncluded: 26.9, PurchasePrice: 11, Weight: 0.4, PackageType: 'S', Quantity: 7, Marketplaces: ['3'] },
        { ProductCode: 'TS-100-S', EAN: '6430000000036', Name: 'T-paita, S', VatPercent: 25.5, SalesPriceVatIncluded: 24.9, PurchasePrice: 9.2, Weight: 0.25, PackageType: 'S', Quantity: 3, Marketplaces: ['3'] },
        { ProductCode: 'TS-100-M', EAN: '6430000000043', Name: 'T-paita, M', VatPercent: 25.5, SalesPriceVatIncluded: 24.9, PurchasePrice: 9.2, Weight: 0.25, PackageType: 'S', Quantity: 17, Marketplaces: ['3'] },
        { ProductCode: 'UUSI-1', EAN: '6430000000050', Name: 'Uusi tuote & "lainaus" <3', VatPercent: 25.5, SalesPriceVatIncluded: 5.5, PurchasePrice: 2, Weight: 0.1, PackageType: 'XS', Quantity: 9, Marketplaces: ['3'] },
        { ProductCode: 'VANHA-7', EAN: '', Name: 'Poistunut tuote', VatPercent: 25.5, Weight: 0.1, Deleted: true, Marketplaces: [] },
        { ProductCode: 'B2B-ONLY', EAN: '6430000000067', Name: 'Vain B2B', VatPercent: 25.5, SalesPriceVatIncluded: 100, PurchasePrice: 50, Weight: 1, Quantity: 1, Marketplaces: ['5'] },
      ],
      sales_orders: [],
    },
  };
}
