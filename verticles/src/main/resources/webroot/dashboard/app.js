// Herald dashboard: the live feed over Server-Sent Events, the read models and admin endpoints over the HTTP API.
// Every call carries a bearer token, asked for once and kept in this tab's session storage (gone when it closes).
'use strict';

const MAX_EVENTS_SHOWN = 200;
const CHART_SECONDS = 60;
const REFRESH_MS = 5000;

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value; else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// ---- the token

const TOKEN_KEY = 'herald.token';
const token = () => sessionStorage.getItem(TOKEN_KEY);

function askForToken(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('token-note').textContent = reason || '';
  $('token-form').hidden = false;
  $('token-input').focus();
}

class Unauthorized extends Error {}

async function call(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...(options.headers || {}), Authorization: 'Bearer ' + token() } });
  if (response.status === 401) {
    const problem = await response.json().catch(() => ({}));
    askForToken('the token was refused: ' + (problem.detail || response.status));
    throw new Unauthorized(problem.detail || 'unauthorized');
  }
  return response;
}

async function getJson(path) {
  const response = await call(path, { headers: { Accept: 'application/json' } });
  if (response.status === 404) return { unavailable: true };
  if (!response.ok) throw new Error(path + ' answered ' + response.status);
  return response.json();
}

function unavailable(target, what) {
  target.replaceChildren(el('p', { class: 'unavailable', text: what + ' not available on this node' }));
}

// ---- live events and the events/s chart

const counts = new Array(CHART_SECONDS).fill(0);
let total = 0;

let feed;
function connectFeed() {
  // an EventSource cannot send headers: the token goes in the access_token query parameter
  feed = new EventSource('/api/feed?access_token=' + encodeURIComponent(token()));
  feed.onopen = () => { $('stream-status').textContent = 'live'; $('stream-status').className = 'badge live'; };
  feed.onerror = () => {
    $('stream-status').textContent = 'reconnecting…';
    $('stream-status').className = 'badge down';
    // a refused token closes the stream for good: check it once with a plain call, which asks again if it is refused
    if (feed.readyState === EventSource.CLOSED) getJson('/api/events?limit=1').catch(() => {});
  };
  feed.onmessage = (message) => onEvent(JSON.parse(message.data));
}

function onEvent(event) {
  counts[counts.length - 1]++;
  total++;
  const item = el('li', { 'data-type': event.type, 'data-subject': event.subject },
      el('span', { class: 'position', text: '#' + event.position }), event.type + ' ' + event.subject);
  const list = $('events');
  list.prepend(item);
  while (list.children.length > MAX_EVENTS_SHOWN) list.lastChild.remove();
  if (event.type.startsWith('order.')) scheduleRefresh(refreshOrders);
  if (event.type.startsWith('saga.')) scheduleRefresh(refreshSagas);
}

function tickChart() {
  $('rate-now').textContent = counts[counts.length - 1];
  $('event-total').textContent = total;
  const canvas = $('rate-chart');
  const ctx = canvas.getContext('2d');
  const max = Math.max(10, ...counts);
  const barWidth = canvas.width / counts.length;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#1f6feb';
  counts.forEach((count, i) => {
    const height = (count / max) * (canvas.height - 14);
    ctx.fillRect(i * barWidth + 1, canvas.height - height, barWidth - 2, height);
  });
  ctx.fillStyle = '#7a8194';
  ctx.fillText(max + '/s', 4, 10);
  counts.shift();
  counts.push(0);
}

// ---- panels fed by the API

const pending = new Set();
function scheduleRefresh(refresh) {
  if (pending.has(refresh)) return;
  pending.add(refresh);
  setTimeout(() => { pending.delete(refresh); refresh(); }, 300);
}

async function refreshOrders() {
  try {
    const { orders = [] } = await getJson('/api/orders');
    $('orders').replaceChildren(...orders.map((order) => el('tr', { 'data-order': order.orderId },
        el('td', { text: order.orderId }), el('td', { text: order.userId }), el('td', { text: order.total }),
        el('td', { class: 'status status-' + order.status, text: order.status }))));
    $('orders-note').textContent = orders.length ? '' : 'no orders yet';
  } catch (e) {
    $('orders-note').textContent = e.message;
  }
}

