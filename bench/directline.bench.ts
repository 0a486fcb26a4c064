/**
 * Direct Line over a real port: how fast `handoff serve` answers POST activity next to a plain node:http
 * server doing the same JSON echo, and how long a reply takes to arrive on the WebSocket. Both servers
 * run in child processes on 127.0.0.1 (the serve adapter is measured as the CLI starts it), the load
 * comes from this process; loops are bounded and everything stays on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';

const root = path.resolve(__dirname, '..');
const warmUpRequests = 300;
const measuredRequests = 1500;
const rounds = 3;
const concurrency = 8;
const latencySamples = 300;

/** The plain baseline: read the body, parse it, answer a ResourceResponse. Nothing else. */
const plainServer = `
const http = require('node:http');
let sequence = 0;
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    sequence += 1;
    const body = JSON.stringify({ id: (activity.conversation ? activity.conversation.id : 'conversation') + '|' + String(sequence).padStart(7, '0') });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });
`;

/**
 * The floor under any msw-based server: the same Fetch plumbing and one msw handler doing the JSON echo
 * through getResponse. It shows how much of the gap to the plain server is msw's and how much the adapter's.
 */
const mswFloorServer = `
const http = require('node:http');
const { http: msw, HttpResponse, getResponse } = require(${JSON.stringify(require.resolve('msw'))});
let sequence = 0;
const handlers = [msw.post('*/v3/directline/conversations/:id/activities', async ({ request, params }) => {
  await request.json();
  sequence += 1;
  return HttpResponse.json({ id: params.id + '|' + String(sequence).padStart(7, '0') });
})];
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const response = await getResponse(handlers, new Request('http://' + req.headers.host + req.url, { method: req.method, headers: req.headers, body: Buffer.concat(chunks) }));
    const headers = {};
    response.headers.forEach((value, name) => { headers[name] = value; });
    const body = await response.text();
    headers['content-length'] = Buffer.byteLength(body);
    res.writeHead(response.status, headers);
    res.end(body);
  });
}).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });
`;

interface Child {
  process: ChildProcess;
  output: string;
  base: string;
}

function start(args: string[], ready: RegExp): Promise<Child> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const state: Child = { process: child, output: '', base: '' };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`A benchmark server did not start within 60 s: ${state.output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      state.output += String(chunk);
      const match = ready.exec(state.output);
      if (match && !state.base) {
        state.base = match[1]!;
        clearTimeout(timer);
        resolve(state);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`A benchmark server exited with ${code}: ${state.output}`)));
  });
}

async function stop(child: Child): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  if (child.process.exitCode === null) child.process.kill('SIGKILL');
}

/** CPU time (user + system) a process has used, in ms, from /proc; undefined where there is no /proc. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

function post(agent: http.Agent, url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

type Client = 'node:http' | 'fetch';

/** `total` POSTs with `concurrency` in flight over keep-alive connections; answers other than 200 are counted. */
async function load(client: Client, url: string, headers: Record<string, string>, body: string, total: number): Promise<{ perSecond: number; failed: number }> {
  if (client === 'fetch') return loadWithFetch(url, headers, body, total);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent += 1;
        const { status } = await post(agent, target, headers, body);
        if (status !== 200) failed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { perSecond: total / seconds, failed };
}

/** The same load through Node's fetch (undici), the HTTP stack of Node apps and the closest to a browser's cost per request. */
async function loadWithFetch(url: string, headers: Record<string, string>, body: string, total: number): Promise<{ perSecond: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent += 1;
        const response = await fetch(url, { method: 'POST', headers, body });
        await response.arrayBuffer();
        if (response.status !== 200) failed += 1;
      }
    }),
  );
  return { perSecond: total / ((performance.now() - started) / 1000), failed };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Conversation {
  conversationId: string;
  token: string;
  streamUrl: string;
}

async function startConversation(base: string, secret: string): Promise<Conversation> {
  const response = await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: '{"user":{"id":"bench-user"}}' });
  if (response.status !== 201) throw new Error(`POST /conversations answered ${response.status}`);
  return (await response.json()) as Conversation;
}

/** A message as Web Chat posts it (copilot-protocol.md §3.5), about 400 bytes. */
function webChatMessage(conversationId: string, sequence: number): string {
  return JSON.stringify({
    type: 'message',
    channelId: 'webchat',
    from: { id: 'bench-user', name: '', role: 'user' },
    conversation: { id: conversationId },
    locale: 'en-US',
    localTimestamp: '2026-01-05T10:00:00.000+01:00',
    localTimezone: 'Europe/Berlin',
    textFormat: 'plain',
    text: 'I have a billing question',
    channelData: { clientActivityID: `bench-${sequence}` },
  });
}

/** The median ms from a POST leaving this process to the copilot's reply to it arriving on the stream. */
async function replyLatency(base: string, secret: string): Promise<number[]> {
  const conversation = await startConversation(base, secret);
  const socket = new WebSocket(conversation.streamUrl);
  const arrivals = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  socket.on('message', (data) => {
    const at = performance.now();
    const text = String(data);
    if (!text) return;
    for (const activity of (JSON.parse(text) as { activities: Array<{ replyToId?: string; from?: { role?: string } }> }).activities) {
      if (activity.from?.role !== 'bot' || !activity.replyToId) continue;
      arrivals.set(activity.replyToId, at);
      waiting.get(activity.replyToId)?.(at);
    }
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(`${base}/v3/directline/conversations/${conversation.conversationId}/activities`);
  const headers = { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' };
  const samples: number[] = [];
  for (let index = 0; index < latencySamples; index += 1) {
    const sent = performance.now();
    const { status, text } = await post(agent, url, headers, webChatMessage(conversation.conversationId, index));
    if (status !== 200) throw new Error(`POST activity answered ${status}: ${text}`);
    const id = (JSON.parse(text) as { id: string }).id;
    const arrived =
      arrivals.get(id) ??
      (await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No reply to ${id} on the stream within 5 s`)), 5000);
        waiting.set(id, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      }));
    waiting.delete(id);
    samples.push(arrived - sent);
  }
  agent.destroy();
  socket.close();
  return samples;
}

