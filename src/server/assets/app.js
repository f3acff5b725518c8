// The admin page's only script: live progress of an import, confirmations, pages that refresh
// themselves, and the settings form's product picker and unsaved-changes prompt. Served by the service.
'use strict';

/** "about 40 s left", "about 3 min left", "about 1 h 20 min left". */
function etaText(seconds) {
  if (seconds === undefined || seconds === null) return '';
  if (seconds < 60) return 'about ' + Math.max(1, Math.round(seconds)) + ' s left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return 'about ' + minutes + ' min left';
  return 'about ' + Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min left';
}

function followProgress(box) {
  const bar = box.querySelector('progress');
  const label = box.querySelector('[data-progress-label]');
  const counts = box.querySelector('[data-progress-counts]');
  const cancel = box.querySelector('[data-progress-cancel]');
  const source = new EventSource(box.dataset.progressUrl);
  const countsText = (p) =>
    p.done + ' of ' + p.total + ' actions' + (p.failed ? ', ' + p.failed + ' failed' : '');
  const detailText = (p) => [p.percent + ' %', etaText(p.etaSeconds)].filter(Boolean).join(' · ');
  const showCancel = (p) => {
    if (cancel) cancel.hidden = !p.cancellable;
  };
  source.addEventListener('progress', (event) => {
    const p = JSON.parse(event.data);
    label.textContent = p.stage;
    showCancel(p);
    if (p.total > 0) {
      bar.max = p.total;
      bar.value = p.done;
      bar.setAttribute('aria-valuetext', p.percent + ' %');
      counts.textContent = countsText(p);
      box.dataset.percent = String(p.percent);
      const detail = box.querySelector('[data-progress-detail]');
      if (detail) detail.textContent = detailText(p);
    } else {
      bar.removeAttribute('value');
      counts.textContent = '';
    }
  });
  source.addEventListener('done', (event) => {
    const p = JSON.parse(event.data);
    source.close();
    showCancel(p);
    if (p.total > 0) {
      bar.max = p.total;
      bar.value = p.done;
      bar.setAttribute('aria-valuetext', p.percent + ' %');
      // The counts of the end, not of the last progress event (which may be several actions behind).
      counts.textContent = countsText(p);
      const detail = box.querySelector('[data-progress-detail]');
      if (detail) detail.textContent = p.percent + ' %';
    } else {
      bar.max = 1;
      bar.value = 1;
      counts.textContent = '';
    }
    box.dataset.state = 'done';
    label.textContent = p.stage;
    // A moment at the end before the run's page, so the end is seen.
    if (p.runUrl) setTimeout(() => window.location.assign(p.runUrl), 700);
  });
  source.addEventListener('failed', (event) => {
    const p = JSON.parse(event.data);
    source.close();
    showCancel(p);
    box.dataset.state = 'failed';
    label.textContent = p.stage;
    if (p.runUrl) {
      const link = document.createElement('a');
      link.href = p.runUrl;
      link.textContent = 'See the run';
      counts.replaceChildren(link);
    }
  });
}

