// Drives the dashboard of a running node in Debian's chromium: the page goes live, an order placed through the API
// shows up in the event stream and the orders table, the saga and breaker panels say when this node has none, and a
// dead letter is redriven with its button. The page asks for a token first; a wrong one is refused and asked for again.
// Usage: node dashboard.spec.mjs BASE_URL SCREENSHOT_PATH TOKEN
// Prints "dashboard ok" and exits 0, or prints the failure and exits 1 (a screenshot is taken either way).
import { chromium } from 'playwright-core';

const [base, screenshot, token] = process.argv.slice(2);
if (!base || !screenshot || !token) {
  console.error('usage: node dashboard.spec.mjs BASE_URL SCREENSHOT_PATH TOKEN');
  process.exit(2);
}
const TIMEOUT_MS = 20_000;

async function api(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { Authorization: 'Bearer ' + token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
let page;
let failed = false;
try {
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(base + '/');
  await page.locator('#token-form').waitFor();
  await page.fill('#token-input', 'not-a-token');
  await page.click('#token-form button[type=submit]');
  await page.locator('#token-note', { hasText: 'the token was refused' }).waitFor();
  console.log('a wrong token is refused and asked for again');
  await page.fill('#token-input', token);
  await page.click('#token-form button[type=submit]');
  await page.locator('#stream-status', { hasText: 'live' }).waitFor();
  console.log('page is live');
  // kept for this tab: a reload does not ask again
  await page.reload();
  await page.locator('#stream-status', { hasText: 'live' }).waitFor();
  if (await page.locator('#token-form').isVisible()) throw new Error('the token was asked for again after a reload');
  console.log('the token is kept in session storage');

  const suffix = Date.now().toString(36);
  const { userId } = await api('POST', '/api/users', { email: `browser-${suffix}@example.org`, username: `browser-${suffix}` });
  const { orderId } = await api('POST', '/api/orders', {
    userId,
    items: [{ sku: 'SKU-BROWSER', quantity: 2, unitPrice: '19.90' }],
    shippingAddress: { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
    payment: { token: 'tok_visa' },
  });
  console.log('placed order', orderId);
  await page.locator(`#events li[data-type="order.created"][data-subject="${orderId}"]`).waitFor();
  await page.locator(`#orders tr[data-order="${orderId}"]`).waitFor();
  console.log('order is in the stream and the table');

  // SKU-BROWSER is not stocked: the order's saga compensates, and it used the inventory service's breaker
  await page.locator(`#sagas tr[data-saga="saga-${orderId}"]`, { hasText: 'compensated' }).waitFor();
  await page.locator(`#sagas tr[data-saga="saga-${orderId}"]`, { hasText: 'reserveInventory' }).waitFor();
  await page.locator('#breakers tr[data-breaker="inventory"]').waitFor();
  console.log('saga and breaker are on the page');

  const letter = page.locator('#dead-letters tr[data-dead-letter]').first();
  await letter.waitFor();
  const letterId = await letter.getAttribute('data-dead-letter');
  console.log('dead letter', letterId);
  await page.screenshot({ path: screenshot, fullPage: true });
  await letter.locator('button.redrive').click();
  await page.locator('#dead-letters-note', { hasText: 'redriven: ' + letterId }).waitFor();
  await page.locator(`#dead-letters tr[data-dead-letter="${letterId}"]`).waitFor({ state: 'detached' });
  console.log('dead letter redriven');
  console.log('dashboard ok');
} catch (e) {
  failed = true;
  console.error('dashboard check failed:', e.message);
  if (page) await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
