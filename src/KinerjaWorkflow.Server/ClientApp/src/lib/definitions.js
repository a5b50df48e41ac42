// SOP names by definition key, fetched once per page.

import { api, itemsOf } from './api.js';

let names = null;

export async function definitionNames() {
  if (!names) {
    names = api('/api/definitions')
      .then((list) => new Map(itemsOf(list).map((d) => [d.key, d.name])))
      .catch(() => new Map());
  }
  return names;
}

const NEGATIVE = /^(dikembalikan|kembalikan|revisi|tolak|ditolak|batal|tidak)/i;

export function outcomeLabel(outcome) {
  return outcome ? outcome.charAt(0).toUpperCase() + outcome.slice(1) : 'Selesaikan';
}

export function isNegativeOutcome(outcome) {
  return NEGATIVE.test(outcome ?? '');
}
