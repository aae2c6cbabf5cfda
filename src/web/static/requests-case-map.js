// The map on a staff member's case page (progressive enhancement): shows where the request was
// placed. Without JavaScript, or when the tiles fail, the coordinates and the map link on the page
// say the same. Leaflet is served from its own package under /static/leaflet/.
import { L, createMap } from '/static/map-tiles.js';

const block = document.querySelector('[data-module-map="view"]');
const el = block?.querySelector('.map');
if (block && el) {
  const at = [Number(el.dataset.lat), Number(el.dataset.lng)];
  const map = createMap(el, block, { keyboard: true, scrollWheelZoom: false }).setView(at, 17);
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', el.dataset.label ?? '');

  // The pin only shows the point: not a control, so no extra stop for the keyboard.
  L.marker(at, { interactive: false, keyboard: false, alt: el.dataset.label ?? '' }).addTo(map);
}
