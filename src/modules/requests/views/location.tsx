/**
 * Step 1 of a report: where. An address field that always works, and a map with a pin when
 * JavaScript and the tiles are there (static/requests-map.js fills the hidden lat/lng fields).
 * A GET form: choosing a place changes nothing yet; step 2 checks it and shows similar reports.
 */
import { Layout } from '../../../web/components/Layout.tsx';
import { Button, ErrorLine, ErrorSummary, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { RequestTypeWithQuestions, TownArea } from '../types.ts';
import { RequestsStyles } from './parts.tsx';

export interface LocationValues {
  address: string;
  lat: string;
  lng: string;
}

export function LocationPage(props: {
  ctx: PageContext;
  type: RequestTypeWithQuestions;
  area: TownArea | null;
  map: { tileUrl: string | null; attribution: string };
  values: LocationValues;
  errors: FieldErrors;
}) {
  const { ctx, type, area, map, values, errors } = props;
  const { t, locale } = ctx;
  const center = area?.center ?? null;
  return (
    <Layout ctx={ctx} title={t('requests.location.title', { type: type.name[locale] })} hasErrors={Object.keys(errors).length > 0}>
      <RequestsStyles />
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, '/requests')}>{t('requests.location.back')}</a>
      </p>
      <p class="step">{t('requests.steps.one')}</p>
      <h1>{t('requests.location.title', { type: type.name[locale] })}</h1>
      <p class="lead">{t('requests.location.intro')}</p>
      <form method="get" action={href(ctx, `/requests/new/${type.code}/details`)} novalidate>
        {map.tileUrl && center ? (
          <div class="map-block" hidden data-module-map="location">
            <p id="map-help">{t('requests.location.mapHelp')}</p>
            <div
              id="map"
              class="map"
              data-tiles={map.tileUrl}
              data-attribution={map.attribution}
              data-lat={String(center.lat)}
              data-lng={String(center.lng)}
              data-zoom={String(area?.zoom ?? 14)}
              data-label={t('requests.location.mapLabel')}
              data-tile-error={t('requests.location.tileError')}
              data-pin-text={t('requests.location.pinPlaced')}
            ></div>
            <p class="map-actions">
              <button type="button" class="button button--secondary" data-map-action="center">
                {t('requests.location.pinCenter')}
              </button>{' '}
              <button type="button" class="button button--secondary" data-map-action="clear">
                {t('requests.location.pinClear')}
              </button>
            </p>
            <p class="map-status" role="status" aria-live="polite" data-map-status>
              {values.lat && values.lng ? t('requests.location.pinPlaced') : ''}
            </p>
          </div>
        ) : null}
        <input type="hidden" name="lat" value={values.lat} data-map-field="lat" />
        <input type="hidden" name="lng" value={values.lng} data-map-field="lng" />
        <ErrorLine ctx={ctx} id="location" error={errors.location} />
        <TextField
          ctx={ctx}
          name="address"
          label={t('requests.location.address')}
          hint={t('requests.location.addressHint')}
          value={values.address}
          error={errors.address}
          autocomplete="street-address"
          maxLength={300}
        />
        <Button>{t('requests.location.next')}</Button>
      </form>
      {map.tileUrl && center ? <script type="module" src="/static/requests-map.js" nonce={ctx.nonce}></script> : null}
    </Layout>
  );
}
