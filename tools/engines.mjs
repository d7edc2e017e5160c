// The three browser engines the suite drives, behind one small driver-neutral tab. Chromium
// and Firefox come through playwright-core (Chromium over CDP, Firefox ESR over WebDriver
// BiDi); WebKit (Safari's engine) through WebKitGTK's classic WebDriver, with
// selenium-webdriver as the client. Every browser is Debian's: nothing here downloads one.
//
// A tab speaks the part of Playwright's Page the tests use (goto, click, fill, check,
// textContent, evaluate, waitForFunction, …) plus count(), errors() and close(), so a test
// is written once. On the Playwright engines a tab also passes anything else through to the
// Page (`tab.context()`, frames, downloads); a test that needs those says so with
// `needsPlaywright` (tests/browser/helpers.mjs) and WebKit skips it with that reason.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { chromium, firefox } from "playwright-core";

export const ENGINES = ["chromium", "firefox", "webkit"];

const WEBKIT_DIR = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1";

/** The engine named by $ENGINE (chromium unless set). */
export function engineName() {
  const name = process.env.ENGINE || "chromium";
  if (!ENGINES.includes(name)) throw new Error(`ENGINE must be one of ${ENGINES.join(", ")}`);
  return name;
}

/**
 * Starts `name`'s browser; resolves with {name, open(url, {viewport}) → tab, close()}. For
 * Playwright engines, `playwright` is the Browser itself (for tests that need its contexts).
 */
export async function launchEngine(name = engineName(), { args = [], sharedArrayBuffer } = {}) {
  if (name === "webkit") return launchWebKit({ sharedArrayBuffer });
  const browser = name === "firefox" ? await launchFirefox() : await launchChromium(args);
  return {
    name,
    playwright: browser,
    async open(url, { viewport, contextOptions = {} } = {}) {
      const context = await browser.newContext({
        viewport: viewport ?? { width: 1280, height: 900 },
        ...contextOptions,
      });
      const page = await context.newPage();
      const tab = playwrightTab(name, page);
      await page.goto(url);
      return tab;
    },
    close: () => browser.close(),
  };
}

/**
 * Headless Chromium. The flags keep it off the network it cannot reach here (background
 * services, QUIC) and let it run as root in a container (--no-sandbox).
 */
