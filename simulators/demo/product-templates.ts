import { parseVatRate, type VatBasisPoints } from '../../src/domain/money.ts';

/*
 * The vocabulary of the demo catalog: five product families, each with the VAT rate Finland applies to
 * it, and item templates whose names, prices, weights and package types look like a real Finnish shop.
 */

export type PackageType = 'XS' | 'S' | 'M' | 'L' | 'XL' | 'pallet';

export type FamilyKey = 'clothing' | 'food' | 'books' | 'home' | 'electronics';

export interface Family {
  key: FamilyKey;
  vatRate: VatBasisPoints;
  /** Relative frequency in the catalog. */
  weight: number;
  descriptions: readonly string[];
  /** Facts for the additional information; each entry lists alternatives of one fact, so none contradict. */
  details: readonly (readonly string[])[];
}

export interface ProductTemplate {
  family: FamilyKey;
  /** Letters of the product code, e.g. `TS` for `TS-1004`. */
  prefix: string;
  nouns: readonly string[];
  /** Appended to the noun: colours after a comma, themes after a space, pack sizes after a space. */
  attributes: readonly string[];
  separator: ', ' | ' ';
  /** Pack sizes with their net weight in grams; when present they replace `attributes` and `grams`. */
  packs?: readonly (readonly [label: string, grams: number])[];
  /** Sold in sizes S, M, L and XL, each a variation with its own code. */
  sized: boolean;
  euros: readonly [min: number, max: number];
  grams: readonly [min: number, max: number];
  parcels: readonly PackageType[];
  descriptions?: readonly string[];
  details?: readonly (readonly string[])[];
}

export const SIZES = ['S', 'M', 'L', 'XL'] as const;

const HOME_DETAILS = [
  ['Valmistusmaa: Suomi', 'Valmistusmaa: Viro', 'Valmistusmaa: Ruotsi'],
  ['Suunnittelija: Päivi Mäkelä', 'Suunnittelija: Jörn Åström', 'Suunnittelija: Elina Häkkinen'],
  ['Toimitetaan lahjapakkauksessa', 'Pakkaus: kierrätyskartonki'],
  ['Takuu: 2 vuotta', 'Takuu: 5 vuotta'],
] as const;

/** Home goods of one kind share a material; the rest of the facts are the family's. */
function homeDetails(...facts: (readonly string[])[]): readonly (readonly string[])[] {
  return [...facts, ...HOME_DETAILS];
}

