// Shared formatting and building blocks of the pages. Everything is imported from node_modules
// (bundled at build time), so the built site needs no CDN.
import {html} from "htl";

const locale = "en-GB";
const number0 = new Intl.NumberFormat(locale, {maximumFractionDigits: 0});
const number1 = new Intl.NumberFormat(locale, {maximumFractionDigits: 1});
const euro0 = new Intl.NumberFormat(locale, {style: "currency", currency: "EUR", maximumFractionDigits: 0});
const euro2 = new Intl.NumberFormat(locale, {style: "currency", currency: "EUR", minimumFractionDigits: 2, maximumFractionDigits: 2});

const missing = (x) => x === null || x === undefined || Number.isNaN(x);
export const num = (x) => (missing(x) ? "–" : number0.format(x));
export const num1 = (x) => (missing(x) ? "–" : number1.format(x));
export const pct = (x) => (missing(x) ? "–" : `${(x * 100).toFixed(1)}%`);
export const eur = (x) => (missing(x) ? "–" : euro0.format(x));
export const eur2 = (x) => (missing(x) ? "–" : euro2.format(x));
export const ratio = (x) => (missing(x) ? "–" : x.toFixed(2));
export const formats = {number: num, pct, eur, ratio};

/** Rows with their date columns ('YYYY-MM-DD') turned into Dates for Plot's time scales. */
export function dated(rows, columns = ["period_start_date"]) {
  return rows.map((row) => {
    const copy = {...row};
    for (const column of columns) if (copy[column]) copy[column] = new Date(`${copy[column]}T00:00:00Z`);
    return copy;
  });
}

/** A headline number. */
export function card(label, value, note = "") {
  return html`<div class="card kpi-card">
    <h2>${label}</h2>
    <span class="big" data-kpi=${label}>${value}</span>
    ${note ? html`<p class="muted">${note}</p>` : ""}
  </div>`;
}

/** Where a figure comes from, under a chart or table. */
export function source(...marts) {
  return html`<p class="muted source">Source: ${marts.map((m, i) => html`${i ? ", " : ""}<code>marts.${m}</code>`)}</p>`;
}
