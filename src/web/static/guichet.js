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
};

for (const el of document.querySelectorAll('[data-module]')) {
  for (const name of el.getAttribute('data-module').split(/\s+/)) modules[name]?.(el);
}