type ServerName = 'plain' | 'mswFloor' | 'serve';

interface Throughput {
  client: Client;
  rate: Record<ServerName, number>;
  cpu: Partial<Record<ServerName, number>>;
  failed: number;
}

/** Interleaved rounds against every server with one client, so all of them see the same machine load. */
async function throughput(client: Client, servers: Record<ServerName, Child>, conversation: Conversation): Promise<Throughput> {
  const path = `/v3/directline/conversations/${conversation.conversationId}/activities`;
  const headers = { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' };
  const body = webChatMessage(conversation.conversationId, 0);
  const names: ServerName[] = ['plain', 'mswFloor', 'serve'];
  for (const name of names) await load(client, `${servers[name].base}${path}`, headers, body, warmUpRequests);
  const rates: Record<ServerName, number[]> = { plain: [], mswFloor: [], serve: [] };
  const cpu: Record<ServerName, number[]> = { plain: [], mswFloor: [], serve: [] };
  let failed = 0;
  for (let round = 0; round < rounds; round += 1) {
    for (const name of names) {
      const pid = servers[name].process.pid;
      const before = cpuMs(pid);
      const result = await load(client, `${servers[name].base}${path}`, headers, body, measuredRequests);
      const after = cpuMs(pid);
      rates[name].push(result.perSecond);
      if (before !== undefined && after !== undefined) cpu[name].push(((after - before) * 1000) / measuredRequests);
      failed += result.failed;
    }
  }
  const medianOf = (values: number[]) => (values.length ? median(values) : undefined);
  return {
    client,
    rate: { plain: median(rates.plain), mswFloor: median(rates.mswFloor), serve: median(rates.serve) },
    cpu: { plain: medianOf(cpu.plain), mswFloor: medianOf(cpu.mswFloor), serve: medianOf(cpu.serve) },
    failed,
  };
}

export async function directLineBench(): Promise<string[]> {
  const ready = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
  const servers: Record<ServerName, Child> = {
    serve: await start([path.join(root, 'bin', 'handoff.js'), 'serve', '--port', '0', '--speed', '0'], ready),
    plain: await start(['-e', plainServer], ready),
    mswFloor: await start(['-e', mswFloorServer], ready),
  };
  try {
    const secret = /Direct Line secret\s+(\S+)/.exec(servers.serve.output)?.[1];
    if (!secret) throw new Error(`handoff serve printed no secret: ${servers.serve.output}`);
    const results: Throughput[] = [];
    for (const client of ['fetch', 'node:http'] as const) results.push(await throughput(client, servers, await startConversation(servers.serve.base, secret)));
    const latency = await replyLatency(servers.serve.base, secret);

    const cpu = (value: number | undefined) => (value === undefined ? '' : `, server CPU ${value.toFixed(0)} µs/request`);
    const lines = [`  POST activity over loopback: ${concurrency} in flight, median of ${rounds} interleaved rounds of ${measuredRequests}, each server in its own process`];
    for (const result of results) {
      const ratio = result.rate.serve / result.rate.plain;
      lines.push(
        `    ${result.client} client:`,
        `      plain node:http JSON echo           ${result.rate.plain.toFixed(0).padStart(6)} req/s  (1.00x${cpu(result.cpu.plain)})`,
        `      msw getResponse JSON echo (floor)   ${result.rate.mswFloor.toFixed(0).padStart(6)} req/s  (${(result.rate.mswFloor / result.rate.plain).toFixed(2)}x${cpu(result.cpu.mswFloor)})`,
        `      handoff serve, POST activity        ${result.rate.serve.toFixed(0).padStart(6)} req/s  (${ratio.toFixed(2)}x${cpu(result.cpu.serve)}; target >= 0.80x: ${ratio >= 0.8 ? 'met' : 'NOT met'}; ${(result.rate.serve / result.rate.mswFloor).toFixed(2)}x of the msw floor)${result.failed ? `; ${result.failed} answers were not 200` : ''}`,
      );
    }
    const latencyMedian = median(latency);
    lines.push(
      `  POST to the copilot's reply arriving on the WebSocket, ${latencySamples} sequential messages:`,
      `      median ${latencyMedian.toFixed(2)} ms, p90 ${percentile(latency, 90).toFixed(2)} ms  (target < 2 ms: ${latencyMedian < 2 ? 'met' : 'NOT met'})`,
    );
    return lines;
  } finally {
    for (const child of Object.values(servers)) await stop(child);
  }
}
