// Progressive enhancement only: every page works without this file. Behaviour attaches to data-module.
const modules = {
  // Move focus to the error summary so screen readers announce it and keyboard users start there.
  'error-summary'(el) {
    el.focus();
  },
  // Stop a double-click from sending a form twice (the server also de-duplicates).
  'submit-once'(form) {
    form.addEventListener('submit', (event) => {
      if (form.dataset.submitted === 'true') {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = 'true';
      for (const button of form.querySelectorAll('button[type="submit"]')) button.setAttribute('aria-disabled', 'true');
    });
  },
  // A moment people wait for (registration opening, the end of a hold): the page states it in text;
  // this adds the time left, and reloads the page once it is reached when data-reload="true".
  countdown(el) {
    const until = Date.parse(el.getAttribute('data-until') ?? '');
    if (Number.isNaN(until)) return;
    const out = document.createElement('span');
    out.className = 'countdown__left';
    out.setAttribute('role', 'timer');
    out.setAttribute('aria-live', 'off');
    el.append(' ', out);
    let timer;
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      const h = Math.floor(left / 3600);
      const m = Math.floor((left % 3600) / 60);
      out.textContent = `(${h > 0 ? `${h} h ` : ''}${h > 0 || m > 0 ? `${m} min ` : ''}${left % 60} s)`;
      if (left > 0) return;
      window.clearInterval(timer);
      if (el.getAttribute('data-reload') === 'true') setTimeout(() => window.location.reload(), 1000);
    };
    timer = window.setInterval(tick, 1000);
    tick();
  },
};

for (const el of document.querySelectorAll('[data-module]')) {
  for (const name of el.getAttribute('data-module').split(/\s+/)) modules[name]?.(el);
}