async function refreshSagas() {
  const target = $('sagas');
  try {
    const answer = await getJson('/api/sagas');
    if (answer.unavailable) return unavailable(target, 'Sagas are');
    const entry = (e) => e.step + ': ' + e.outcome + (e.at ? ' (' + e.at + ')' : '');
    const rows = (answer.sagas || []).map((saga) => el('tr', { 'data-saga': saga.sagaId },
        el('td', { text: saga.orderId }),
        el('td', { class: 'status status-' + saga.status, text: saga.status }),
        el('td', {}, el('ul', { class: 'steps' }, ...(saga.steps || []).map((step) => el('li', { text: entry(step) })))),
        el('td', { text: [(saga.compensations || []).map(entry).join(', '), saga.reason || ''].filter(Boolean).join(' · ') })));
    target.replaceChildren(el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: 'order' }), el('th', { text: 'status' }),
            el('th', { text: 'steps' }), el('th', { text: 'compensations / reason' }))),
        el('tbody', {}, ...rows)));
  } catch (e) {
    target.replaceChildren(el('p', { class: 'note', text: e.message }));
  }
}

async function refreshBreakers() {
  const target = $('breakers');
  try {
    const answer = await getJson('/api/admin/breakers');
    if (answer.unavailable) return unavailable(target, 'Circuit breakers are');
    target.replaceChildren(el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: 'breaker' }), el('th', { text: 'state' }), el('th', { text: 'failures' }))),
        el('tbody', {}, ...(answer.breakers || []).map((breaker) => el('tr', { 'data-breaker': breaker.name },
            el('td', { text: breaker.name }),
            el('td', { class: 'status state-' + String(breaker.state).toLowerCase().replace('_', '-'), text: breaker.state }),
            el('td', { text: breaker.failureCount }))))));
  } catch (e) {
    target.replaceChildren(el('p', { class: 'note', text: e.message }));
  }
}

async function refreshDeadLetters() {
  try {
    const { deadLetters = [] } = await getJson('/api/dead-letters?limit=50');
    const rows = deadLetters.map((letter) => {
      const button = el('button', { type: 'button', class: 'redrive', text: 'redrive' });
      button.onclick = () => redrive(letter.id, button);
      return el('tr', { 'data-dead-letter': letter.id },
          el('td', { text: letter.consumer }), el('td', { text: letter.eventType || '(not an event)' }),
          el('td', { text: letter.attempts }), el('td', { class: 'error', text: letter.lastError }), el('td', {}, button));
    });
    // the note keeps the last redrive's outcome; an empty list says so in the table itself
    $('dead-letters').replaceChildren(...(rows.length ? rows
        : [el('tr', {}, el('td', { colspan: '5', class: 'note', text: 'no dead letters' }))]));
  } catch (e) {
    $('dead-letters-note').textContent = e.message;
  }
}

async function redrive(id, button) {
  button.disabled = true;
  let response;
  try {
    response = await call('/api/dead-letters/' + id + '/redrive', { method: 'POST' });
  } catch (e) {
    button.disabled = false;   // a refused token: the form asks for another
    return;
  }
  if (response.ok) {
    $('dead-letters-note').textContent = 'redriven: ' + id;
  } else {
    const problem = await response.json().catch(() => ({}));
    $('dead-letters-note').textContent = 'redrive failed (' + response.status + '): ' + (problem.detail || '');
    button.disabled = false;
  }
  refreshDeadLetters();
}

function refreshAll() {
  refreshOrders();
  refreshSagas();
  refreshBreakers();
  refreshDeadLetters();
}

let started = false;
function start() {
  $('token-form').hidden = true;
  if (feed) feed.close();
  connectFeed();
  refreshAll();
  if (!started) {
    started = true;
    setInterval(tickChart, 1000);
    setInterval(() => { if (token()) refreshAll(); }, REFRESH_MS);
  }
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
  $('token-input').value = '';
  start();
});

if (token()) start(); else askForToken();
