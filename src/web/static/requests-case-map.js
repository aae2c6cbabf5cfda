// The map on a staff member's case page (progressive enhancement): shows where the request was
// placed. Without JavaScript, or when the tiles fail, the coordinates and the map link on the page
// say the same. Leaflet is served from its own package under /static/leaflet/.
import * as L from '/static/leaflet/leaflet-src.esm.js';

const block = document.querySelector('[data-module-map="view"]');
const el = block?.querySelector('.map');
if (block && el) {
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = '/static/leaflet/leaflet.css';
  document.head.append(css);
  block.hidden = false;

  const at = [Number(el.dataset.lat), Number(el.dataset.lng)];
  const map = L.map(el, { keyboard: true, scrollWheelZoom: false }).setView(at, 17);
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', el.dataset.label ?? '');

  let failed = false;
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution })
    .on('tileerror', () => {
      if (failed) return;
      failed = true;
      const note = document.createElement('p');
      note.className = 'field__hint map-error';
      note.textContent = el.dataset.tileError ?? '';
      block.prepend(note);
    })
    .addTo(map);

  L.Icon.Default.imagePath = '/static/leaflet/images/';
  // The pin only shows the point: not a control, so no extra stop for the keyboard.
  L.marker(at, { interactive: false, keyboard: false, alt: el.dataset.label ?? '' }).addTo(map);
}
