import type { CodeCheck, ProductChoice } from '../../../connections/product-search.ts';
import { updateOnlyCodes } from '../../forms/settings-form.ts';
import { fieldError } from '../fields.ts';
import { html, type Html } from '../../../util/html.ts';

/*
 * "Products to update": a textarea of product codes that works without a script, with each chosen code
 * checked against the store beside it; the page's script turns it into a search of the store's products
 * (`enhanceProductPicker` in app.js), whose words are rendered here so that they are translated with
 * the rest of the page.
 */

/** A product or variation in the merchant's words: how many variations it has, or whose variation it is. */
export function choiceDetail(choice: ProductChoice): string {
  if (choice.variationOf) return `variation of ${choice.variationOf}`;
  if (choice.variations === 0) return 'no variations';
  return choice.variations === 1 ? '1 variation' : `${choice.variations} variations`;
}

/** "Did you mean …?" for a code the store does not have; empty when nothing comes close. */
export function didYouMean(nearMisses: readonly ProductChoice[]): string {
  if (nearMisses.length === 0) return '';
  const codes = nearMisses.map((c) => c.code);
  return codes.length === 1 ? `Did you mean ${codes[0]}?` : `Did you mean one of ${codes.join(', ')}?`;
}

/** What a search found, for the live region: a count, or nothing and the near-misses. */
export function searchSummary(
  query: string,
  total: number,
  shown: number,
  nearMisses: ProductChoice[],
): string {
  if (total === 0) {
    const hint = didYouMean(nearMisses);
    return hint ? `No product matches “${query}”. ${hint}` : `No product matches “${query}”.`;
  }
  if (total > shown)
    return `${total} products match; the first ${shown} are shown. Type more to narrow the list.`;
  return total === 1 ? '1 product matches.' : `${total} products match.`;
}

export type CodeChecks = CodeCheck[] | { unavailable: string };

function chosenItem(check: CodeCheck | { code: string }): Html {
  if ('found' in check && check.found) {
    return html`<li data-code="${check.code}">
      <span class="code">${check.code}</span> <span class="name">${check.found.name}</span>
      <span class="muted">(${choiceDetail(check.found)})</span>
    </li>`;
  }
  if ('nearMisses' in check) {
    const hint = didYouMean(check.nearMisses);
    return html`<li data-code="${check.code}" class="missing">
      <span class="code">${check.code}</span>
      <span class="warn-text"
        >The store has no product or variation with this code. It is kept, and the import reports
        it.${hint ? ` ${hint}` : ''}</span
      >
    </li>`;
  }
  return html`<li data-code="${check.code}"><span class="code">${check.code}</span></li>`;
}

/**
 * The codes as typed. HTML drops one newline right after `<textarea>`: one is put there so that a
 * value is shown exactly (kept out of the formatter, which would add another).
 */
// prettier-ignore
const textarea = (value: string, describedBy: string, invalid: boolean): Html =>
  html`<textarea id="update_only" name="update_only" aria-describedby="${describedBy}"${invalid ? html` aria-invalid="true"` : ''}>${'\n'}${value}</textarea>`;

export function updateOnlyField(options: {
  value: string;
  error?: string;
  checks?: CodeChecks;
  searchUrl: string;
}): Html {
  const { value, error, checks } = options;
  const codes = updateOnlyCodes(value);
  const items = Array.isArray(checks) ? checks : codes.map((code) => ({ code }));
  const describedBy = ['update_only-hint', error ? 'update_only-error' : ''].filter(Boolean).join(' ');
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
    ${textarea(value, describedBy, Boolean(error))}
    ${fieldError(error ? { update_only: error } : {}, 'update_only')}
    ${
      checks && !Array.isArray(checks)
        ? html`<p class="hint">
            The codes could not be checked against the store just now (${checks.unavailable}).
          </p>`
        : ''
    }
    <p id="chosen-products-label" class="chosen-label" ${codes.length ? '' : html` hidden`}>
      <strong>Chosen</strong>
    </p>
    <ul id="chosen-products" class="chosen-products" aria-labelledby="chosen-products-label">
      ${items.map(chosenItem)}
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
