// Drives the server's GraphiQL page in a headless Chromium as a person would: opens the page,
// enters a token in the Headers tab, reads the Docs pane, runs a query, then starts a
// subscription and waits for an event that the test causes meanwhile.
//
//   node graphiql.mjs <base-url> <token> <text-the-event-will-carry>
//
// Prints one JSON object per line: {"step": "...", ...}. The test reads them; this script
// asserts nothing itself beyond "the step could be done within its time".

import { existsSync } from "node:fs";
import puppeteer from "puppeteer-core";

const [base, token, marker] = process.argv.slice(2);
const STEP_TIMEOUT_MS = 20_000;
const EDIT_SETTLE_MS = 750;

function report(step, details = {}) {
  process.stdout.write(JSON.stringify({ step, ...details }) + "\n");
}

function chromiumPath() {
  const candidates = [
    process.env.CHROMIUM,
    "/usr/bin/chromium-headless-shell",
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/bin/chromium",
    "/usr/bin/google-chrome",
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`no Chromium found (tried ${candidates.join(", ")}); install chromium-headless-shell or set CHROMIUM`);
  }
  return found;
}

// CodeMirror 5 (GraphiQL 3's editor) keeps its instance on the wrapper element.
async function setEditor(page, selector, text) {
  await page.waitForSelector(selector, { visible: true, timeout: STEP_TIMEOUT_MS });
  await page.$eval(selector, (element, value) => element.CodeMirror.setValue(value), text);
  // GraphiQL takes an edit into its state after a short pause.
  await new Promise((resolve) => setTimeout(resolve, EDIT_SETTLE_MS));
}

async function resultText(page) {
  return page.$eval(".result-window .CodeMirror", (element) => element.CodeMirror.getValue());
}

async function waitForResult(page, needle) {
  await page.waitForFunction(
    (text) => {
      const element = document.querySelector(".result-window .CodeMirror");
      return element && element.CodeMirror.getValue().includes(text);
    },
    { timeout: STEP_TIMEOUT_MS },
    needle,
  );
  return resultText(page);
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: "shell",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const foreignRequests = [];
  const problems = [];
  let page;
  try {
    page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    // Anything not from the server is refused and recorded: the page must need nothing else.
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      const url = request.url();
      if (url.startsWith(base) || url.startsWith("data:")) {
        request.continue();
      } else {
        foreignRequests.push(url);
        request.abort();
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    await page.evaluateOnNewDocument(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`CSP refused ${event.blockedURI} (${event.violatedDirective})`);
      });
    });

    const frames = { sent: [], received: [] };
    const cdp = await page.createCDPSession();
    await cdp.send("Network.enable");
    cdp.on("Network.webSocketCreated", (event) => report("websocket", { url: event.url }));
    cdp.on("Network.webSocketFrameSent", (event) => frames.sent.push(event.response.payloadData));
    cdp.on("Network.webSocketFrameReceived", (event) => frames.received.push(event.response.payloadData));

    const response = await page.goto(`${base}/graphql`, { waitUntil: "networkidle0" });
    report("page", { status: response.status(), csp: response.headers()["content-security-policy"] ?? null });
    await page.waitForSelector(".graphiql-container .graphiql-query-editor .CodeMirror");

    // The token goes in the Headers tab, as the page's welcome text says.
    const headersTab = await page.waitForSelector("xpath/.//button[normalize-space(.)='Headers']");
    await headersTab.click();
    await setEditor(page, ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror", JSON.stringify({ Authorization: `Bearer ${token}` }));

    // The schema is shown to signed-in callers only: fetch it again now that the token is there.
    // A re-fetch may still race the edit on a slow machine: try again a few times.
    await page.click('button[aria-label="Show Documentation Explorer"]');
    const docsShown = () => {
      const docs = document.querySelector(".graphiql-doc-explorer");
      return docs && docs.innerText.includes("Subscription");
    };
    for (let attempt = 1; ; attempt += 1) {
      await page.click('button[aria-label="Re-fetch GraphQL schema"]');
      const shown = await page.waitForFunction(docsShown, { timeout: 3_000 }).then(() => true, () => false);
      if (shown) break;
      if (attempt === 5) throw new Error("the Docs pane never showed the schema");
      await new Promise((resolve) => setTimeout(resolve, EDIT_SETTLE_MS));
    }
    await page.evaluate(() => {
      const link = [...document.querySelectorAll(".graphiql-doc-explorer a")].find((a) => a.innerText.trim() === "Subscription");
      link.click();
    });
    await page.waitForFunction(() => document.querySelector(".graphiql-doc-explorer").innerText.includes("activity"));
    report("docs", { text: await page.$eval(".graphiql-doc-explorer", (element) => element.innerText.slice(0, 2000)) });

    await setEditor(page, ".graphiql-query-editor .CodeMirror", "query Me { me { email role } }");
    await page.click(".graphiql-execute-button");
    report("query", { result: await waitForResult(page, '"me"') });

    await setEditor(
      page,
      ".graphiql-query-editor .CodeMirror",
      "subscription Live { activity { kind feedback { body country { iso3 } } } }",
    );
    await page.click(".graphiql-execute-button");
    const subscribed = Date.now();
    while (!frames.sent.some((frame) => frame.includes('"subscribe"'))) {
      if (Date.now() - subscribed > STEP_TIMEOUT_MS) throw new Error("GraphiQL sent no subscribe message");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    report("subscribed", { sent: frames.sent, received: frames.received });
    report("event", { result: await waitForResult(page, marker) });
  } catch (error) {
    const screen = page ? await page.evaluate(() => document.body.innerText).catch(() => "") : "";
    report("failed", { error: String(error && error.stack ? error.stack : error), screen: screen.slice(0, 4000) });
    process.exitCode = 1;
  } finally {
    report("done", { foreignRequests, problems });
    await browser.close();
  }
}

await main();