export const FAMILIES: Readonly<Record<FamilyKey, Family>> = {
  clothing: {
    key: 'clothing',
    vatRate: parseVatRate('25.5'),
    weight: 22,
    descriptions: [
      'Pehmeä ja hengittävä, pysyy muodossaan pesusta toiseen.',
      'Suunniteltu Suomen vaihteleviin säihin: lämmin mutta kevyt.',
      'Ajaton malli, joka sopii yhtä hyvin arkeen kuin retkelle.',
      'Kotimaista suunnittelua, vastuullisesti valmistettu.',
      'Väljä ja mukava istuvuus, joustavat resorit.',
    ],
    details: [
      [
        'Materiaali: 100 % luomupuuvilla',
        'Materiaali: 80 % merinovillaa, 20 % polyamidia',
        'Materiaali: 100 % villa',
      ],
      ['Hoito-ohje: konepesu 40 °C, ei rumpukuivausta', 'Hoito-ohje: käsinpesu 30 °C, kuivataan tasolla'],
      ['Valmistusmaa: Suomi', 'Valmistusmaa: Portugali', 'Valmistusmaa: Viro'],
      ['Öko-Tex Standard 100 -sertifioitu'],
    ],
  },
  food: {
    key: 'food',
    vatRate: parseVatRate('14'),
    weight: 22,
    descriptions: [
      'Pohjoisen puhdasta makua, pakattu Suomessa.',
      'Sopii välipalaksi, leivontaan ja herkutteluun.',
      'Pienen perheyrityksen tuote, valmistettu perinteisin menetelmin.',
      'Ei lisättyjä säilöntäaineita eikä keinotekoisia väriaineita.',
      'Täyteläinen maku, joka syntyy hitaasta kypsyttämisestä.',
    ],
    details: [
      ['Säilytys: kuivassa ja viileässä', 'Säilytys: avattu pakkaus jääkaapissa'],
      ['Alkuperämaa: Suomi', 'Pakattu Suomessa'],
      ['Voi sisältää pieniä määriä pähkinää ja manteleita', 'Gluteeniton', 'Laktoositon'],
      ['Parasta ennen: katso pakkauksesta'],
      ['Luomu, EU-luomumerkki', 'Hyvää Suomesta -merkki'],
      ['Pakkaus on kierrätettävä'],
    ],
  },
  books: {
    key: 'books',
    vatRate: parseVatRate('10'),
    weight: 14,
    descriptions: [
      'Kattava ja kauniisti kuvitettu teos aloittelijalle ja kokeneelle.',
      'Käytännön vinkkejä, selkeitä ohjeita ja paljon kuvia.',
      'Uudistettu painos, jossa on päivitetyt tiedot ja uusia lukuja.',
      'Suomalaisen tekijän rakastettu klassikko.',
      'Mukava lukea mökillä, matkalla tai iltaisin sohvalla.',
    ],
    details: [
      ['Kieli: suomi'],
      ['Sivumäärä: 168', 'Sivumäärä: 224', 'Sivumäärä: 312', 'Sivumäärä: 448'],
      ['Kustantaja: Kustannus Pohjantähti', 'Kustantaja: Kirjapaja Ääriviiva', 'Kustantaja: Öljylamppu'],
      ['Ilmestynyt: 2024', 'Ilmestynyt: 2025', 'Ilmestynyt: 2026'],
    ],
  },
  home: {
    key: 'home',
    vatRate: parseVatRate('25.5'),
    weight: 26,
    descriptions: [
      'Kestävä ja kaunis, tehty päivittäiseen käyttöön.',
      'Skandinaavista muotoilua, joka sopii jokaiseen kotiin.',
      'Hyvä lahja äitienpäivänä, isänpäivänä tai joulupukin säkkiin.',
      'Pienen suomalaisen verstaan käsityötä.',
      'Ajaton ulkonäkö, joka kestää aikaa ja käyttöä.',
    ],
    details: HOME_DETAILS,
  },
  electronics: {
    key: 'electronics',
    vatRate: parseVatRate('25.5'),
    weight: 16,
    descriptions: [
      'Luotettava ja energiatehokas, helppo ottaa käyttöön.',
      'Pitkä akunkesto ja nopea lataus.',
      'Yhteensopiva yleisimpien puhelinten ja tietokoneiden kanssa.',
      'Pienikokoinen, kulkee kätevästi mukana mökille ja matkoille.',
      'Sisältää suomenkielisen käyttöohjeen.',
    ],
    details: [
      ['Takuu: 24 kk', 'Takuu: 12 kk'],
      ['Liitäntä: USB-C', 'Virtalähde: 230 V', 'Virtalähde: ladattava akku'],
      ['CE-merkitty'],
      ['Pakkauksen sisältö: laite, kaapeli ja pikaopas', 'Pakkauksen sisältö: laite ja käyttöohje'],
      ['Käyttöohje: suomi, ruotsi, englanti'],
    ],
  },
};

const COLOURS = [
  'musta',
  'harmaa',
  'valkoinen',
  'tummansininen',
  'metsänvihreä',
  'punainen',
  'sinapinkeltainen',
  'beige',
  'ruskea',
  'luonnonvalkoinen',
  'vaaleanpunainen',
  'petrooli',
  'kanerva',
  'jäänsininen',
  'sammaleenvihreä',
  'hiilenharmaa',
] as const;

const THEMES = [
  'Äitienpäivä',
  'Isänpäivä',
  'Joulu',
  'Juhannus',
  'Revontulet',
  'Kesämökki',
  'Sammalpolku',
  'Pohjantähti',
  'Kuusikko',
  'Kaamos',
  'Lumikide',
  'Järvimaisema',
  'Mökkiranta',
  'Ystävänpäivä',
] as const;

const BOOK_TOPICS = [
  'Sienestäjän',
  'Marjastajan',
  'Retkeilijän',
  'Neulojan',
  'Leipurin',
  'Kalastajan',
  'Puutarhurin',
  'Mökkiläisen',
  'Lintubongarin',
  'Saunojan',
  'Melojan',
  'Hiihtäjän',
  'Veneilijän',
  'Kotikokin',
] as const;

