/**
 * --html: one self-contained page. The markup is checked here (no script, nothing fetched,
 * text escaped, a golden copy); a real headless Chromium then parses and draws it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { conversation } from '../helpers/conversation.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared-captures.js';

const fixtures = join(repoRoot, 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'synfin-html-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function page(capture: string, extra: string[] = []): Promise<{ html: string; path: string; stdout: string }> {
  const path = join(scratch, `${Math.random().toString(36).slice(2)}.html`);
  const result = await runCli([capture, '--html', path, ...extra]);
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('');
  return { html: readFileSync(path, 'utf8'), path, stdout: result.stdout };
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

describe('--html page markup', () => {
  it('is self-contained: no script, no external resource, no import', async () => {
    const { html } = await page(join(fixtures, 'keepalive-reuse.pcap'));
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|javascript:/i);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    // The only url() references are the page's own arrow markers.
    expect(html.match(/url\([^)]*\)/g)?.every((ref) => /^url\(#arrow-\d+\)$/.test(ref))).toBe(true);
  });

  it('has the table, a timeline row and a ladder per connection, and the summary', async () => {
    const { html, stdout } = await page(join(fixtures, 'server-closes.pcap'), ['--port', '8087']);
    expect(count(html, /<tr data-id="\d+">/g)).toBe(3);
    expect(count(html, /<g class="row" data-id="\d+" data-closed-by="server">/g)).toBe(3);
    expect(count(html, /<article class="ladder" id="ladder-\d+" data-closed-by="server" data-closed-with="fin">/g)).toBe(3);
    expect(count(html, /<g class="ladder-step"/g)).toBe(36);
    expect(count(html, /closed by server \(FIN\)/g)).toBe(3);
    expect(html).toContain('3 connections · 3 handshakes · closed by server 3, client 0 · 0 open');
    // Without --ladder/--timeline the terminal still gets the table.
    expect(stdout).toContain('┌───┬');
  });

  it('escapes what came off the wire', async () => {
    const capture = join(scratch, 'hostile.pcap');
    writeFileSync(capture, conversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' })
      .handshake().data('client', 'GET /<script>alert(1)</script>&x HTTP/1.1\r\n\r\n').fin('client').pcap());
    const { html } = await page(capture);
    expect(html).not.toContain('<script>');
    expect(html).toContain('GET /&lt;script&gt;alert(1)&lt;/script&gt;&amp;x');
  });

  it('matches the golden page for server-closes.pcap', async () => {
    const { html } = await page(join(fixtures, 'server-closes.pcap'), ['--port', '8087']);
    await expect(html).toMatchFileSnapshot('__golden__/server-closes.html');
  });

  it('with --json: the page is written and stdout is the same JSON as without --html', async () => {
    const capture = join(fixtures, 'port-reuse.pcap');
    const { html, stdout } = await page(capture, ['--json']);
    expect(count(html, /<article class="ladder"/g)).toBe(2);
    const plain = await runCli([capture, '--json']);
    expect(stdout).toBe(plain.stdout);
  });

  it('prints the terminal pictures too when asked, and fails cleanly on an unwritable path', async () => {
    const both = await page(join(fixtures, 'refused.pcap'), ['--ladder', '2']);
    expect(both.stdout).toContain('#2  127.0.0.1:57356');
    expect(both.stdout).not.toContain('#1  ');
    expect(count(both.html, /<article class="ladder"/g)).toBe(2);
    const bad = await runCli([join(fixtures, 'refused.pcap'), '--html', join(scratch, 'no', 'such', 'dir', 'x.html')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^synfin: cannot write .*x\.html: /);
  });
});

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const probe = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.trim() !== '') return probe.stdout.trim();
  }
  return undefined;
}

const chromium = findChromium();
const chromiumSkip = chromium === undefined ? 'no chromium on PATH (Debian package chromium; .ci/run installs it)' : undefined;

function headless(args: string[]): string {
  const profile = mkdtempSync(join(scratch, 'profile-'));
  return execFileSync(chromium!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', `--user-data-dir=${profile}`, ...args,
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 90_000 });
}

/** Width, height and the number of distinct colours of an 8-bit RGB/RGBA PNG (enough to tell a blank page). */
function pngFacts(path: string): { width: number; height: number; colours: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      channels = body[9] === 6 ? 4 : 3;
      expect(body[8]).toBe(8);
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    offset += 12 + length;
  }
  // Undo the per-row filters (PNG spec §9: None, Sub, Up, Average, Paeth), then count colours.
  const raw = inflateSync(Buffer.concat(idat));
  const rowBytes = width * channels;
  let previous = new Uint8Array(rowBytes);
  const colours = new Set<number>();
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (rowBytes + 1)]!;
    const line = new Uint8Array(raw.subarray(row * (rowBytes + 1) + 1, (row + 1) * (rowBytes + 1)));
    for (let i = 0; i < rowBytes; i++) {
      const left = i >= channels ? line[i - channels]! : 0;
      const up = previous[i]!;
      const upLeft = i >= channels ? previous[i - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const estimate = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      line[i] = (line[i]! + predictor) & 0xff;
    }
    for (let i = 0; i < rowBytes; i += channels) colours.add((line[i]! << 16) | (line[i + 1]! << 8) | line[i + 2]!);
    previous = line;
  }
  return { width, height, colours: colours.size };
}

describe.skipIf(chromiumSkip !== undefined)(`--html in headless Chromium${chromiumSkip ? ` (skipped: ${chromiumSkip})` : ''}`, () => {
  it('parses into the table, the timeline SVG and the ladders', async () => {
    const { path } = await page(join(fixtures, 'server-closes.pcap'), ['--port', '8087']);
    const dom = headless(['--dump-dom', `file://${path}`]);
    expect(dom).toContain('<title>synfin: server-closes.pcap</title>');
    expect(count(dom, /<tr data-id="\d+">/g)).toBe(3);
    expect(dom).toMatch(/<svg id="timeline-svg"[^>]*>/);
    expect(count(dom, /<g class="row" data-id/g)).toBe(3);
    expect(count(dom, /<article class="ladder"/g)).toBe(3);
    expect(count(dom, /<svg class="ladder-svg"/g)).toBe(3);
    expect(count(dom, /<p class="verdict">closed by server \(FIN\)<\/p>/g)).toBe(3);
  }, 120_000);

  it('draws a page that is not blank', async () => {
    const { path } = await page(join(fixtures, 'keepalive-reuse.pcap'));
    const shot = join(scratch, 'page.png');
    headless(['--window-size=1000,900', `--screenshot=${shot}`, `file://${path}`]);
    expect(existsSync(shot)).toBe(true);
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    const facts = pngFacts(shot);
    expect(facts.width).toBe(1000);
    expect(facts.height).toBe(900);
    // Text, lines and coloured marks: far more than a blank page's one colour.
    expect(facts.colours).toBeGreaterThan(20);
  }, 120_000);
});
