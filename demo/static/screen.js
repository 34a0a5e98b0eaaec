// Renders a key screen: fetches the record from the JSON API (the session
// cookie authenticates it) and only then builds the properties element a
// browser probe waits for. Values go in as text, never as markup.
'use strict';

(async () => {
  const screen = document.getElementById('screen');
  const status = document.getElementById('screen-status');
  try {
    const resp = await fetch(screen.dataset.api, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    if (resp.status === 401) {
      window.location.assign('/login');
      return;
    }
    if (!resp.ok) {
      throw new Error('the server answered ' + resp.status);
    }
    render(screen, await resp.json());
    status.remove();
  } catch (err) {
    status.textContent = 'This screen could not be opened: ' + err.message;
    status.className = 'error';
    status.setAttribute('role', 'alert');
  }
})();

function render(screen, record) {
  const section = document.createElement('section');
  section.id = screen.dataset.element;
  section.className = 'properties';
  const title = document.createElement('h1');
  title.textContent = record.screen;
  section.append(title);
  const list = document.createElement('dl');
  for (const p of record.properties) {
    const label = document.createElement('dt');
    label.textContent = p.label;
    const value = document.createElement('dd');
    value.textContent = p.value;
    list.append(label, value);
  }
  section.append(list);
  screen.append(section);
}
