/**
 * The fee of an application, in cents, computed on the server from the form's rule and the clean
 * answers (never from anything the page sends as a price).
 */
import type { CleanAnswers, FeeRule } from './definition.ts';

export function computeFee(rule: FeeRule, answers: Readonly<CleanAnswers>): number {
  switch (rule.kind) {
    case 'none':
      return 0;
    case 'fixed':
      return rule.cents;
    case 'perUnit': {
      const units = answers[rule.question];
      const n = typeof units === 'number' && units > 0 ? units : 0;
      let cents = rule.baseCents + Math.round(n * rule.centsPerUnit);
      if (rule.minCents !== null) cents = Math.max(cents, rule.minCents);
      if (rule.maxCents !== null) cents = Math.min(cents, rule.maxCents);
      return Math.max(0, cents);
    }
  }
}

/** A fee as people read it: "1 234,50 $" / "$1,234.50". */
export function formatMoney(cents: number, locale: 'fr' | 'en'): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-CA' : 'en-CA', { style: 'currency', currency: 'CAD' }).format(cents / 100);
}