export function launchChromium(args = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      ...args,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Headless Firefox ESR over WebDriver BiDi (Playwright's "moz-firefox" channel). */
export function launchFirefox(firefoxUserPrefs = {}) {
  return firefox.launch({
    channel: "moz-firefox",
    executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
    headless: true,
    firefoxUserPrefs,
  });
}

/**
 * A tab over a Playwright page: the page's own methods, plus count, errors, warnings and
 * close. warnings() is what the page and its workers (nested ones too) said in the console as
 * warnings or errors, from the tab's opening on.
 */
function playwrightTab(engine, page) {
  const errors = [];
  const warnings = [];
  page.on("pageerror", (error) => {
    errors.push(error.message);
    console.error(`[page error] ${error.message}`);
  });
  page.on("console", (message) => {
    if (message.type() === "warning" || message.type() === "error") {
      warnings.push(`${message.type()}: ${message.text()}`);
    }
  });
  const extra = {
    engine,
    raw: page,
    waitForFunction: (fn, arg, options) => waitInPage(page, fn, arg, options),
    count: (selector) => page.locator(selector).count(),
    press: (key) => page.keyboard.press(key),
    errors: async () => [...errors, ...(await pageRecorded(page))],
    warnings: () => [...warnings],
    close: () => page.context().close(),
    frame: (selector) => playwrightFrame(engine, page, selector),
  };
  return new Proxy(extra, {
    get(target, prop) {
      if (prop in target) return target[prop];
      const value = page[prop];
      return typeof value === "function" ? value.bind(page) : value;
    },
  });
}

/**
 * The document in the iframe `selector` as a tab (the methods a Frame shares with a Page).
 * Firefox over BiDi does not deliver a pointer click inside a cross-site frame (observed with
 * playwright-core 1.64 and Firefox ESR 153: the click times out, the element never hears
 * it), so there a click is the element's own click().
 */
async function playwrightFrame(engine, page, selector) {
  const frame = await (await page.waitForSelector(selector)).contentFrame();
  const extra = {
    engine,
    raw: frame,
    waitForFunction: (fn, arg, options) => waitInPage(frame, fn, arg, options),
    count: (sel) => frame.locator(sel).count(),
    errors: () => pageRecorded(frame),
    click:
      engine === "firefox"
        ? (sel) => frame.locator(sel).evaluate((el) => el.click())
        : (sel) => frame.click(sel),
    check:
      engine === "firefox"
        ? (sel) => frame.locator(sel).evaluate((el) => el.checked || el.click())
        : (sel) => frame.check(sel),
  };
  return new Proxy(extra, {
    get(target, prop) {
      if (prop in target) return target[prop];
      const value = frame[prop];
      return typeof value === "function" ? value.bind(frame) : value;
    },
  });
}

/**
 * Waits until `fn(arg)`, run in the page (or frame) `target`, is truthy, awaiting it when it
 * is a promise. Playwright's own waitForFunction takes a returned promise as truthy whatever
 * it resolves to (measured with 1.64: a promise of false "passed" after 142 ms), so a wait on
 * the Cache API or a service worker's readiness passed at once, and a test went offline
 * before the files it waited for were kept. A navigation under way only means "not yet".
 */
function waitInPage(target, fn, arg, { timeout = 30_000, every } = {}) {
  const check = () =>
    target.evaluate(fn, arg).catch((error) => {
      if (/context was destroyed|navigat|detached/i.test(error.message)) return false;
      throw error;
    });
  return poll(check, { timeout, every, what: String(fn).slice(0, 80) });
}

/** Errors the page itself recorded (www/page/errors.js), for engines without a console. */
async function pageRecorded(tab) {
  const json = await tab.evaluate(() => document.documentElement.dataset.pageErrors ?? "[]");
  return JSON.parse(json);
}

// ---- WebKit: WebKitGTK's WebDriver under Xvfb ----

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Waits until `check()` resolves truthy, calling it every `every` ms (50 by default); rejects
 * after `timeout`. Each check is a script run in the page: the benchmark asks less often
 * while a measured run goes.
 */
async function poll(check, { timeout = 30_000, every = 50, what = "a condition" } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timeout ${timeout}ms exceeded waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * An X display for MiniBrowser: $DISPLAY if set, else a private Xvfb with a real screen. Xvfb
 * picks a free display number itself and writes it to fd 3 (-displayfd), so two runs never
 * collide and a stale lock file is never mistaken for a server.
 */
/** Stops `child` and resolves when it has exited. */
function ended(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill();
  return exited;
}

async function xDisplay() {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY, stop: async () => {} };
  // -noreset: by default an X server resets when its last client leaves, and drops a client
  // that connects meanwhile. Each tab is a new MiniBrowser right after the last one quit, so
  // now and then one "cannot open display" and its session never starts. Measured here with
  // four clients connecting 150 times each: 37, 41 and 53 of 600 connections failed with the
  // default, none of 600 (three times) with -noreset.
  const xvfb = spawn(
    "Xvfb",
    ["-displayfd", "3", "-screen", "0", "1920x1200x24", "-nolisten", "tcp", "-noreset"],
    {
      stdio: ["ignore", "ignore", "ignore", "pipe"],
    },
  );
  const number = await new Promise((resolve, reject) => {
    let text = "";
    xvfb.stdio[3].on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) resolve(text.trim());
    });
    xvfb.once("exit", (code) => reject(new Error(`Xvfb exited with ${code}`)));
    setTimeout(() => reject(new Error("Xvfb did not start in 10 s")), 10_000);
  });
  // stop() resolves once Xvfb has exited: one that is still exiting removes the lock and
  // socket of the same display number, which the next test file's Xvfb may already have
  // taken (a MiniBrowser then "cannot open display" and its session never starts).
  return { display: `:${number}`, stop: () => ended(xvfb) };
}

