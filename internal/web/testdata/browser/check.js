// Browser check of homthu's pages (issue 3, quality bar): on a 390-px-wide
// screen, in Chromium, with JavaScript off and on, a citizen finds an area,
// sends feedback, keeps the receipt, tracks it and answers (without
// JavaScript: the page's script is blocked); a staff member
// logs in and opens the inbox and an item. axe-core (WCAG 2.0/2.1 A and AA)
// runs on every page; a serious or critical violation fails the check.
// Screenshots of every page go to OUT.
//
// Usage, against a server started with `homthu serve --demo`:
//
//	npm install   # axe-core, puppeteer-core; Chromium from the system (apt-get install chromium)
//	BASE=http://127.0.0.1:8080 STAFF_USER=mttq.hoalu STAFF_PASS=... OUT=/tmp/shots node check.js
//
// Without STAFF_USER the staff pages are skipped.
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const base = process.env.BASE || 'http://127.0.0.1:8080';
const out = process.env.OUT || path.join(process.cwd(), 'shots');
const chrome = process.env.CHROMIUM || '/usr/bin/chromium';
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
fs.mkdirSync(out, {recursive: true});

const failures = [];
function fail(msg) { failures.push(msg); console.log('FAIL ' + msg); }

async function audit(page, name) {
  await page.screenshot({path: path.join(out, name + '.png'), fullPage: true});
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (lang !== 'vi') fail(`${name}: <html lang="${lang}">, want vi`);
  await page.evaluate(axeSource); // runs in the page; setBypassCSP lets it in
  const r = await page.evaluate(() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}));
  for (const v of r.violations) {
    const line = `${name}: ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`;
    if (v.impact === 'serious' || v.impact === 'critical') fail(line); else console.log('note ' + line);
  }
  console.log(`ok   ${name}`);
}

async function click(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function citizen(browser, js) {
  const tag = js ? 'js' : 'nojs';
  const page = await browser.newPage();
  await page.setBypassCSP(true);
  if (!js) {
    // "Without JavaScript": the page's one script is never loaded. (Turning
    // JavaScript off in the browser would also stop axe and the checks.)
    await page.setRequestInterception(true);
    page.on('request', r => (/\.js(\?|$)/.test(r.url()) ? r.abort() : r.continue()));
  }
  await page.setViewport({width: 390, height: 844});
  page.on('pageerror', e => fail(`${tag}: script error: ${e.message}`));

  await page.goto(base + '/');
  await audit(page, `${tag}-01-home`);
  await click(page, 'a.action[href="/gui"]');
  await audit(page, `${tag}-02-area`);
  await page.type('#q', 'hoa lu');
  if (js) {
    await page.waitForFunction(() => /hoa lu/.test(document.getElementById('ket-qua').textContent), {timeout: 5000})
      .catch(() => fail('js: the live search showed no result'));
  }
  await click(page, '.search button[type=submit]');
  await audit(page, `${tag}-03-search`);
  await click(page, '#ket-qua .more');
  await audit(page, `${tag}-04-areas`);
  await click(page, '#ket-qua a.unit-name');
  await audit(page, `${tag}-05-form`);

  // An error keeps what was typed.
  await page.type('#f-content', '   ');
  await page.type('#f-subject_name', 'Nguyễn Văn Thử');
  await click(page, 'button.primary');
  await audit(page, `${tag}-06-form-error`);
  const kept = await page.$eval('#f-subject_name', e => e.value);
  if (kept !== 'Nguyễn Văn Thử') fail(`${tag}: the form lost what was typed (${kept})`);
  const alert = await page.$('[role=alert]');
  if (!alert) fail(`${tag}: the error has no role=alert`);

  await page.$eval('#f-content', e => { e.value = 'Kiểm thử trên trình duyệt: cán bộ phường uống rượu trong giờ làm việc.'; });
  await click(page, 'button.primary');
  await audit(page, `${tag}-07-receipt`);
  const code = await page.$eval('.code', e => e.textContent.trim().split(/\s+/).join('-'));
  if (!/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/.test(code)) fail(`${tag}: receipt ${code}`);
  if (page.url().indexOf(code) >= 0 || page.url().indexOf(code.replace(/-/g, '')) >= 0) fail(`${tag}: the receipt is in the URL`);
  if (!(await page.$('svg.qr'))) fail(`${tag}: no QR code`);
  const printButton = await page.$eval('[data-print]', e => !e.hidden);
  if (printButton !== js) fail(`${tag}: print button visible = ${printButton}`);
  await page.emulateMediaType('print');
  await page.screenshot({path: path.join(out, `${tag}-07-receipt-print.png`), fullPage: true});
  await page.emulateMediaType('screen');

  if (js) {
    // Leaving without confirming asks first (beforeunload).
    await page.click('.code'); // a user gesture, which browsers require for the dialog
    const dialog = new Promise(resolve => page.once('dialog', d => { resolve(d.type()); d.dismiss(); }));
    await page.close({runBeforeUnload: true});
    const type = await Promise.race([dialog, new Promise(r => setTimeout(() => r('none'), 3000))]);
    if (type !== 'beforeunload') fail(`js: leaving the receipt page unconfirmed gave no warning (${type})`);
    return;
  }
  await page.click('#saved');
  await click(page, '#xac-nhan button[type=submit]');
  await audit(page, `${tag}-08-thanks`);

  await page.goto(base + '/tra-cuu');
  await audit(page, `${tag}-09-track-form`);
  await page.type('#receipt', code.toLowerCase().replace(/-/g, ' '));
  await click(page, 'button.primary');
  await audit(page, `${tag}-10-track`);
  await page.type('#body', 'Tôi bổ sung: việc xảy ra chiều thứ Sáu.');
  await click(page, '.reply button.primary');
  const thread = await page.$eval('.thread', e => e.textContent).catch(() => '');
  if (thread.indexOf('chiều thứ Sáu') < 0) fail(`${tag}: the reply is not in the thread`);
  await audit(page, `${tag}-11-track-reply`);
  await page.close();
}

async function staff(browser) {
  const page = await browser.newPage();
  await page.setBypassCSP(true);
  await page.setViewport({width: 390, height: 844});
  await page.goto(base + '/can-bo/dang-nhap');
  await audit(page, 'staff-01-login');
  await page.type('#username', process.env.STAFF_USER);
  await page.type('#password', 'sai mật khẩu');
  await click(page, 'button.primary');
  if (!(await page.$('[role=alert]'))) fail('staff: a wrong password gives no alert');
  await page.type('#password', process.env.STAFF_PASS);
  await click(page, 'button.primary');
  await audit(page, 'staff-02-inbox');
  await click(page, '.items a');
  await audit(page, 'staff-03-item');
  await page.goBack();
  await page.click('.filters summary');
  await page.type('form #q', 'ruou');
  await click(page, '.filters button.primary');
  await audit(page, 'staff-04-inbox-search');
  await page.close();
}

(async () => {
  const browser = await puppeteer.launch({executablePath: chrome, args: ['--no-sandbox']});
  try {
    await citizen(browser, false);
    await citizen(browser, true);
    if (process.env.STAFF_USER) await staff(browser);
  } catch (e) {
    fail('crashed: ' + (e && e.stack || e));
  } finally {
    await browser.close();
  }
  console.log(failures.length ? `${failures.length} failed` : 'browser check passed');
  process.exit(failures.length ? 1 : 0);
})();