const BOOK_TITLES = [
  'Suomen linnut',
  'Pohjoisen kasvio',
  'Kalevala – kuvitettu laitos',
  'Järvien ja metsien satuja',
  'Äidinkielen tehtäväkirja',
  'Ruotsia aloittelijoille',
  'Lapin luonto',
  'Saaristomeren retkiopas',
  'Suomalaisen muotoilun historia',
  'Saunan vuosisadat',
  'Åland – saariston tarinoita',
  'Pähkinänkuoressa: sijoittaminen',
  ...BOOK_TOPICS.flatMap((topic) => ['käsikirja', 'opas', 'vuosikirja'].map((kind) => `${topic} ${kind}`)),
] as const;

export const TEMPLATES: readonly ProductTemplate[] = [
  // Clothing: the sized ones carry the S/M/L/XL variations.
  {
    family: 'clothing',
    prefix: 'TS',
    nouns: ['T-paita', 'Pitkähihainen paita'],
    attributes: COLOURS,
    separator: ', ',
    sized: true,
    euros: [14, 39],
    grams: [150, 260],
    parcels: ['S'],
  },
  {
    family: 'clothing',
    prefix: 'HU',
    nouns: ['Huppari', 'Collegepaita', 'Collegehousut'],
    attributes: COLOURS,
    separator: ', ',
    sized: true,
    euros: [39, 89],
    grams: [380, 700],
    parcels: ['S', 'M'],
  },
  {
    family: 'clothing',
    prefix: 'MV',
    nouns: ['Merinovillapaita', 'Neuletakki', 'Villapaita'],
    attributes: COLOURS,
    separator: ', ',
    sized: true,
    euros: [69, 149],
    grams: [200, 520],
    parcels: ['S'],
  },
  {
    family: 'clothing',
    prefix: 'FT',
    nouns: ['Fleecetakki', 'Kuoritakki', 'Untuvatakki', 'Sadetakki'],
    attributes: COLOURS,
    separator: ', ',
    sized: true,
    euros: [49, 249],
    grams: [300, 900],
    parcels: ['M'],
  },
  {
    family: 'clothing',
    prefix: 'VS',
    nouns: ['Villasukat', 'Pipo', 'Lapaset', 'Kaulahuivi', 'Tumput'],
    attributes: COLOURS,
    separator: ', ',
    sized: false,
    euros: [9, 49],
    grams: [60, 240],
    parcels: ['XS', 'S'],
  },
  // Food, at 14 %.
  {
    family: 'food',
    prefix: 'PS',
    nouns: ['Pähkinäsekoitus', 'Cashewpähkinät', 'Mantelit', 'Hasselpähkinät', 'Marjamysli'],
    attributes: [],
    separator: ' ',
    packs: [
      ['250 g', 250],
      ['500 g', 500],
      ['1 kg', 1000],
    ],
    sized: false,
    euros: [3, 19],
    grams: [0, 0],
    parcels: ['XS', 'S'],
  },
  {
    family: 'food',
    prefix: 'KA',
    nouns: ['Kahvi, vaalea paahto', 'Kahvi, tumma paahto', 'Espressopavut', 'Suodatinkahvi, Reilu kauppa'],
    attributes: [],
    separator: ' ',
    packs: [
      ['250 g', 250],
      ['500 g', 500],
      ['1 kg', 1000],
    ],
    sized: false,
    euros: [4, 24],
    grams: [0, 0],
    parcels: ['XS', 'S'],
  },
  {
    family: 'food',
    prefix: 'TE',
    nouns: ['Mustikkatee', 'Kuusenkerkkätee', 'Nokkostee', 'Mustaherukkatee', 'Vihreä tee', 'Rooibos, tyrni'],
    attributes: [],
    separator: ' ',
    packs: [
      ['20 pussia', 45],
      ['100 g', 100],
    ],
    sized: false,
    euros: [3, 12],
    grams: [0, 0],
    parcels: ['XS'],
  },
  {
    family: 'food',
    prefix: 'HJ',
    nouns: [
      'Kukkaishunaja',
      'Lapin hunaja',
      'Kanervahunaja',
      'Tattarihunaja',
      'Puolukkahillo',
      'Lakkahillo',
      'Tyrnimarmeladi',
    ],
    attributes: [],
    separator: ' ',
    packs: [
      ['200 g', 200],
      ['350 g', 350],
      ['500 g', 500],
    ],
    sized: false,
    euros: [3, 21],
    grams: [0, 0],
    parcels: ['XS', 'S'],
  },
  {
    family: 'food',
    prefix: 'MA',
    nouns: [
      'Lakritsi',
      'Salmiakki',
      'Maitosuklaa',
      'Tumma suklaa 70 %',
      'Karpalosuklaa',
      'Ruisnäkkileipä',
      'Kaurakeksit',
      'Hapankorput',
    ],
    attributes: [],
    separator: ' ',
    packs: [
      ['100 g', 100],
      ['200 g', 200],
      ['400 g', 400],
    ],
    sized: false,
    euros: [1, 9],
    grams: [0, 0],
    parcels: ['XS'],
  },
  {
    family: 'food',
    prefix: 'ME',
    nouns: ['Mustaherukkamehu', 'Karpalomehu', 'Omenamehu', 'Puolukkamehu', 'Mustikkakeitto'],
    attributes: [],
    separator: ' ',
    packs: [
      ['0,5 l', 530],
      ['0,75 l', 800],
      ['1 l', 1060],
    ],
    sized: false,
    euros: [3, 9],
    grams: [0, 0],
    parcels: ['S'],
  },
  // Books, at 10 %.
  {
    family: 'books',
    prefix: 'KI',
    nouns: BOOK_TITLES,
    attributes: ['kovakantinen', 'pehmeäkantinen', 'pokkari', 'äänikirja (CD)'],
    separator: ', ',
    sized: false,
    euros: [9, 49],
    grams: [180, 1200],
    parcels: ['XS', 'S'],
  },
  // Home goods.
  {
    family: 'home',
    prefix: 'KK',
    nouns: ['Kahvikuppi', 'Muki', 'Teekuppi', 'Espressokuppi', 'Lautanen', 'Tarjoiluvati'],
    attributes: THEMES,
    separator: ' ',
    sized: false,
    euros: [12, 39],
    grams: [250, 900],
    parcels: ['S', 'M'],
    details: homeDetails(['Materiaali: kivitavara', 'Materiaali: posliini'], ['Kestää astianpesukoneen']),
  },
  {
    family: 'home',
    prefix: 'TX',
    nouns: [
      'Pellavaliina',
      'Keittiöpyyhe',
      'Villahuopa',
      'Tyynynpäällinen',
      'Pöytäliina',
      'Saunatyyny',
      'Kylpypyyhe',
    ],
    attributes: COLOURS,
    separator: ', ',
    sized: false,
    euros: [14, 129],
    grams: [150, 1600],
    parcels: ['S', 'M'],
    details: homeDetails(
      ['Materiaali: pellava', 'Materiaali: 100 % villa', 'Materiaali: luomupuuvilla'],
      ['Konepesu 40 °C', 'Konepesu 60 °C'],
    ),
  },
  {
    family: 'home',
    prefix: 'PU',
    nouns: ['Leikkuulauta, koivu', 'Puukulho', 'Löylykauha', 'Kuksa', 'Tarjotin, saarni', 'Voiveitsi'],
    attributes: ['pieni', 'keskikokoinen', 'suuri'],
    separator: ', ',
    sized: false,
    euros: [9, 69],
    grams: [100, 1500],
    parcels: ['XS', 'S', 'M'],
    details: homeDetails(
      ['Materiaali: koivu', 'Materiaali: saarni', 'Materiaali: kotimainen mänty'],
      ['Käsittely: ruokaöljy'],
    ),
  },
  {
    family: 'home',
    prefix: 'KE',
    nouns: [
      'Valurautapannu 28 cm',
      'Kattila 3 l',
      'Kahvimylly',
      'Lasipurkki 1 l',
      'Uunivuoka',
      'Paistinpannu 24 cm',
    ],
    attributes: ['musta', 'teräs', 'valkoinen emali', 'harmaa emali'],
    separator: ', ',
    sized: false,
    euros: [19, 189],
    grams: [400, 5000],
    parcels: ['M', 'L'],
    details: homeDetails(['Sopii kaikille liesille, myös induktiolle', 'Uunin kestävä 250 °C:een']),
  },
  {
    family: 'home',
    prefix: 'SK',
    nouns: [
      'Räsymatto 70 × 200 cm',
      'Ovimatto',
      'Seinäkello',
      'Maljakko',
      'Säilytyskori',
      'Kukkaruukku',
      'Tuoksukynttilä',
      'Kynttilänjalka',
    ],
    attributes: COLOURS,
    separator: ', ',
    sized: false,
    euros: [19, 199],
    grams: [400, 6000],
    parcels: ['M', 'L', 'XL'],
  },
  {
    family: 'home',
    prefix: 'UL',
    nouns: [
      'Puutarhakeinu',
      'Ulkopöytä, mänty',
      'Grillikatos',
      'Penkki, kestopuu',
      'Aurinkotuoli',
      'Lasten leikkimökki',
    ],
    attributes: ['harmaa', 'ruskea', 'musta', 'luonnonvärinen'],
    separator: ', ',
    sized: false,
    euros: [149, 899],
    grams: [12000, 65000],
    parcels: ['XL', 'pallet'],
    details: homeDetails(
      ['Materiaali: painekyllästetty mänty', 'Materiaali: alumiini', 'Materiaali: kestopuu'],
      ['Toimitetaan osina, kokoamisohje mukana'],
    ),
  },
  // Electronics.
  {
    family: 'electronics',
    prefix: 'LT',
    nouns: [
      'USB-C-laturi 20 W',
      'USB-C-laturi 65 W',
      'Autolaturi',
      'Langaton laturi',
      'Varavirtalähde 10 000 mAh',
      'Latauskaapeli USB-C 2 m',
      'Jatkojohto 3-osainen',
    ],
    attributes: ['musta', 'valkoinen'],
    separator: ', ',
    sized: false,
    euros: [4, 59],
    grams: [50, 450],
    parcels: ['XS', 'S'],
  },
  {
    family: 'electronics',
    prefix: 'KU',
    nouns: ['Bluetooth-kuulokkeet', 'Nappikuulokkeet', 'Vastamelukuulokkeet', 'Urheilukuulokkeet'],
    attributes: ['musta', 'valkoinen', 'tummansininen', 'hiekka'],
    separator: ', ',
    sized: false,
    euros: [19, 349],
    grams: [40, 350],
    parcels: ['XS', 'S'],
  },
  {
    family: 'electronics',
    prefix: 'AU',
    nouns: ['Bluetooth-kaiutin', 'Saunaradio', 'Älykaiutin', 'Soundbar'],
    attributes: ['musta', 'valkoinen', 'harmaa'],
    separator: ', ',
    sized: false,
    euros: [29, 399],
    grams: [300, 3500],
    parcels: ['S', 'M'],
  },
  {
    family: 'electronics',
    prefix: 'VA',
    nouns: ['Pöytävalaisin LED', 'Lattiavalaisin', 'Valosarja 80 LED', 'Kirkasvalolamppu'],
    attributes: ['musta', 'valkoinen', 'messinki', 'harmaa'],
    separator: ', ',
    sized: false,
    euros: [14, 249],
    grams: [300, 6000],
    parcels: ['S', 'M', 'L'],
  },
  {
    family: 'electronics',
    prefix: 'AK',
    nouns: ['Otsalamppu', 'Älykello', 'Sääasema', 'Herätyskello', 'Aktiivisuusranneke'],
    attributes: ['musta', 'valkoinen', 'harmaa', 'metsänvihreä'],
    separator: ', ',
    sized: false,
    euros: [14, 349],
    grams: [50, 600],
    parcels: ['XS', 'S'],
  },
];

const TEMPLATES_BY_FAMILY: Readonly<Record<FamilyKey, readonly ProductTemplate[]>> = {
  clothing: TEMPLATES.filter((t) => t.family === 'clothing'),
  food: TEMPLATES.filter((t) => t.family === 'food'),
  books: TEMPLATES.filter((t) => t.family === 'books'),
  home: TEMPLATES.filter((t) => t.family === 'home'),
  electronics: TEMPLATES.filter((t) => t.family === 'electronics'),
};

export const FAMILY_CHOICES: readonly (readonly [FamilyKey, number])[] = Object.values(FAMILIES).map(
  (f) => [f.key, f.weight] as const,
);

export function templatesOf(family: FamilyKey): readonly ProductTemplate[] {
  return TEMPLATES_BY_FAMILY[family];
}
