// The map pin of the service-request form (progressive enhancement). Without JavaScript, or when
// the tiles fail to load, the address field alone does the job: this file only adds a map that
// fills the hidden lat/lng fields. Leaflet is served from its own package under /static/leaflet/.
import { L, createMap } from '/static/map-tiles.js';

const block = document.querySelector('[data-module-map="location"]');
const el = document.getElementById('map');
if (block && el) {
  const lat = document.querySelector('[data-map-field="lat"]');
  const lng = document.querySelector('[data-map-field="lng"]');
  const status = block.querySelector('[data-map-status]');
  const centre = [Number(el.dataset.lat), Number(el.dataset.lng)];
  const map = createMap(el, block, { keyboard: true }).setView(centre, Number(el.dataset.zoom) || 14);
  el.setAttribute('role', 'application');
  el.setAttribute('aria-label', el.dataset.label ?? '');
  el.setAttribute('aria-describedby', 'map-help');

  let marker = null;
  const place = (latlng) => {
    if (marker) marker.setLatLng(latlng);
    else marker = L.marker(latlng, { draggable: true, keyboard: true, title: el.dataset.pinText }).addTo(map).on('dragend', () => place(marker.getLatLng()));
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    if (status) status.textContent = `${el.dataset.pinText} (${lat.value}, ${lng.value})`;
  };
  if (lat.value && lng.value && !Number.isNaN(Number(lat.value)) && !Number.isNaN(Number(lng.value))) {
    place(L.latLng(Number(lat.value), Number(lng.value)));
    map.setView(marker.getLatLng(), 17);
  }
  map.on('click', (e) => place(e.latlng));
  block.querySelector('[data-map-action="center"]')?.addEventListener('click', () => place(map.getCenter()));
  block.querySelector('[data-map-action="clear"]')?.addEventListener('click', () => {
    if (marker) marker.remove();
    marker = null;
    lat.value = '';
    lng.value = '';
    if (status) status.textContent = '';
  });
}