/**
 * WebKitGTK's WebDriver and MiniBrowser. `sharedArrayBuffer: false` runs it as shipped, with
 * SharedArrayBuffer hidden (a JSC option shows it, as Safari does for isolated pages; the
 * suite shows it unless told otherwise).
 */
async function launchWebKit({ sharedArrayBuffer = true } = {}) {
  const { Builder } = await import("selenium-webdriver");
  const x = await xDisplay();
  const port = await freePort();
  // No accelerated compositing: with no GPU, WebKitGTK's compositor thread draws through
  // Mesa's software GL (swrast_dri.so), which segfaulted now and then in it ("WebProcess
  // CRASHED", the kernel's log: "ThreadedCompositor ... segfault ... in swrast_dri.so"),
  // failing whichever test had the page open. Pages are then painted without GL.
  const env = { ...process.env, DISPLAY: x.display, WEBKIT_DISABLE_COMPOSITING_MODE: "1" };
  if (sharedArrayBuffer) env.JSC_useSharedArrayBuffer = "1";
  const driver = spawn("WebKitWebDriver", [`--port=${port}`], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await poll(
    () =>
      fetch(`${url}/status`).then(
        (r) => r.ok,
        () => false,
      ),
    { what: "WebKitWebDriver" },
  );
  // WebKitWebDriver allows one session at a time: a test that failed before closing its tab
  // must not fail every test after it.
  let current = null;
  return {
    name: "webkit",
    playwright: null,
    async open(address, { viewport } = {}) {
      await current?.quit().catch(() => {});
      // A browser that cannot start leaves the session request unanswered for good: fail
      // the test in a minute rather than hang the suite.
      let timer;
      const session = await Promise.race([
        new Builder()
          .usingServer(url)
          .withCapabilities({
            browserName: "MiniBrowser",
            // Without --automation the session never starts.
            "webkitgtk:browserOptions": {
              binary: `${WEBKIT_DIR}/MiniBrowser`,
              args: ["--automation"],
            },
          })
          .build(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error("MiniBrowser's WebDriver session did not start in 60 s")),
            60_000,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      current = session;
      const { width, height } = viewport ?? { width: 1280, height: 900 };
      await session.manage().window().setRect({ width, height });
      const tab = new WebDriverTab(session);
      await tab.goto(address);
      return tab;
    },
    async close() {
      await current?.quit().catch(() => {});
      await ended(driver);
      await x.stop();
    },
  };
}

/** The same tab over classic WebDriver: every read is a script run in the page. */
class WebDriverTab {
  engine = "webkit";
  raw = null;
  #driver;

  constructor(driver) {
    this.#driver = driver;
  }

  goto(url) {
    return this.#driver.get(url);
  }

  reload() {
    return this.#driver.navigate().refresh();
  }

  url() {
    return this.#driver.getCurrentUrl();
  }

  /** Runs `fn(arg)` in the page (a function or an expression string); awaits its promise. */
  evaluate(fn, arg) {
    const body = typeof fn === "function" ? `(${fn})(arguments[0])` : `(${fn})`;
    return this.#driver.executeScript(`return Promise.resolve(${body});`, arg);
  }

  $eval(selector, fn, arg) {
    return this.#driver.executeScript(
      `const el = document.querySelector(arguments[0]);
       if (!el) throw new Error("no element matches " + arguments[0]);
       return Promise.resolve((${fn})(el, arguments[1]));`,
      selector,
      arg,
    );
  }

  $$eval(selector, fn, arg) {
    return this.#driver.executeScript(
      `return Promise.resolve((${fn})([...document.querySelectorAll(arguments[0])], arguments[1]));`,
      selector,
      arg,
    );
  }

  async waitForFunction(fn, arg, { timeout = 30_000, every } = {}) {
    const what = String(fn).slice(0, 80);
    return poll(() => this.evaluate(fn, arg), { timeout, every, what });
  }

  /** Like Playwright: waits for the element to be there and, unless `state: "attached"`, shown. */
  async waitForSelector(selector, { timeout = 30_000, state = "visible" } = {}) {
    await poll(() => this.$$eval(selector, visibleOrAttached, state), { timeout, what: selector });
  }

  async #element(selector) {
    const { By } = await import("selenium-webdriver");
    await this.waitForSelector(selector, { state: "attached" });
    return this.#driver.findElement(By.css(selector));
  }

  /** A person's click where WebDriver can make one; a script click on a covered input. */
  async click(selector) {
    const el = await this.#element(selector);
    await this.#driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", el);
    try {
      await el.click();
    } catch (error) {
      if (!/not interactable|intercept/i.test(error.message)) throw error;
      await this.#driver.executeScript("arguments[0].click()", el);
    }
  }

  // As Playwright's fill does in the other engines: the text arrives at once, as pasted text
  // does (one input event), not key by key. WebKitGTK's driver types a few hundred characters
  // a second, so typing a test's Python program took most of a minute.
  async fill(selector, value) {
    const el = await this.#element(selector);
    const filled = await this.#driver.executeScript(
      `const [el, value] = arguments;
      el.focus();
      el.select?.();
      // insertText: the browser's own edit (input events, undo); a number input takes none.
      const inserted =
        value === "" ? document.execCommand("delete") : document.execCommand("insertText", false, value);
      if (!inserted || el.value !== value) {
        el.value = value;
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }
      return el.value === value;`,
      el,
      String(value),
    );
    if (!filled) throw new Error(`fill: ${selector} did not take the value`);
  }

  /** Presses `key` (a Playwright key name: "ArrowRight", "Enter", …) on the focused element. */
  async press(key) {
    const { Key } = await import("selenium-webdriver");
    const name = key
      .replace(/^Arrow/, "Arrow_")
      .replace(/([a-z])([A-Z])/g, "$1_$2")
      .toUpperCase();
    await this.#driver
      .actions()
      .sendKeys(Key[name] ?? key)
      .perform();
  }

  async check(selector) {
    if (!(await this.$eval(selector, (el) => el.checked))) await this.click(selector);
  }

  async uncheck(selector) {
    if (await this.$eval(selector, (el) => el.checked)) await this.click(selector);
  }

  async selectOption(selector, value) {
    await this.click(`${selector} option[value="${value}"]`);
  }

  async focus(selector) {
    await this.$eval(selector, (el) => el.focus());
  }

  async textContent(selector) {
    await this.waitForSelector(selector, { state: "attached" });
    return this.$eval(selector, (el) => el.textContent);
  }

  async inputValue(selector) {
    await this.waitForSelector(selector, { state: "attached" });
    return this.$eval(selector, (el) => el.value);
  }

  async getAttribute(selector, name) {
    await this.waitForSelector(selector, { state: "attached" });
    return this.$eval(selector, (el, n) => el.getAttribute(n), name);
  }

  isHidden(selector) {
    return this.$$eval(selector, (els) => !els[0] || els[0].getClientRects().length === 0);
  }

  async isVisible(selector) {
    return !(await this.isHidden(selector));
  }

  isDisabled(selector) {
    return this.$eval(selector, (el) => el.disabled);
  }

  count(selector) {
    return this.$$eval(selector, (els) => els.length);
  }

  errors() {
    return pageRecorded(this);
  }

  /**
   * The document in the iframe `selector` as a tab: each call switches WebDriver into the
   * frame and back out when it is done, so the page and its frame can be used in turn.
   */
  async frame(selector) {
    const { By } = await import("selenium-webdriver");
    await this.waitForSelector(selector, { state: "attached" });
    const driver = this.#driver;
    return new Proxy(this, {
      get(target, prop) {
        const value = target[prop];
        if (typeof value !== "function" || prop === "frame" || prop === "close") return value;
        return async (...args) => {
          await driver.switchTo().frame(await driver.findElement(By.css(selector)));
          try {
            return await value.apply(target, args);
          } finally {
            await driver.switchTo().defaultContent();
          }
        };
      },
    });
  }

  close() {
    return this.#driver.quit();
  }
}

function visibleOrAttached(els, state) {
  const el = els[0];
  if (!el) return false;
  if (state === "attached") return true;
  return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
}
