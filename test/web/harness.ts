import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { startServer, type RunningServer } from "../../src/serve/server.js";

/** Debian's Chromium (apt-get install chromium), or MINIMA_CHROMIUM. */
export const CHROMIUM = process.env["MINIMA_CHROMIUM"] || "/usr/bin/chromium";
/**
 * Headless Chromium as the environment notes start it: without the background-networking flags it
 * tries to reach Google's hosts at every start, which this closed network refuses.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
];

/** `minima serve` on a folder, in this process, on a free loopback port. */
export function serveFolder(root: string): Promise<RunningServer> {
  return startServer({ root, port: 0 });
}

export interface OpenedPage {
  browser: Browser;
  page: Page;
  /**
   * Console errors, minima's own warnings (a "minima: …" line, such as the notice that the core fell back to js), uncaught
   * exceptions (the page's and its workers'), failed requests and requests that left the server's origin.
   */
  problems: string[];
  /** Every URL the page (and its workers) requested. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Opens `url` in headless Chromium, recording every problem: a request to anywhere but the server's own
 * origin is blocked and recorded, as is every console error and uncaught exception.
 */
export async function openPage(url: string, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or point MINIMA_CHROMIUM at a Chromium binary`);
  const origin = new URL(url).origin;
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  await page.setViewport(viewport);
  const problems: string[] = [], requests: string[] = [];
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const target = request.url();
    requests.push(target);
    if (target.startsWith("data:") || target.startsWith("blob:") || new URL(target).origin === origin) return void request.continue();
    problems.push(`a request left the machine: ${target}`);
    void request.abort();
  });
  const minimaWarning = (m: { type(): string; text(): string }) => m.type() === "warn" && m.text().startsWith("minima:");
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()} (${message.location().url ?? ""})`);
    if (minimaWarning(message)) problems.push(`console warning: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${(error as Error).message ?? String(error)}`));
  page.on("requestfailed", (request) => {
    if (new URL(request.url()).origin === origin && !request.url().includes("/api/tail/")) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`);
  });
  page.on("workercreated", (worker) => {
    worker.on("console", (message) => {
      if (message.type() === "error") problems.push(`worker console error: ${message.text()}`);
      if (minimaWarning(message)) problems.push(`worker console warning: ${message.text()}`);
    });
  });
  await page.goto(url, { waitUntil: "load" });
  return { browser, page, problems, requests, close: () => browser.close() };
}
