import { html, type Html } from '../../util/html.ts';

/*
 * What every form of the admin app shows beside a field that was not right: the message under it, and
 * the attributes that tie the field to it for screen readers.
 */

/** The message of a field that was not right, under the field (`<field>-error`); nothing otherwise. */
export const fieldError = (errors: Readonly<Record<string, string>>, field: string): Html =>
  errors[field] ? html`<p class="notice error field-error" id="${field}-error">${errors[field]}</p>` : html``;

/** `aria-invalid` and `aria-describedby` for a field that was not right; nothing otherwise. */
export const invalidAttrs = (errors: Readonly<Record<string, string>>, field: string): Html =>
  errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : html``;