// Settings: "Products to update" chosen by searching the store's products. The textarea of codes stays
// the form's field (what is saved); the search and the list of chosen products replace it on screen.
function enhanceProductPicker(field) {
  const textarea = field.querySelector('textarea');
  const chosen = field.querySelector('#chosen-products');
  const chosenLabel = field.querySelector('#chosen-products-label');
  const template = field.querySelector('#product-picker-template');
  if (!textarea || !chosen || !template) return;
  const words = field.dataset;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? '');
  const picker = template.content.firstElementChild.cloneNode(true);
  const search = picker.querySelector('#product-search');
  const status = picker.querySelector('#product-search-status');
  const results = picker.querySelector('#product-search-results');
  textarea.hidden = true;
  field.querySelector('#update_only-hint').hidden = true;
  field.querySelector('label[for="update_only"]').id = 'update_only-label';
  field.setAttribute('role', 'group');
  field.setAttribute('aria-labelledby', 'update_only-label');
  if (document.getElementById('update_only-error')) {
    search.setAttribute('aria-describedby', 'product-search-status update_only-error');
    search.setAttribute('aria-invalid', 'true');
    document
      .querySelectorAll('a[href="#update_only"]')
      .forEach((a) => a.setAttribute('href', '#product-search'));
  }
  chosenLabel.before(picker);

  const span = (className, text) => {
    const el = document.createElement('span');
    el.className = className;
    el.textContent = text;
    return el;
  };
  const codes = () => [...chosen.querySelectorAll('li[data-code]')].map((li) => li.dataset.code);
  const announce = (text) => {
    status.textContent = text;
  };
  const markResults = () => {
    const now = codes();
    results.querySelectorAll('button[data-code]').forEach((button) => {
      const isChosen = now.includes(button.dataset.code);
      button.setAttribute('aria-disabled', String(isChosen));
      button.querySelector('.chosen-mark').hidden = !isChosen;
    });
  };
  const sync = () => {
    textarea.value = codes().join('\n');
    chosenLabel.hidden = codes().length === 0;
    markResults();
  };
  const remove = (li) => {
    const next = li.nextElementSibling ?? li.previousElementSibling;
    const code = li.dataset.code;
    li.remove();
    sync();
    announce(fill(words.textRemoved, { code }));
    (next ? next.querySelector('button.remove') : search).focus();
  };
  const addRemoveButton = (li) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary remove';
    button.textContent = words.textRemove;
    button.setAttribute('aria-label', fill(words.textRemoveLabel, { code: li.dataset.code }));
    button.addEventListener('click', () => remove(li));
    li.append(button);
  };
  chosen.querySelectorAll('li[data-code]').forEach(addRemoveButton);
  const choose = (choice) => {
    if (codes().includes(choice.code)) return;
    const li = document.createElement('li');
    li.dataset.code = choice.code;
    li.append(span('code', choice.code), ' ');
    if (choice.name) li.append(span('name', choice.name), ' ');
    li.append(span('muted', '(' + choice.detail + ')'));
    addRemoveButton(li);
    chosen.append(li);
    sync();
    announce(fill(words.textAdded, { code: choice.code }));
  };
  const resultButton = (label, choice) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.code = choice.code;
    button.append(...label, span('chosen-mark', ' (' + words.textChosen + ')'));
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-disabled') !== 'true') choose(choice);
    });
    const li = document.createElement('li');
    li.append(button);
    return li;
  };
  const show = (answer, query) => {
    const items = answer.choices.map((c) =>
      resultButton(
        [span('code', c.code), ' ', span('name', c.name), ' ', span('muted', '(' + c.detail + ')')],
        c,
      ),
    );
    // A code the store does not have may still be wanted (the store may get it later): kept as typed.
    if (!answer.exactCode)
      items.push(
        resultButton([span('', fill(words.textAddTyped, { code: query }))], {
          code: query,
          detail: words.textTyped,
        }),
      );
    results.replaceChildren(...items);
    markResults();
  };
  let timer;
  let latest = 0;
  const run = async () => {
    window.clearTimeout(timer);
    const query = search.value.trim();
    const mine = ++latest;
    if (!query) {
      results.replaceChildren();
      announce('');
      return;
    }
    announce(words.textSearching);
    try {
      const response = await window.fetch(field.dataset.searchUrl + '?q=' + encodeURIComponent(query), {
        headers: { Accept: 'application/json' },
      });
      const answer = await response.json();
      if (mine !== latest) return;
      if (!answer.ok) {
        results.replaceChildren();
        announce(fill(words.textFailed, { reason: answer.message }));
        return;
      }
      show(answer, query);
      announce(answer.summary);
    } catch (err) {
      if (mine === latest) announce(fill(words.textFailed, { reason: err.message }));
    }
  };
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  });
  // Enter searches at once rather than submitting the settings; the arrows move through the results.
  picker.addEventListener('keydown', (event) => {
    const buttons = [...results.querySelectorAll('button')];
    const at = buttons.indexOf(document.activeElement);
    if (event.target === search && event.key === 'Enter') {
      event.preventDefault();
      run();
    } else if (event.key === 'ArrowDown' && buttons.length) {
      event.preventDefault();
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      (at === 0 ? search : buttons[at - 1]).focus();
    }
  });
}

// Settings: the products to update are asked for only in the mode that uses them.
function followImportMode(form) {
  const field = form.querySelector('#update-only-field');
  if (!field) return;
  const sync = () => {
    const mode = form.querySelector('input[name="import_mode"]:checked');
    field.hidden = !mode || mode.value !== 'update-existing';
  };
  form
    .querySelectorAll('input[name="import_mode"]')
    .forEach((radio) => radio.addEventListener('change', sync));
  sync();
}

// Leaving a form with changes that are not saved asks first. A form the server marks unsaved (shown
// again after an error or a test) counts as changed from the start.
function warnBeforeLeaving(form) {
  const snapshot = () => {
    const data = new window.FormData(form);
    data.delete('_csrf');
    return new window.URLSearchParams(data).toString();
  };
  const initial = snapshot();
  let submitting = false;
  form.addEventListener('submit', () => {
    submitting = true;
  });
  window.addEventListener('beforeunload', (event) => {
    if (submitting || (form.dataset.unsaved !== '1' && snapshot() === initial)) return;
    event.preventDefault();
    event.returnValue = '';
  });
}

document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('[data-progress-url]').forEach(followProgress);
  // A page about something under way (an order being sent) reloads itself until the server stops saying so.
  const refresh = document.querySelector('[data-refresh-after]');
  if (refresh) setTimeout(() => window.location.reload(), Number(refresh.dataset.refreshAfter) * 1000);
  document.querySelectorAll('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  document.querySelectorAll('#update-only-field[data-search-url]').forEach(enhanceProductPicker);
  document.querySelectorAll('form#settings-form').forEach(followImportMode);
  document.querySelectorAll('form[data-unsaved-warning]').forEach(warnBeforeLeaving);
  document.getElementById('error-summary')?.focus();
});
