/** Open311 services and service definitions from the town's request types and their questions. */
import type { Locale } from '../../platform/i18n.ts';
import type { RequestType, RequestTypeWithQuestions } from '../requests/service.ts';

const orNull = (s: string) => (s.trim() === '' ? null : s);

export function serviceOf(type: RequestType, locale: Locale, hasQuestions?: boolean) {
  return {
    service_code: type.code,
    service_name: type.name[locale],
    description: orNull(type.description[locale]),
    metadata: hasQuestions ?? ('questions' in type ? (type as RequestTypeWithQuestions).questions.length > 0 : true),
    type: 'realtime' as const,
    keywords: type.keywords.length > 0 ? type.keywords.join(', ') : null,
    group: orNull(type.group[locale]),
  };
}

export function serviceDefinition(type: RequestTypeWithQuestions, locale: Locale) {
  return {
    service_code: type.code,
    attributes: [...type.questions]
      .sort((a, b) => a.position - b.position)
      .map((q, i) => ({
        variable: true,
        code: q.code,
        datatype: q.datatype,
        required: q.required,
        datatype_description: orNull(q.help[locale]),
        order: i + 1,
        description: q.label[locale],
        ...(q.datatype === 'singlevaluelist' || q.datatype === 'multivaluelist' ? { values: q.values.map((v) => ({ key: v.key, name: v.name[locale] })) } : {}),
      })),
  };
}
