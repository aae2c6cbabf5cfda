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
  // Application forms: a question shown only for some answer to an earlier question of the same
  // page (data-show-if) is hidden while that answer is not given. The server decides the same way
  // and ignores the answers of hidden questions, so without this file the page only shows more.
  conditions(el) {
    const form = el.closest('form');
    const wrappers = [...el.querySelectorAll('[data-show-if]')];
    if (!form || wrappers.length === 0) return;
    const valuesOf = (code) => [...form.elements].filter((i) => i.name === code && (!['radio', 'checkbox'].includes(i.type) || i.checked)).map((i) => i.value.trim()).filter((v) => v !== '');
    const holds = (cond) => {
      const values = valuesOf(cond.question);
      const value = cond.value === null ? '' : String(cond.value);
      const num = (v) => Number(String(v).replace(/\s/g, '').replace(',', '.'));
      // Numbers as numbers, dates (YYYY-MM-DD) as text.
      const compare = (a, b) => (Number.isFinite(num(a)) && Number.isFinite(num(b)) ? num(a) - num(b) : a < b ? -1 : a > b ? 1 : 0);
      switch (cond.op) {
        case 'answered': return values.length > 0;
        case 'notAnswered': return values.length === 0;
        case 'equals': return values.length === 1 && (values[0] === value || num(values[0]) === num(value));
        case 'notEquals': return values.length > 0 && !(values.length === 1 && values[0] === value);
        case 'includes': return values.includes(value);
        case 'excludes': return !values.includes(value);
        case 'gt': return values.length === 1 && compare(values[0], value) > 0;
        case 'lt': return values.length === 1 && compare(values[0], value) < 0;
        default: return true;
      }
    };
    const update = () => {
      for (const w of wrappers) {
        let cond;
        try { cond = JSON.parse(w.getAttribute('data-show-if')); } catch { continue; }
        w.hidden = !holds(cond);
      }
    };
    form.addEventListener('change', update);
    form.addEventListener('input', update);
    update();
  },
  // Application forms: a change is saved as a draft in the background (the same POST as "Save and
  // come back later"), so a closed tab loses nothing. Forms with files are left to their buttons.
  autosave(el) {
    const form = el.closest('form');
    const status = el.querySelector('.autosave-status');
    if (!form || !window.fetch) return;
    let timer;
    let sending = false;
    const save = async () => {
      if (sending || form.dataset.submitted === 'true') return;
      sending = true;
      try {
        const body = new window.URLSearchParams(new window.FormData(form));
        body.set('action', 'save');
        // getAttribute: form.action would be the buttons named "action".
        const res = await fetch(form.getAttribute('action'), { method: 'POST', body, credentials: 'same-origin', redirect: 'manual' });
        if (status && (res.ok || res.type === 'opaqueredirect')) status.textContent = el.getAttribute('data-saved') ?? '';
      } catch {
        // Offline or refused: the buttons still save.
      } finally {
        sending = false;
      }
    };
    form.addEventListener('change', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 800);
    });
  },
};

for (const el of document.querySelectorAll('[data-module]')) {
  for (const name of el.getAttribute('data-module').split(/\s+/)) modules[name]?.(el);
}
