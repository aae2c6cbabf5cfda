/** An answer as people read it, in their language (check-your-answers page, review screen, documents). */
import type { Locale } from '../../platform/i18n.ts';
import { translator } from '../../platform/i18n.ts';
import { formatNumber, type Question } from './engine/index.ts';

/** A scalar as text; anything else (a malformed draft value) as nothing. */
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function answerText(q: Question, answer: unknown, locale: Locale): string {
  const t = translator(locale);
  if (answer === undefined || answer === null || answer === '') return '';
  switch (q.kind) {
    case 'single':
      return q.options.find((o) => o.value === answer)?.label[locale] ?? str(answer);
    case 'multiple':
      return (Array.isArray(answer) ? answer : [answer]).map((v) => q.options.find((o) => o.value === v)?.label[locale] ?? str(v)).join(', ');
    case 'yesno':
      return answer === 'yes' ? t('applications.answer.yes') : answer === 'no' ? t('applications.answer.no') : str(answer);
    case 'number': {
      const n = typeof answer === 'number' ? answer : Number(str(answer).replace(',', '.'));
      const shown = Number.isFinite(n) ? formatNumber(n, locale) : str(answer);
      return q.unit ? `${shown}\u00a0${q.unit[locale]}` : shown;
    }
    case 'address': {
      const a = answer as { address?: string; lot?: string };
      return [a.address ? a.address : '', a.lot ? t('applications.answer.lotShown', { lot: a.lot }) : ''].filter(Boolean).join(' — ');
    }
    default:
      return Array.isArray(answer) ? answer.map(str).join(', ') : str(answer);
  }
}
