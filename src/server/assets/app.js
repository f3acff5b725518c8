// The admin page's only script: live progress of an import, confirmations, pages that refresh themselves. Served by the service itself.
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
});
