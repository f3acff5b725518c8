import { validationError } from './errors.ts';
import { isBlank, type XmlElement } from './xml-reader.ts';

/**
 * The shape of the sales-order document of §15.7 and §15.7.1, checked the way an XSD would: known
 * elements only, each at most once unless it repeats, required ones present and not empty. Element order
 * is not enforced, except that SellerPartyDetails comes first (§15.7.1).
 */
type Spec = LeafSpec | GroupSpec;
interface LeafSpec {
  kind: 'leaf';
  required: boolean;
}
interface GroupSpec {
  kind: 'group';
  required: boolean;
  repeats: boolean;
  children: Record<string, Spec>;
}

const text = (required = true): LeafSpec => ({ kind: 'leaf', required });
const group = (children: Record<string, Spec>, { required = true, repeats = false } = {}): GroupSpec => ({
  kind: 'group',
  required,
  repeats,
  children,
});
const optionalGroup = (children: Record<string, Spec>): GroupSpec => group(children, { required: false });

export const ROW_ELEMENTS = [
  'ArticleIdentifier',
  'ArticleName',
  'OrderedQuantity',
  'UnitPriceVatIncludedAmount',
  'RowVatRatePercent',
  'RowVatAmount',
  'RowVatExcludedAmount',
  'ExternalRowIdentifier',
] as const;

const SALES_ORDER: GroupSpec = group({
  SellerPartyDetails: optionalGroup({
    SellerPartyIdentifier: text(false),
    SellerOrganisationName: text(false),
    SellerPostalAddressDetails: optionalGroup({
      SellerStreetName: text(false),
      SellerTownName: text(false),
      SellerPostCodeIdentifier: text(false),
      CountryCode: text(false),
    }),
    SellerCommunicationDetails: optionalGroup({
      SellerPhoneNumberIdentifier: text(false),
      SellerEmailaddressIdentifier: text(false),
    }),
  }),
  BuyerPartyDetails: group({
    BuyerPartyIdentifier: text(false),
    BuyerOrganisationName: text(),
    BuyerPostalAddressDetails: group({
      BuyerStreetName: text(),
      BuyerTownName: text(),
      BuyerPostCodeIdentifier: text(),
      CountryCode: text(),
    }),
  }),
  BuyerContactPersonName: text(),
  BuyerCommunicationDetails: group({
    BuyerPhoneNumberIdentifier: text(false),
    BuyerEmailaddressIdentifier: text(),
  }),
  DeliveryPartyDetails: group({
    DeliveryOrganisationName: text(),
    DeliveryPostalAddressDetails: group({
      DeliveryStreetName: text(),
      DeliveryTownName: text(),
      DeliveryPostCodeIdentifier: text(),
      CountryCode: text(),
    }),
  }),
  InvoiceDetails: group({
    OrderIdentifier: text(),
    OrderDate: text(),
    InvoiceTotalVatExcludedAmount: text(),
    InvoiceTotalVatAmount: text(),
    InvoiceTotalVatIncludedAmount: text(),
  }),
  PaymentStatusDetails: group({ PaymentMethodText: text() }),
  InvoiceRow: group(Object.fromEntries(ROW_ELEMENTS.map((name) => [name, text()])), { repeats: true }),
});

export type OrderJson = { [element: string]: string | OrderJson | OrderJson[] };

/** `InvoiceRow[2] "55501"` names a row by position and, when it has one, by its identifier. */
function label(element: XmlElement, path: string): string {
  const id = element.children.find((c) => c.name === 'ExternalRowIdentifier');
  return id && id.children.length === 0 && !isBlank(id.text) ? `${path} "${id.text}"` : path;
}

function readGroup(element: XmlElement, spec: GroupSpec, path: string): OrderJson {
  if (!isBlank(element.text)) throw validationError(`${path} holds text; it must hold elements only.`);
  const out: OrderJson = {};
  const counts = new Map<string, number>();
  for (const child of element.children) {
    const childSpec = spec.children[child.name];
    if (childSpec === undefined) throw validationError(`Unexpected element ${child.name} in ${path}.`);
    const count = (counts.get(child.name) ?? 0) + 1;
    counts.set(child.name, count);
    const repeats = childSpec.kind === 'group' && childSpec.repeats;
    if (count > 1 && !repeats) throw validationError(`${path}/${child.name} is given more than once.`);
    const childPath = repeats ? label(child, `${path}/${child.name}[${count}]`) : `${path}/${child.name}`;
    if (childSpec.kind === 'leaf') {
      if (child.children.length > 0) throw validationError(`${childPath} must hold text, not elements.`);
      if (childSpec.required && isBlank(child.text)) throw validationError(`${childPath} is empty.`);
      out[child.name] = child.text;
    } else {
      const value = readGroup(child, childSpec, childPath);
      if (repeats) {
        const list = (out[child.name] ?? []) as OrderJson[];
        list.push(value);
        out[child.name] = list;
      } else out[child.name] = value;
    }
  }
  for (const [name, childSpec] of Object.entries(spec.children)) {
    if (childSpec.required && !counts.has(name)) {
      throw validationError(
        `Missing required element ${path}/${name}${childSpec.kind === 'group' && childSpec.repeats ? ' (at least one)' : ''}.`,
      );
    }
  }
  return out;
}

/**
 * Turns the parsed body into the order as JSON: element names kept, values the exact strings received,
 * InvoiceRow always a list. Only the structure is checked here; numbers and sums are checked after.
 */
export function readSalesOrderDocument(root: XmlElement): OrderJson {
  if (root.name !== 'SalesOrder')
    throw validationError(`The root element must be SalesOrder, not ${root.name}.`);
  const sellerAt = root.children.findIndex((c) => c.name === 'SellerPartyDetails');
  if (sellerAt > 0) throw validationError('SellerPartyDetails must be the first element of SalesOrder.');
  return readGroup(root, SALES_ORDER, 'SalesOrder');
}
