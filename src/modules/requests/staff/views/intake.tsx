/**
 * A request taken by phone, at the counter or by email, entered by staff for the resident: first
 * the type, then the form (channel, the resident's contact, place, description, the type's questions).
 */
import { Checkboxes, Radios, Select } from '../../../../web/components/choices.tsx';
import { Button, ErrorSummary, PostForm, TextArea, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { Layout } from '../../../../web/components/Layout.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { RequestType, RequestTypeWithQuestions } from '../../types.ts';

export type IntakeValues = Record<string, string | string[]>;
export const answerName = (code: string) => `a_${code}`;

const text = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

export function IntakePage(props: { ctx: PageContext; types: RequestType[]; type: RequestTypeWithQuestions | null; values: IntakeValues; errors: FieldErrors; idem: string }) {
  const { ctx, type, values: v, errors } = props;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('queue.intake.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, '/staff/requests')}>{t('queue.case.back')}</a>
      </p>
      <h1>{t('queue.intake.title')}</h1>
      <p>{t('queue.intake.intro')}</p>
      <form method="get" action={href(ctx, '/staff/requests/new')}>
        <Select
          ctx={ctx}
          name="type"
          label={t('queue.intake.type')}
          value={type?.code ?? ''}
          options={[{ value: '', label: t('queue.intake.chooseType') }, ...props.types.map((x) => ({ value: x.code, label: x.name[locale] }))]}
        />
        <Button variant="secondary">{t('queue.intake.useType')}</Button>
      </form>
      {type ? (
        <PostForm ctx={ctx} action={href(ctx, `/staff/requests/new?type=${type.code}`)}>
          <input type="hidden" name="_idem" value={props.idem} />
          <h2>{type.name[locale]}</h2>
          <Radios
            ctx={ctx}
            name="channel"
            legend={t('queue.intake.channel')}
            value={text(v.channel)}
            error={errors.channel}
            options={(['phone', 'counter', 'email'] as const).map((c) => ({ value: c, label: t(`queue.channels.${c}`) }))}
          />
          <h3>{t('queue.intake.contactTitle')}</h3>
          <p>{t('queue.intake.contactIntro')}</p>
          <TextField ctx={ctx} name="contactName" label={t('queue.intake.name')} value={text(v.contactName)} error={errors.contactName} maxLength={200} autocomplete="off" />
          <TextField ctx={ctx} name="email" type="email" label={t('queue.intake.email')} hint={t('queue.intake.emailHint')} value={text(v.email)} error={errors.email} maxLength={254} autocomplete="off" />
          <TextField ctx={ctx} name="phone" type="tel" label={t('queue.intake.phone')} value={text(v.phone)} error={errors.phone} maxLength={40} autocomplete="off" />
          <h3>{t('queue.intake.placeTitle')}</h3>
          <TextField ctx={ctx} name="address" label={t('queue.intake.address')} value={text(v.address)} error={errors.address ?? errors.location} maxLength={300} />
          <TextField ctx={ctx} name="lat" label={t('queue.intake.lat')} hint={t('queue.intake.latLngHint')} value={text(v.lat)} error={errors.lat} maxLength={30} inputMode="text" />
          <TextField ctx={ctx} name="lng" label={t('queue.intake.lng')} value={text(v.lng)} maxLength={30} inputMode="text" />
          <TextArea ctx={ctx} name="description" label={t('queue.intake.description')} value={text(v.description)} error={errors.description} maxLength={4000} />
          {type.questions.map((q) => {
            const name = answerName(q.code);
            const label = q.label[locale];
            const hint = q.help[locale] || undefined;
            const options = q.values.map((o) => ({ value: o.key, label: o.name[locale] }));
            if (q.datatype === 'singlevaluelist')
              return <Select ctx={ctx} name={name} label={label} hint={hint} required={q.required} error={errors[name]} value={text(v[name])} options={[{ value: '', label: t('queue.intake.choose') }, ...options]} />;
            if (q.datatype === 'multivaluelist')
              return <Checkboxes ctx={ctx} name={name} legend={label} hint={hint} error={errors[name]} values={Array.isArray(v[name]) ? v[name] : v[name] ? [v[name]] : []} options={options} empty="" />;
            if (q.datatype === 'text') return <TextArea ctx={ctx} name={name} label={label} hint={hint} required={q.required} error={errors[name]} value={text(v[name])} rows={3} />;
            return <TextField ctx={ctx} name={name} label={label} hint={hint} required={q.required} error={errors[name]} value={text(v[name])} maxLength={300} />;
          })}
          <Button>{t('queue.intake.submit')}</Button>
        </PostForm>
      ) : null}
    </Layout>
  );
}
